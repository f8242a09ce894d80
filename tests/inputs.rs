//! Inputs people really have, end to end: saved web pages, CSV/TSV dumps and wire
//! boilerplate.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn bin() -> Command {
    Command::cargo_bin("claimdiff").expect("binary builds")
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn stdout_of(args: &[&str], paths: &[&Path]) -> (i32, String) {
    let out = bin().args(args).args(paths).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn json(args: &[&str], paths: &[&Path]) -> (i32, Value) {
    let (code, out) = stdout_of(args, paths);
    (code, serde_json::from_str(&out).expect("JSON output"))
}

#[test]
fn saved_pages_give_the_sentences_of_the_plain_text() {
    for (page, plain) in [
        (
            "pages/coastnews-port-strike.html",
            "port-strike/coastnews.txt",
        ),
        ("pages/perthlocal-wildfire.html", "wildfire/local.txt"),
    ] {
        let (c1, from_page) = stdout_of(&["segment"], &[&fixture(page)]);
        let (c2, from_text) = stdout_of(&["segment"], &[&fixture(plain)]);
        assert_eq!((c1, c2), (0, 0));
        assert!(from_text.lines().count() >= 7);
        assert_eq!(from_page, from_text, "{page}");
    }
}

#[test]
fn page_metadata_reaches_the_report() {
    let (code, v) = json(
        &["compare", "--format", "json"],
        &[
            &fixture("port-strike/ap.txt"),
            &fixture("pages/coastnews-port-strike.html"),
        ],
    );
    assert_eq!(code, 1);
    let page = &v["versions"][1];
    assert_eq!(page["source"], "Coast News");
    assert_eq!(
        page["title"],
        "Rotterdam dockworkers strike over automated cranes"
    );
    assert_eq!(page["date"], "2026-03-10T14:05:00Z");
    assert_eq!(
        page["url"],
        "https://coastnews.example/world/2026/rotterdam-dockworkers-strike"
    );
    assert_eq!(page["metadata"]["byline"], "Coast News staff");
}

const CSV: &str = "article_id,outlet,story,headline,body\n\
w1,Wire,bridge,Bridge shut,\"Engineers closed the Storvik Bridge on Friday after finding cracks in two cables.\n\
About 11,000 people live on the islands served by the bridge.\"\n\
p1,Post,bridge,Bridge closed,\"Engineers closed the Storvik Bridge on Friday after finding cracks in three cables.\n\
About 11,000 people live on the islands served by the bridge.\"\n\
w2,Wire,budget,Budget passes,The city council passed a budget of 40 million euros on Monday.\n\
p2,Post,budget,Budget,The city council passed a budget of 40 million euros on Monday.\n";

#[test]
fn csv_rows_are_versions_and_story_picks_one() {
    let d = tempfile::tempdir().unwrap();
    let csv = d.path().join("dump.csv");
    fs::write(&csv, CSV).unwrap();
    let out = bin().arg("compare").arg(&csv).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the inputs hold 2 stories (bridge, budget); pick one with --story"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);

    let (code, v) = json(
        &["compare", "--format", "json", "--story", "bridge"],
        &[&csv],
    );
    assert_eq!(code, 1);
    assert_eq!(v["versions"][0]["id"], "w1");
    assert_eq!(v["versions"][1]["source"], "Post");
    assert_eq!(v["versions"][1]["origin"], format!("{}:4", csv.display()));
    let kinds: Vec<&str> = v["claims"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["differences"].as_array().unwrap())
        .filter_map(|d| d["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"number_changed"), "{kinds:?}");

    let (code, _) = json(
        &["compare", "--format", "json", "--story", "budget"],
        &[&csv],
    );
    assert_eq!(code, 0);
}

#[test]
fn csv_feeds_batch_with_named_columns() {
    let d = tempfile::tempdir().unwrap();
    let tsv = d.path().join("dump.tsv");
    let text = "key\tpaper\tevent\tcopy\n\
        w1\tWire\tbridge\tEngineers closed the Storvik Bridge on Friday after finding cracks.\n\
        p1\tPost\tbridge\tEngineers shut the Storvik Bridge on Friday after finding cracks.\n\
        w2\tWire\tbudget\tThe city council passed a budget of 40 million euros on Monday.\n\
        p2\tPost\tbudget\tThe city council passed a budget of 40 million euros on Monday.\n";
    fs::write(&tsv, text).unwrap();
    let out = bin()
        .args(["batch", "--story-column", "event", "--text-column", "copy"])
        .args(["--id-column", "key", "--source-column", "paper"])
        .arg(&tsv)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stories: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(stories.len(), 2);
    assert_eq!(stories[0]["story"], "bridge");
    assert_eq!(stories[1]["story"], "budget");
    assert_eq!(stories[0]["versions"][1]["id"], "p1");
}

#[test]
fn csv_errors_name_the_line() {
    let d = tempfile::tempdir().unwrap();
    let csv = d.path().join("bad.csv");
    fs::write(&csv, "text,source\nOne sentence here.,A\nTwo,B,extra\n").unwrap();
    let out = bin().arg("compare").arg(&csv).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        format!(
            "claimdiff: {}:3: row has 3 cells but the header has 2",
            csv.display()
        )
    );
}

#[test]
fn wire_boilerplate_is_reported_and_kept_out() {
    let dir = fixture("bridge-closure");
    let (code, v) = json(&["compare", "--format", "json"], &[&dir]);
    assert_eq!(code, 0, "only boilerplate differs");
    let ap = &v["versions"][0];
    assert_eq!(ap["source"], "AP", "the dateline's agency is the source");
    let kinds = |ver: &Value| -> Vec<String> {
        ver["boilerplate"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        kinds(ap),
        ["byline", "dateline", "credit", "copyright", "end_mark"]
    );
    assert_eq!(kinds(&v["versions"][1]), ["byline", "caption", "read_more"]);
    assert_eq!(ap["boilerplate"][1]["agency"], "AP");
    assert!(
        ap["sentences"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Engineers closed")
    );
    assert_eq!(v["credits"]["uncredited"].as_array().unwrap().len(), 5);

    let (code, v) = json(
        &["compare", "--format", "json", "--keep-boilerplate"],
        &[&dir],
    );
    assert_eq!(code, 1, "kept boilerplate is compared");
    assert_eq!(v["boilerplate_kept"], true);
    let (_, table) = stdout_of(&["compare", "--color", "never"], &[&dir]);
    assert!(table.contains("Boilerplate (kept out of the comparison)"));
}
