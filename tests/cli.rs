//! The `claimdiff` binary end to end: exit codes, outputs and every bad-input error.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const WIRE: &str = "MOSCOW (AP) — The United States and Russia agreed Friday on new steps to curb the fighting.\n\
Neither of the top diplomats spelled out what form the steps would take.\n\
“The results will not be tomorrow,” the secretary of state said after the ministers met for 10 hours.\n\
Both sides said closer cooperation was critical to ending the conflict.\n";

const OUTLET: &str = "Both sides said closer cooperation was critical to ending the conflict.\n\
The United States and Russia agreed Friday on new steps to curb the fighting.\n\
“The results will not come tomorrow,” the secretary of state said after the ministers met for 12 hours.\n\
A local analyst called the deal fragile.\n";

fn bin() -> Command {
    Command::cargo_bin("claimdiff").expect("binary builds")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).expect("write fixture");
    p
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("valid JSON")
}

#[test]
fn identical_versions_exit_zero() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    let b = write(d.path(), "b.txt", WIRE);
    bin().args(["compare"]).arg(&a).arg(&b).assert().code(0);
}

#[test]
fn differing_versions_exit_one_and_name_the_changes() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "ap.txt", WIRE);
    let b = write(d.path(), "outlet.txt", OUTLET);
    let out = bin()
        .args(["compare", "--format", "json"])
        .arg(&a)
        .arg(&b)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["base"], "ap");
    let kinds: Vec<&str> = v["claims"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["differences"].as_array().unwrap())
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    for k in [
        "quote_changed",
        "number_changed",
        "missing",
        "added",
        "moved",
    ] {
        assert!(kinds.contains(&k), "{k} not in {kinds:?}");
    }
    // Members map version ids to sentence indices.
    let first = &v["claims"][0];
    assert_eq!(first["members"]["ap"], serde_json::json!([0]));
    assert_eq!(first["members"]["outlet"], serde_json::json!([1]));
}

#[test]
fn table_output_lists_versions_and_summary() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "ap.txt", WIRE);
    let b = write(d.path(), "outlet.txt", OUTLET);
    bin()
        .args(["compare", "--color", "never"])
        .arg(&a)
        .arg(&b)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("outlet"))
        .stdout(predicate::str::contains("ap (base)"))
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn only_differences_hides_identical_claims() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "ap.txt", WIRE);
    let b = write(
        d.path(),
        "outlet.txt",
        &WIRE.replace("10 hours", "12 hours"),
    );
    let out = bin()
        .args(["compare", "--format", "json", "--only", "differences"])
        .arg(&a)
        .arg(&b)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["claims"].as_array().unwrap().len(), 1);
    assert_eq!(v["summary"]["claims"], 4);
}

#[test]
fn output_file_is_written_whole() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "ap.txt", WIRE);
    let b = write(d.path(), "outlet.txt", OUTLET);
    let report = d.path().join("report.json");
    bin()
        .args(["compare", "--format", "json", "--output"])
        .arg(&report)
        .arg(&a)
        .arg(&b)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    json_of(&fs::read(&report).unwrap());
    // Inputs are never modified.
    assert_eq!(fs::read_to_string(&a).unwrap(), WIRE);
}

#[test]
fn same_input_gives_same_bytes() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "ap.txt", WIRE);
    let b = write(d.path(), "outlet.txt", OUTLET);
    let run = || {
        bin()
            .args(["compare", "--format", "json"])
            .arg(&a)
            .arg(&b)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn stdin_is_a_version() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "ap.txt", WIRE);
    bin()
        .args(["compare"])
        .arg(&a)
        .arg("-")
        .write_stdin(WIRE)
        .assert()
        .code(0);
}

#[test]
fn segment_prints_sentences_with_char_offsets() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", "Ça va. “Will it work?” Kerry asked.\n");
    let out = bin()
        .args(["segment", "--format", "json"])
        .arg(&a)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    let s = v["sentences"].as_array().unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0]["start"], 0);
    assert_eq!(s[0]["end"], 6);
    assert_eq!(s[1]["text"], "“Will it work?” Kerry asked.");
    assert_eq!(s[1]["start"], 7);
}

/// Runs `compare` expecting exit code 2, one line on stderr mentioning `needle`, and
/// nothing on stdout.
fn fails_with(args: &[&Path], needle: &str) {
    let mut cmd = bin();
    cmd.arg("compare");
    for a in args {
        cmd.arg(a);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{needle:?} not in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_file_is_an_error_naming_it() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    let missing = d.path().join("nope.txt");
    fails_with(&[&a, &missing], "nope.txt");
}

#[test]
fn empty_file_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    let e = write(d.path(), "empty.txt", "  \n\n");
    fails_with(&[&a, &e], "empty.txt");
}

#[test]
fn binary_file_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    let bin_path = d.path().join("blob.txt");
    fs::write(&bin_path, b"\x00\x01\x02PNG\x00\x00binary").unwrap();
    fails_with(&[&a, &bin_path], "blob.txt");
}

#[test]
fn invalid_utf8_is_an_error_with_its_line() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    let bad = d.path().join("latin1.txt");
    fs::write(
        &bad,
        b"First line is fine.\nSecond has caf\xe9 in Latin-1.\n",
    )
    .unwrap();
    fails_with(&[&a, &bad], "latin1.txt:2");
}

#[test]
fn malformed_json_is_an_error_with_line_and_column() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    let bad = write(d.path(), "bad.json", "{\n  \"text\": \"x\",\n  oops\n}\n");
    fails_with(&[&a, &bad], "bad.json:3:");
}

#[test]
fn one_version_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    fails_with(&[&a], "only one version");
}

#[test]
fn duplicate_ids_are_an_error() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "ap.txt", WIRE);
    fs::create_dir(d.path().join("other")).unwrap();
    let b = write(&d.path().join("other"), "ap.txt", OUTLET);
    fails_with(&[&a, &b], "duplicate");
}

#[test]
fn directory_without_supported_files_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    let empty = d.path().join("nothing");
    fs::create_dir(&empty).unwrap();
    fs::write(empty.join("image.png"), b"not text").unwrap();
    fails_with(&[&a, &empty], "nothing");
}

#[test]
fn failed_run_leaves_no_output_file() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    let report = d.path().join("report.json");
    bin()
        .args(["compare", "--format", "json", "--output"])
        .arg(&report)
        .arg(&a)
        .arg(d.path().join("missing.txt"))
        .assert()
        .code(2);
    assert!(!report.exists());
}

#[test]
fn unknown_base_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    let b = write(d.path(), "b.txt", OUTLET);
    bin()
        .args(["compare", "--base", "reuters"])
        .arg(&a)
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("reuters"));
}

#[test]
fn unreadable_file_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt", WIRE);
    let locked = write(d.path(), "locked.txt", OUTLET);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_ok() {
        // Running as root: permissions do not stop reads. A path through a regular
        // file cannot be read by anyone, so it stands in.
        let through = locked.join("child.txt");
        fails_with(&[&a, &through], "child.txt");
    } else {
        fails_with(&[&a, &locked], "locked.txt: permission denied");
    }
}

#[test]
fn color_always_colours_and_no_color_is_honoured_on_auto() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "ap.txt", WIRE);
    let b = write(d.path(), "outlet.txt", OUTLET);
    bin()
        .args(["compare", "--color", "always"])
        .arg(&a)
        .arg(&b)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\u{1b}["));
    // Not a terminal and NO_COLOR set: plain text either way.
    bin()
        .env("NO_COLOR", "1")
        .args(["compare"])
        .arg(&a)
        .arg(&b)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn bad_threshold_is_a_usage_error() {
    bin()
        .args(["compare", "--threshold", "1.5", "a.txt", "b.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside 0 to 1"));
}

#[test]
fn markdown_is_inferred_from_the_output_extension() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "ap.txt", WIRE);
    let b = write(d.path(), "outlet.txt", OUTLET);
    let report = d.path().join("report.md");
    bin()
        .args(["compare", "--output"])
        .arg(&report)
        .arg(&a)
        .arg(&b)
        .assert()
        .code(1);
    let md = fs::read_to_string(&report).unwrap();
    assert!(md.starts_with("# claimdiff report"), "{md}");
    assert!(md.contains("| # | claim (text of ap) | outlet | key difference |"));
    // The quote edit shows as struck and inserted words.
    assert!(md.contains("~~be~~ **come**"), "{md}");
}

#[test]
fn html_report_is_self_contained_and_escapes_article_text() {
    let d = tempfile::tempdir().unwrap();
    let hostile = "Officials said <script>alert(1)</script> was posted.\n\
        A caption read \"><img src=x onerror=alert(2)> under the photo.\n\
        The page ended with </style><b>bold</b> text.\n";
    let a = write(d.path(), "ap.txt", hostile);
    let b = write(
        d.path(),
        "outlet.txt",
        &hostile.replace("posted", "deleted"),
    );
    let report = d.path().join("report.html");
    bin()
        .args(["compare", "--output"])
        .arg(&report)
        .arg(&a)
        .arg(&b)
        .assert()
        .code(1);
    let html = fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(
        !html.to_lowercase().contains("<script"),
        "no script element at all"
    );
    assert!(
        !html.contains("<img"),
        "article markup must not become elements"
    );
    assert!(
        !html.contains("<b>bold"),
        "article markup must not become elements"
    );
    assert_eq!(
        html.matches("</style>").count(),
        1,
        "only our own stylesheet closes"
    );
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the tag shows as text"
    );
    // Nothing is loaded from elsewhere.
    for needle in ["http://", "https://", "src=\"", "@import", "url("] {
        assert!(!html.contains(needle), "{needle} found");
    }
    // The changed word is highlighted.
    assert!(html.contains("<del>posted</del>") && html.contains("<ins>deleted</ins>"));
}

#[test]
fn attributions_json_has_spans_and_kinds() {
    let d = tempfile::tempdir().unwrap();
    let a = write(
        d.path(),
        "a.txt",
        "The ministers met for 10 hours, AP reported.\n“We will try,” Kerry said.\n",
    );
    let out = bin()
        .args(["attributions", "--format", "json"])
        .arg(&a)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    let list = v["attributions"].as_array().unwrap();
    let kinds: Vec<&str> = list.iter().map(|x| x["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"organisation_credit"), "{kinds:?}");
    assert!(kinds.contains(&"direct_quote"), "{kinds:?}");
    let kerry = list.iter().find(|x| x["kind"] == "direct_quote").unwrap();
    assert_eq!(kerry["source"]["text"], "Kerry");
    assert_eq!(kerry["sentence"], 1);
    // Offsets are chars into the text, end exclusive.
    let start = kerry["cue"]["start"].as_u64().unwrap() as usize;
    let text = fs::read_to_string(&a).unwrap();
    let cue: String = text.chars().skip(start).take(4).collect();
    assert_eq!(cue, "said");
}

#[test]
fn batch_writes_one_line_per_story_in_order_whatever_the_jobs() {
    let d = tempfile::tempdir().unwrap();
    let mut corpus = String::new();
    for (story, changed) in [("s1", false), ("s2", true), ("s3", false)] {
        let outlet = if changed {
            WIRE.replace("10 hours", "12 hours")
        } else {
            WIRE.to_string()
        };
        for (id, text) in [("wire", WIRE.to_string()), ("outlet", outlet)] {
            corpus
                .push_str(&serde_json::json!({"story": story, "id": id, "text": text}).to_string());
            corpus.push('\n');
        }
    }
    // A story with one version only: reported with its line and skipped.
    corpus
        .push_str(&serde_json::json!({"story": "lonely", "id": "wire", "text": WIRE}).to_string());
    corpus.push('\n');
    let input = write(d.path(), "corpus.jsonl", &corpus);
    let run = |jobs: &str| {
        bin()
            .args(["batch", "--jobs", jobs])
            .arg(&input)
            .output()
            .unwrap()
    };
    let one = run("1");
    let two = run("2");
    assert_eq!(one.status.code(), Some(1), "a skipped story makes exit 1");
    assert_eq!(
        one.stdout, two.stdout,
        "same bytes whatever the thread count"
    );
    let lines: Vec<Value> = String::from_utf8(one.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let keys: Vec<&str> = lines.iter().map(|v| v["story"].as_str().unwrap()).collect();
    assert_eq!(keys, vec!["s1", "s2", "s3"]);
    assert_eq!(lines[0]["summary"]["agree"], true);
    assert_eq!(lines[1]["summary"]["agree"], false);
    let err = String::from_utf8_lossy(&one.stderr);
    assert_eq!(
        err.matches("corpus.jsonl:7").count(),
        1,
        "reported once: {err}"
    );
    assert!(err.contains("3 stories compared, 1 skipped"), "{err}");
}

#[test]
fn batch_with_nothing_comparable_exits_two_and_writes_no_file() {
    let d = tempfile::tempdir().unwrap();
    let input = write(d.path(), "bad.jsonl", "{not json}\n");
    let report = d.path().join("out.jsonl");
    bin()
        .args(["batch", "--output"])
        .arg(&report)
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.jsonl:1"))
        // The closing line blames the input, not the report being written.
        .stderr(predicate::str::contains(
            "bad.jsonl: no story could be compared",
        ))
        .stderr(predicate::str::contains("cannot write").not());
    assert!(!report.exists());
}

#[test]
fn batch_write_failure_names_the_output_and_stops() {
    let d = tempfile::tempdir().unwrap();
    let mut corpus = String::new();
    for s in 0..200 {
        for v in ["ap", "x"] {
            corpus.push_str(&format!(
                "{{\"story\": \"s{s}\", \"id\": \"{v}\", \"text\": {}}}\n",
                serde_json::to_string(WIRE).unwrap()
            ));
        }
    }
    let input = write(d.path(), "corpus.jsonl", &corpus);
    bin()
        .args(["batch", "--jobs", "2", "--output", "/dev/full"])
        .arg(&input)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/dev/full: cannot write report"));
}

#[cfg(unix)]
#[test]
fn output_to_a_device_writes_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "ap.txt", WIRE);
    let b = write(d.path(), "outlet.txt", OUTLET);
    bin()
        .args(["compare", "--output", "/dev/null"])
        .arg(&a)
        .arg(&b)
        .assert()
        .code(1);
    let meta = fs::metadata("/dev/null").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null must stay a device, not be replaced by the report"
    );
    let out = bin()
        .args(["compare", "--output"])
        .arg(d.path())
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
}
