//! The Spark recipe (`bench/spark/claimdiff_spark.py`) in Spark local mode gives, story by
//! story, what one `claimdiff batch` process gives. Skipped, saying so, when pyspark
//! cannot be imported or Java is missing.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

const TOWNS: [&str; 10] = [
    "Marlow", "Penrith", "Ashby", "Kelso", "Tarbert", "Ludlow", "Wick", "Bude", "Alnwick", "Settle",
];
const THINGS: [&str; 10] = [
    "footbridge",
    "bus depot",
    "swimming pool",
    "tram line",
    "market hall",
    "flood wall",
    "cycle lane",
    "fire station",
    "library wing",
    "car park",
];

/// The wire copy of story `s`: invented, four paragraphs.
fn wire(s: usize) -> Vec<String> {
    let (town, thing) = (TOWNS[s], THINGS[s]);
    vec![
        format!(
            "{town} council voted {} to {} on Tuesday to approve a new {thing} costing {} million pounds.",
            7 + s,
            3 + s % 4,
            2 + s
        ),
        format!(
            "“This is the biggest project the town has seen in {} years,” the council leader said.",
            10 + s
        ),
        format!(
            "Opponents said the {thing} would not be finished before {}.",
            2030 + s
        ),
        format!("Work on the {thing} in {town} is due to start in the spring."),
    ]
}

fn corpus() -> Vec<Value> {
    let mut lines = Vec::new();
    for (s, town) in TOWNS.iter().enumerate() {
        let w = wire(s);
        let story = format!("{}-{s}", town.to_lowercase());
        lines.push(
            json!({"story": story, "id": "wire", "source": "AP", "role": "wire",
                          "text": w.join("\n")}),
        );
        // An outlet that cuts a paragraph and changes a figure.
        let cut = [
            w[0].replace(" million", ".5 million"),
            w[1].clone(),
            w[3].clone(),
        ];
        lines.push(json!({"story": story, "id": "herald", "source": "Herald",
                          "text": cut.join("\n")}));
        // One that moves a paragraph up and rewords a cue.
        let moved = [
            w[3].clone(),
            w[0].clone(),
            w[1].replace("leader said", "leader claimed"),
            w[2].clone(),
        ];
        lines.push(json!({"story": story, "id": "gazette", "source": "Gazette",
                          "sentences": moved}));
    }
    lines.push(json!({"story": "lonely", "id": "wire", "text": "Only one version of this."}));
    lines
}

/// Says why the test is skipped, past the test harness's capture of `println!`.
fn skip(why: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED tests/spark.rs: {why}");
}

fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A story's result without `versions[].origin`, the one field that names where the
/// version was read (a file and line, or Spark's `/dev/stdin` and line).
fn without_origins(mut v: Value) -> Value {
    if let Some(versions) = v["versions"].as_array_mut() {
        for version in versions {
            if let Some(m) = version.as_object_mut() {
                m.remove("origin");
            }
        }
    }
    v
}

fn by_story(text: &str) -> BTreeMap<String, Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            (v["story"].as_str().unwrap().to_string(), without_origins(v))
        })
        .collect()
}

fn write_lines(path: &Path, lines: &[&Value]) {
    let text: String = lines.iter().map(|v| format!("{v}\n")).collect();
    fs::write(path, text).unwrap();
}

#[test]
fn spark_local_mode_gives_the_single_process_results_story_by_story() {
    if !python_has("pyspark") {
        skip("pyspark is not importable (pip install pyspark)");
        return;
    }
    if !Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        skip("no java on PATH (Spark needs Java 17)");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_claimdiff");
    let d = tempfile::tempdir().unwrap();
    let lines = corpus();

    // One process: a story's lines must be consecutive, as the corpus makes them.
    let grouped = d.path().join("grouped.jsonl");
    write_lines(&grouped, &lines.iter().collect::<Vec<_>>());
    let single = Command::new(bin)
        .args(["batch", "--jobs", "2"])
        .arg(&grouped)
        .output()
        .unwrap();
    assert_eq!(single.status.code(), Some(1), "the lone story is skipped");
    let expected = by_story(&String::from_utf8(single.stdout).unwrap());
    assert_eq!(expected.len(), TOWNS.len());

    // Spark: the same lines shuffled (every story's versions far apart), three partitions.
    let mut shuffled: Vec<&Value> = Vec::new();
    for k in 0..3 {
        shuffled.extend(lines.iter().skip(k).step_by(3));
    }
    let pile = d.path().join("shuffled.jsonl");
    write_lines(&pile, &shuffled);
    let out = d.path().join("out");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/spark/claimdiff_spark.py");
    let run = Command::new("python3")
        .arg(&script)
        .args(["--master", "local[2]", "--partitions", "3", "--binary", bin])
        .arg("--input")
        .arg(&pile)
        .arg("--output")
        .arg(&out)
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "one story skipped: {stderr}");
    assert!(
        stderr.contains("claimdiff_spark: 10 stories compared, 1 skipped, 3 partitions"),
        "{stderr}"
    );
    let mut parts: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("part-")
        })
        .collect();
    parts.sort();
    let mut got = BTreeMap::new();
    let mut non_empty = 0;
    for p in &parts {
        let part = by_story(&fs::read_to_string(p).unwrap());
        non_empty += usize::from(!part.is_empty());
        for (story, v) in part {
            assert!(got.insert(story.clone(), v).is_none(), "{story} twice");
        }
    }
    assert!(non_empty > 1, "stories spread over partitions");
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (story, want) in &expected {
        assert_eq!(&got[story], want, "story {story}");
    }
    // The check is not vacuous: the stories carry the differences made above.
    let kinds: Vec<&str> = expected["marlow-0"]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["differences"].as_array().unwrap())
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"number_changed"), "{kinds:?}");
    assert!(kinds.contains(&"missing"), "{kinds:?}");
}
