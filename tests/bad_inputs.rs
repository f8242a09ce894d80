//! The bad-input corpus: every case must give exit code 2 and one line on stderr that
//! starts `claimdiff: `, names the file (and the line where there is one), shows no panic,
//! and leaves no report file behind. Cases are built in a temporary directory at test
//! time, so nothing large or binary is stored in the repository. Valid but odd inputs
//! follow at the end: they must give sensible reports.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const OK: &str = "The council approved the budget on Monday.\nIt passed by 12 votes to 3.\n";

fn bin() -> Command {
    Command::cargo_bin("claimdiff").expect("binary builds")
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

/// One bad input: how to build it, the extra arguments, and what the error must say.
struct Case {
    name: &'static str,
    /// Builds the input in the directory and returns the paths to pass.
    build: fn(&Path) -> Vec<PathBuf>,
    args: &'static [&'static str],
    /// Text the message must contain after `claimdiff: <file>`.
    says: &'static str,
    /// The `:line` the message must carry right after the file name, if any.
    line: Option<usize>,
}

fn with_ok(dir: &Path, bad: PathBuf) -> Vec<PathBuf> {
    vec![bad, write(dir, "ok.txt", OK)]
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "empty file",
            build: |d| with_ok(d, write(d, "bad.txt", "")),
            args: &[],
            says: "empty input",
            line: None,
        },
        Case {
            name: "whitespace only",
            build: |d| with_ok(d, write(d, "bad.txt", " \n\t\r\n  ")),
            args: &[],
            says: "empty input",
            line: None,
        },
        Case {
            name: "binary file",
            build: |d| with_ok(d, write(d, "bad.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")),
            args: &[],
            says: "binary file (NUL byte)",
            line: Some(3),
        },
        Case {
            name: "NUL byte in text",
            build: |d| with_ok(d, write(d, "bad.txt", "One.\nTwo.\nThree\0.\n")),
            args: &[],
            says: "binary file (NUL byte)",
            line: Some(3),
        },
        Case {
            name: "invalid UTF-8",
            build: |d| with_ok(d, write(d, "bad.txt", b"Fine.\nCaf\xe9 au lait.\n")),
            args: &[],
            says: "invalid UTF-8 at byte 9",
            line: Some(2),
        },
        Case {
            name: "UTF-16 LE with BOM",
            build: |d| {
                let mut b = vec![0xFF, 0xFE];
                b.extend("Hello there.".encode_utf16().flat_map(u16::to_le_bytes));
                with_ok(d, write(d, "bad.txt", b))
            },
            args: &[],
            says: "UTF-16 text is not supported",
            line: None,
        },
        Case {
            name: "UTF-16 BE with BOM",
            build: |d| {
                let mut b = vec![0xFE, 0xFF];
                b.extend("Hello there.".encode_utf16().flat_map(u16::to_be_bytes));
                with_ok(d, write(d, "bad.txt", b))
            },
            args: &[],
            says: "UTF-16 text is not supported",
            line: None,
        },
        Case {
            name: "100 MB single line",
            build: |d| {
                let line = "word ".repeat(20 * 1024 * 1024);
                with_ok(d, write(d, "bad.txt", line))
            },
            args: &[],
            says: "a paragraph of 104857600 bytes; the limit is 1048576",
            line: Some(1),
        },
        Case {
            name: "file over the size limit (sparse)",
            build: |d| {
                let p = d.join("bad.txt");
                fs::File::create(&p)
                    .unwrap()
                    .set_len(600 * 1024 * 1024)
                    .unwrap();
                with_ok(d, p)
            },
            args: &[],
            says: "input is larger than 512 MB",
            line: None,
        },
        Case {
            name: "10,000 tiny files in a directory",
            build: |d| {
                let dir = d.join("bad");
                fs::create_dir(&dir).unwrap();
                for i in 0..10_000 {
                    fs::write(dir.join(format!("{i:05}.txt")), "Hi.").unwrap();
                }
                vec![dir]
            },
            args: &[],
            says: "directory has 10000 input files; claimdiff compares at most 1000",
            line: None,
        },
        Case {
            name: "deeply nested JSON",
            build: |d| with_ok(d, write(d, "bad.json", "[".repeat(100_000))),
            args: &[],
            says: "malformed JSON: recursion limit exceeded",
            line: Some(1),
        },
        Case {
            name: "JSON number where text should be",
            build: |d| with_ok(d, write(d, "bad.json", r#"{"id": "x", "text": 42}"#)),
            args: &[],
            says: "field \"text\" must be a string",
            line: None,
        },
        Case {
            name: "JSON truncated",
            build: |d| with_ok(d, write(d, "bad.json", "{\n  \"text\": \"It began")),
            args: &[],
            says: "malformed JSON: EOF while parsing a string",
            line: Some(2),
        },
        Case {
            name: "JSON without text",
            build: |d| with_ok(d, write(d, "bad.json", r#"{"id": "x", "title": "T"}"#)),
            args: &[],
            says: "no text: expected a \"text\"",
            line: None,
        },
        Case {
            name: "JSON sentences not an array",
            build: |d| with_ok(d, write(d, "bad.json", r#"{"sentences": "One. Two."}"#)),
            args: &[],
            says: "field \"sentences\" must be an array of strings",
            line: None,
        },
        Case {
            name: "JSON sentence not a string",
            build: |d| with_ok(d, write(d, "bad.json", r#"{"sentences": ["One.", 2]}"#)),
            args: &[],
            says: "sentence 1 in \"sentences\" must be a string",
            line: None,
        },
        Case {
            name: "JSON empty array",
            build: |d| with_ok(d, write(d, "bad.json", "[]")),
            args: &[],
            says: "empty JSON array",
            line: None,
        },
        Case {
            name: "JSON scalar",
            build: |d| with_ok(d, write(d, "bad.json", "\"just a string\"")),
            args: &[],
            says: "expected a JSON object or an array of objects",
            line: None,
        },
        Case {
            name: "JSONL malformed line",
            build: |d| {
                with_ok(
                    d,
                    write(
                        d,
                        "bad.jsonl",
                        "{\"text\": \"One.\"}\n{\"text\": \"Two.\"}\n{\"text\": Three}\n",
                    ),
                )
            },
            args: &[],
            says: "malformed JSON",
            line: Some(3),
        },
        Case {
            name: "JSONL line not an object",
            build: |d| with_ok(d, write(d, "bad.jsonl", "{\"text\": \"One.\"}\n[1, 2]\n")),
            args: &[],
            says: "line is not a JSON object",
            line: Some(2),
        },
        Case {
            name: "Markdown front matter never closed",
            build: |d| {
                with_ok(
                    d,
                    write(d, "bad.md", "---\ntitle: Vote\nThe vote failed.\n"),
                )
            },
            args: &[],
            says: "front matter opened with `---` on line 1 is never closed",
            line: Some(3),
        },
        Case {
            name: "Markdown with front matter only",
            build: |d| with_ok(d, write(d, "bad.md", "---\ntitle: Vote\n---\n")),
            args: &[],
            says: "the Markdown has no text",
            line: None,
        },
        Case {
            name: "HTML page with no article",
            build: |d| {
                let page = "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> \
                    <a href='/news'>News</a></nav><footer>(c) Site</footer></body></html>";
                with_ok(d, write(d, "bad.html", page))
            },
            args: &[],
            says: "no article text found in the page",
            line: None,
        },
        Case {
            name: "HTML nested 100,000 deep",
            build: |d| {
                let page = format!(
                    "<html><body>{}<p>The vote failed on Monday after a long debate.</p>{}</body></html>",
                    "<div>".repeat(100_000),
                    "</div>".repeat(100_000)
                );
                with_ok(d, write(d, "bad.html", page))
            },
            args: &[],
            says: "HTML nested 100000 elements deep; the limit is 1000",
            line: None,
        },
        Case {
            name: "HTML empty document",
            build: |d| with_ok(d, write(d, "bad.html", "<!doctype html><html></html>")),
            args: &[],
            says: "no article text found in the page",
            line: None,
        },
        Case {
            name: "CSV with no text column",
            build: |d| with_ok(d, write(d, "bad.csv", "id,title\n1,Vote\n")),
            args: &[],
            says: "no text column (looked for text, content, article_content, body, article)",
            line: Some(1),
        },
        Case {
            name: "CSV missing a named column",
            build: |d| with_ok(d, write(d, "bad.csv", "id,text\n1,The vote failed.\n")),
            args: &["--text-column", "story_text"],
            says: "no column \"story_text\" (from --text-column); columns: id, text",
            line: Some(1),
        },
        Case {
            name: "CSV ragged row",
            build: |d| {
                with_ok(
                    d,
                    write(
                        d,
                        "bad.csv",
                        "id,text\n1,The vote failed.\n2,It passed.,extra\n",
                    ),
                )
            },
            args: &[],
            says: "row has 3 cells but the header has 2",
            line: Some(3),
        },
        Case {
            name: "CSV header only",
            build: |d| with_ok(d, write(d, "bad.csv", "id,text\n")),
            args: &[],
            says: "no rows after the header",
            line: None,
        },
        Case {
            name: "CSV empty text cell",
            build: |d| {
                with_ok(
                    d,
                    write(d, "bad.csv", "id,text\n1,The vote failed.\n2,\"  \"\n"),
                )
            },
            args: &[],
            says: "empty text in column \"text\"",
            line: Some(3),
        },
        Case {
            name: "CSV unterminated quote",
            build: |d| {
                with_ok(
                    d,
                    write(
                        d,
                        "bad.csv",
                        "id,text\n1,\"The vote failed.\n2,It passed.\n",
                    ),
                )
            },
            args: &[],
            says: "a quoted cell opened on this line is never closed",
            line: Some(2),
        },
        Case {
            name: "symlink loop",
            build: |d| {
                let (a, b) = (d.join("bad.txt"), d.join("loop.txt"));
                std::os::unix::fs::symlink(&b, &a).unwrap();
                std::os::unix::fs::symlink(&a, &b).unwrap();
                with_ok(d, a)
            },
            args: &[],
            says: "symbolic link loop",
            line: None,
        },
        Case {
            name: "unreadable file (read fails)",
            build: |d| with_ok(d, PathBuf::from("/proc/self/mem")),
            args: &[],
            says: "cannot read: Input/output error",
            line: None,
        },
        Case {
            name: "device file",
            build: |d| with_ok(d, PathBuf::from("/dev/zero")),
            args: &[],
            says: "not a regular file",
            line: None,
        },
        Case {
            name: "missing file",
            build: |d| with_ok(d, d.join("bad.txt")),
            args: &[],
            says: "no such file or directory",
            line: None,
        },
        Case {
            name: "unsupported extension",
            build: |d| with_ok(d, write(d, "bad.png", "not really a picture")),
            args: &[],
            says: "unsupported file type",
            line: None,
        },
        Case {
            name: "directory with no supported files",
            build: |d| {
                let dir = d.join("bad");
                fs::create_dir(&dir).unwrap();
                fs::write(dir.join("photo.jpg"), "x").unwrap();
                vec![dir]
            },
            args: &[],
            says: "directory has no supported files",
            line: None,
        },
        Case {
            name: "one version only",
            build: |d| vec![write(d, "bad.txt", OK)],
            args: &[],
            says: "only one version given",
            line: None,
        },
        Case {
            name: "duplicate ids",
            build: |d| {
                let a = write(d, "bad.json", r#"{"id": "same", "text": "One."}"#);
                let b = write(d, "other.json", r#"{"id": "same", "text": "Two."}"#);
                vec![b, a]
            },
            args: &[],
            says: "duplicate version id \"same\"",
            line: None,
        },
        Case {
            name: "story key not in the input",
            build: |d| {
                vec![write(
                    d,
                    "bad.csv",
                    "story,text\ns1,The vote failed.\ns1,The vote passed.\n",
                )]
            },
            args: &["--story", "s9"],
            says: "no version belongs to story \"s9\" (stories: s1)",
            line: None,
        },
    ]
}

#[test]
fn every_bad_input_gets_one_clear_line_and_exit_2() {
    let all = cases();
    assert!(all.len() >= 30, "the corpus has {} cases", all.len());
    for case in all {
        let d = tempfile::tempdir().unwrap();
        let paths = (case.build)(d.path());
        let report = d.path().join("report.json");
        let out = bin()
            .arg("compare")
            .args(case.args)
            .arg("--output")
            .arg(&report)
            .args(&paths)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let name = case.name;
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}");
        assert!(!report.exists(), "{name}: a report was written");
        // The message names the bad input: the path called `bad...`, else the first.
        let bad = paths
            .iter()
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("bad"))
            })
            .unwrap_or(&paths[0]);
        let file = bad.display().to_string();
        let prefix = match case.line {
            Some(l) => format!("claimdiff: {file}:{l}"),
            None => format!("claimdiff: {file}"),
        };
        assert!(err.starts_with(&prefix), "{name}: {err} (wanted {prefix})");
        assert!(err.contains(case.says), "{name}: {err}");
    }
}

#[test]
fn an_unreadable_file_is_named_when_permissions_bite() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "secret.txt", OK);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&p).is_ok() {
        // Running as root: permissions do not stop reads; the /proc/self/mem case above
        // covers a failing read.
        return;
    }
    let ok = write(d.path(), "ok.txt", OK);
    let out = bin().arg("compare").arg(&p).arg(&ok).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        format!("claimdiff: {}: permission denied", p.display())
    );
}

#[test]
fn odd_but_valid_inputs_give_sensible_reports() {
    let d = tempfile::tempdir().unwrap();
    let json = |args: &[&str], paths: &[PathBuf]| -> (i32, Value) {
        let out = bin()
            .arg("compare")
            .args(["--format", "json"])
            .args(args)
            .args(paths)
            .output()
            .unwrap();
        let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (out.status.code().unwrap(), v)
    };

    // One sentence each, the same claim.
    let a = write(d.path(), "a.txt", "The bridge reopened on Monday.");
    let b = write(d.path(), "b.txt", "The bridge reopened on Monday.\n");
    let (code, v) = json(&[], &[a.clone(), b]);
    assert_eq!(code, 0);
    assert_eq!(v["claims"].as_array().unwrap().len(), 1);

    // A version identical to another, with CRLF line ends.
    let c = write(d.path(), "c.txt", OK.replace('\n', "\r\n"));
    let e = write(d.path(), "e.txt", OK);
    let (code, v) = json(&[], &[c, e]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["claims_by_status"]["identical"], 2, "{v}");

    // A version that is nothing but boilerplate: every claim is missing from it.
    let f = write(d.path(), "f.txt", "By Staff\n-30-\n");
    let (code, v) = json(&[], &[write(d.path(), "g.txt", OK), f]);
    assert_eq!(code, 1);
    assert_eq!(v["versions"][1]["sentences"].as_array().unwrap().len(), 0);
    assert_eq!(v["versions"][1]["boilerplate"].as_array().unwrap().len(), 2);

    // Fifty versions: one of them changes a figure.
    let dir = d.path().join("fifty");
    fs::create_dir(&dir).unwrap();
    for i in 0..50 {
        let text = if i == 37 {
            OK.replace("12 votes", "13 votes")
        } else {
            OK.to_string()
        };
        fs::write(dir.join(format!("v{i:02}.txt")), text).unwrap();
    }
    let (code, v) = json(&[], &[dir]);
    assert_eq!(code, 1);
    assert_eq!(v["versions"].as_array().unwrap().len(), 50);
    let changed: Vec<&str> = v["claims"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["differences"].as_array().unwrap())
        .filter(|x| x["kind"] == "number_changed")
        .map(|x| x["version"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["v37"]);
}
