//! `claimdiff cluster` end to end: stories found in a pile of invented articles, the
//! output fed to `batch`, the same bytes whatever the thread count, and bad input.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

const STRIKE_WIRE: &str = "Dock workers at the northern harbour walked out on Monday after talks over night shifts collapsed, leaving forty ships waiting at anchor. The union said the strike would last until the port authority restored the old rota. A spokesman for the authority called the walkout unlawful.";
const STRIKE_OUTLET: &str = "Forty ships were waiting at anchor on Monday. Dock workers at the northern harbour walked out on Monday after talks over night shifts collapsed. The union said the strike would last until the port authority restored the old rota.";
const STRIKE_BRIEF: &str = "Dock workers at the northern harbour walked out on Monday after talks over night shifts collapsed.";
const FROST_WIRE: &str = "A late frost destroyed most of the apple blossom in the valley orchards this week, and growers expect the smallest harvest in a decade. Cider makers said prices would rise.";
const FROST_OUTLET: &str = "Growers expect the smallest harvest in a decade after a late frost destroyed most of the apple blossom in the valley orchards this week. Cider makers said prices would rise.";
const LONE: &str = "The city library will open on Sundays from next month, the council announced.";

fn bin() -> Command {
    Command::cargo_bin("claimdiff").expect("binary builds")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).expect("write input");
    p
}

/// A shuffled pile: no two versions of a story side by side.
fn pile() -> String {
    [
        json!({"id": "strike-wire", "source": "AP", "role": "wire", "text": STRIKE_WIRE}),
        json!({"id": "frost-wire", "source": "Reuters", "tags": ["farming", 2], "text": FROST_WIRE}),
        json!({"id": "lone", "source": "Courier", "text": LONE}),
        json!({"id": "strike-outlet", "source": "Herald", "story": "stale", "text": STRIKE_OUTLET}),
        json!({"id": "frost-outlet", "source": "Gazette", "text": FROST_OUTLET}),
        json!({"id": "strike-brief", "source": "Wire roundup", "sentences": [STRIKE_BRIEF]}),
    ]
    .iter()
    .map(|v| format!("{v}\n"))
    .collect()
}

fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn stories(out: &[Value]) -> Vec<(String, Vec<String>)> {
    let mut got: Vec<(String, Vec<String>)> = Vec::new();
    for v in out {
        let key = v["story"].as_str().unwrap().to_string();
        let id = v["id"].as_str().unwrap().to_string();
        match got.last_mut() {
            Some((k, ids)) if *k == key => ids.push(id),
            _ => got.push((key, vec![id])),
        }
    }
    got
}

#[test]
fn versions_of_a_story_share_a_key_and_keep_their_fields() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "pile.jsonl", &pile());
    let out = bin()
        .args(["cluster"])
        .arg(&p)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "6 articles, 3 stories (2 with two or more versions, 1 single)",
        ))
        .get_output()
        .stdout
        .clone();
    let out = lines(&out);
    assert_eq!(
        stories(&out),
        vec![
            (
                "story-1".to_string(),
                vec!["strike-wire", "strike-outlet", "strike-brief"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            ),
            (
                "story-2".to_string(),
                vec!["frost-wire".to_string(), "frost-outlet".to_string()]
            ),
            ("story-3".to_string(), vec!["lone".to_string()]),
        ]
    );
    // Each line is the input object with `story` set (a stale one replaced).
    let frost = out.iter().find(|v| v["id"] == "frost-wire").unwrap();
    assert_eq!(frost["tags"], json!(["farming", 2]));
    assert_eq!(frost["text"], FROST_WIRE);
    let outlet = out.iter().find(|v| v["id"] == "strike-outlet").unwrap();
    assert_eq!(outlet["story"], "story-1");
    let brief = out.iter().find(|v| v["id"] == "strike-brief").unwrap();
    assert_eq!(brief["sentences"], json!([STRIKE_BRIEF]));
}

#[test]
fn output_is_batch_input_and_the_same_whatever_the_jobs() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "pile.jsonl", &pile());
    let one = d.path().join("one.jsonl");
    let four = d.path().join("four.jsonl");
    for (jobs, out) in [("1", &one), ("4", &four)] {
        bin()
            .args(["cluster", "--drop-singletons", "--jobs", jobs, "--output"])
            .arg(out)
            .arg(&p)
            .assert()
            .code(0)
            .stdout("");
    }
    assert_eq!(fs::read(&one).unwrap(), fs::read(&four).unwrap());
    assert_eq!(lines(&fs::read(&one).unwrap()).len(), 5);
    let report = bin()
        .args(["batch"])
        .arg(&one)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("2 stories compared, 0 skipped"))
        .get_output()
        .stdout
        .clone();
    let report = lines(&report);
    assert_eq!(report[0]["story"], "story-1");
    assert_eq!(report[0]["base"], "strike-wire");
    assert_eq!(report[1]["versions"].as_array().unwrap().len(), 2);

    // Kept, the single article is a story `batch` skips, and says so.
    let all = d.path().join("all.jsonl");
    bin()
        .args(["cluster", "-o"])
        .arg(&all)
        .arg(&p)
        .assert()
        .code(0);
    bin()
        .args(["batch"])
        .arg(&all)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("only one version"));
}

#[test]
fn a_directory_of_files_and_standard_input_are_piles_too() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("in");
    fs::create_dir(&dir).unwrap();
    write(&dir, "ap.txt", STRIKE_WIRE);
    write(
        &dir,
        "herald.md",
        &format!("---\nsource: Herald\n---\n{STRIKE_OUTLET}\n"),
    );
    write(&dir, "gazette.txt", FROST_OUTLET);
    write(&dir, "reuters.txt", FROST_WIRE);
    let out = bin()
        .args(["cluster"])
        .arg(&dir)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = lines(&out);
    let ids: Vec<_> = stories(&out).into_iter().map(|(_, ids)| ids).collect();
    assert_eq!(ids, vec![vec!["ap", "herald"], vec!["gazette", "reuters"]]);
    let herald = out.iter().find(|v| v["id"] == "herald").unwrap();
    assert_eq!(herald["source"], "Herald");
    assert_eq!(herald["text"].as_str().unwrap().trim(), STRIKE_OUTLET);

    let from_stdin = bin()
        .args(["cluster", "-"])
        .write_stdin(pile())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(stories(&lines(&from_stdin)).len(), 3);
}

#[test]
fn the_threshold_decides_how_much_must_be_shared() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "pile.jsonl", &pile());
    // Every shingle of the brief is in both other strike versions; the frost outlet
    // reorders its clauses, so at 1 it no longer joins its wire copy.
    let out = bin()
        .args(["cluster", "--threshold", "1"])
        .arg(&p)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let got: Vec<Vec<String>> = stories(&lines(&out))
        .into_iter()
        .map(|(_, ids)| ids)
        .collect();
    assert_eq!(
        got,
        vec![
            vec!["strike-wire", "strike-outlet", "strike-brief"],
            vec!["frost-wire"],
            vec!["lone"],
            vec!["frost-outlet"],
        ]
    );
    bin()
        .args(["cluster", "--threshold", "1.5"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside 0 to 1"));
    bin()
        .args(["cluster", "--measure", "jaccard", "--threshold", "0.9"])
        .arg(&p)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("6 stories"));
}

#[test]
fn bad_input_is_one_line_naming_file_and_line_and_no_output() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out.jsonl");
    let cases = [
        (
            format!("{}{{\"id\": \"x\", \"text\": 7}}\n", pile()),
            "pile.jsonl:7: field \"text\" must be a string",
        ),
        (
            format!("{}\n{{broken\n", pile()),
            "pile.jsonl:8:2: malformed JSON",
        ),
        (
            format!("{}{{\"id\": \"lone\", \"text\": \"Again.\"}}\n", pile()),
            "pile.jsonl:7: duplicate article id \"lone\" (also at ",
        ),
        (
            format!("{}{{\"id\": \"y\", \"text\": \"\"}}\n", pile()),
            "pile.jsonl:7: empty input",
        ),
    ];
    for (text, message) in cases {
        let p = write(d.path(), "pile.jsonl", &text);
        let assert = bin()
            .args(["cluster", "-o"])
            .arg(&out)
            .arg(&p)
            .assert()
            .code(2)
            .stdout("");
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(message), "{stderr} lacks {message}");
        assert!(!out.exists(), "no output file after an error");
    }
    bin()
        .args(["cluster"])
        .arg(d.path().join("missing.jsonl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.jsonl"));
}
