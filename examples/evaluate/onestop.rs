//! Multi-version news on OneStopEnglish: each Guardian story in three versions
//! (advanced = original, intermediate, elementary) compared as one three-way
//! `compare`, checking how many of the authors' silver sentence pairs (automatic cosine
//! pairs, changed sentences only) land in one claim. Silver, not gold: a recall-style
//! spot check, not an alignment score.

use std::collections::HashMap;
use std::path::Path;

use claimdiff::compare::{CompareOptions, compare};
use claimdiff::load::{Document, Metadata};

use crate::{Row, read_jsonl};

/// Lower case, letters and digits only: the README's matching key.
fn key(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

pub fn run(data: &Path) -> Result<Vec<Row>, String> {
    let dir = data.join("onestopenglish");
    let articles = read_jsonl(&dir.join("articles.jsonl"))?;
    let silver = read_jsonl(&dir.join("silver_sentence_alignments.jsonl"))?;
    let levels = ["adv", "int", "ele"];
    // For each article: per level, the key of each sentence and the claim it is in.
    let mut claim_of: HashMap<String, Vec<Vec<(String, usize)>>> = HashMap::new();
    let mut claims = 0usize;
    let mut sentences = 0usize;
    let mut largest = 0usize;
    for a in &articles {
        let id = a["id"].as_str().unwrap_or_default().to_string();
        let docs: Vec<Document> = levels
            .iter()
            .map(|l| Document {
                id: (*l).to_string(),
                source: (*l).to_string(),
                origin: format!("{id}/{l}"),
                meta: Metadata::default(),
                text: a[*l].as_str().unwrap_or_default().to_string(),
                given_sentences: None,
            })
            .collect();
        let cmp = compare(docs, &CompareOptions::default()).map_err(|e| e.to_string())?;
        claims += cmp.claims.len();
        let mut per_level = vec![Vec::new(); levels.len()];
        for (c, claim) in cmp.claims.iter().enumerate() {
            largest = largest.max(claim.members.iter().map(|m| m.sentences.len()).sum());
            for (v, m) in claim.members.iter().enumerate() {
                for &i in &m.sentences {
                    per_level[v].push((key(&cmp.versions[v].sentences[i].text), c));
                    sentences += 1;
                }
            }
        }
        claim_of.insert(id, per_level);
    }
    let find = |per: &[(String, usize)], s: &str| -> Option<usize> {
        let k = key(s);
        if k.is_empty() {
            return None;
        }
        per.iter()
            .find(|(t, _)| *t == k)
            .or_else(|| {
                per.iter()
                    .find(|(t, _)| t.contains(&k) || (t.len() > 20 && k.contains(t.as_str())))
            })
            .map(|&(_, c)| c)
    };
    let (mut located, mut together) = (0usize, 0usize);
    for p in &silver {
        let Some(per) = claim_of.get(p["article_id"].as_str().unwrap_or_default()) else {
            continue;
        };
        let pair = p["levels"].as_str().unwrap_or_default();
        let Some((la, lb)) = pair.split_once('-') else {
            continue;
        };
        let (Some(va), Some(vb)) = (
            levels.iter().position(|l| *l == la),
            levels.iter().position(|l| *l == lb),
        ) else {
            continue;
        };
        let ca = find(&per[va], p["sent_a"].as_str().unwrap_or_default());
        let cb = find(&per[vb], p["sent_b"].as_str().unwrap_or_default());
        if let (Some(ca), Some(cb)) = (ca, cb) {
            located += 1;
            if ca == cb {
                together += 1;
            }
        }
    }
    Ok(vec![Row::new(
        "multi-version news: OneStopEnglish, 151 stories × 3 versions, silver pairs in one claim",
        format!(
            "{together} / {located} located pairs ({:.1}%); {} silver pairs; {sentences} sentences in {claims} claims, largest {largest}",
            100.0 * together as f64 / located.max(1) as f64,
            silver.len()
        ),
        "silver (automatic cosine pairs); no published figure",
    )])
}
