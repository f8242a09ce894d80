//! Scores claimdiff on the evaluation data in `../shared/data` and prints a Markdown
//! table beside the published figures. Run: `cargo run --release --example evaluate -- ../shared/data [sbd,deplain,onestop,polnear,cluster,polnear-tagger]`.

mod cluster;
mod deplain;
mod onestop;
mod polnear;
mod sbd;
mod tagger;

use std::path::{Path, PathBuf};

/// One line of the results table.
pub struct Row {
    pub task: String,
    pub ours: String,
    pub reference: String,
}

impl Row {
    pub fn new(task: &str, ours: String, reference: &str) -> Self {
        Row {
            task: task.to_string(),
            ours,
            reference: reference.to_string(),
        }
    }
}

/// Reads a JSONL file into values.
pub fn read_jsonl(path: &Path) -> Result<Vec<serde_json::Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))
        })
        .collect()
}

fn main() {
    let data = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data"));
    // An optional second argument picks parts by name: `-- ../shared/data polnear`.
    let only = std::env::args().nth(2);
    type Part = fn(&Path) -> Result<Vec<Row>, String>;
    let parts: [(&str, Part); 6] = [
        ("sbd", sbd::run),
        ("deplain", deplain::run),
        ("onestop", onestop::run),
        ("polnear", polnear::run),
        ("cluster", cluster::run),
        // An experiment (trains a model for a minute): run only when named.
        ("polnear-tagger", tagger::run),
    ];
    let mut rows = Vec::new();
    for (name, part) in parts {
        let named = only
            .as_deref()
            .is_some_and(|o| o.split(',').any(|x| x == name));
        if (only.is_some() || name == "polnear-tagger") && !named {
            continue;
        }
        match part(&data) {
            Ok(r) => rows.extend(r),
            Err(e) => {
                eprintln!("evaluate: {e}");
                std::process::exit(2);
            }
        }
    }
    println!("| task | claimdiff | published / reference |");
    println!("|---|---|---|");
    for r in rows {
        println!("| {} | {} | {} |", r.task, r.ours, r.reference);
    }
}
