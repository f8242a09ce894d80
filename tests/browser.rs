//! The HTML report in a real browser: headless Chromium loads a fixture report, the DOM
//! it dumps must hold every claim row and the word highlights, the screenshot must not
//! be blank, and the browser must log no console error or blocked load (a
//! Content-Security-Policy violation would show there).
//!
//! Needs `chromium` (Debian's package; `.ci/run` installs it). Without it the test says
//! so and passes, except under CI (`CI` set), where a missing browser is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use claimdiff::compare::{CompareOptions, compare};
use claimdiff::load::load_versions;
use claimdiff::report::{self, Format, ReportOptions};

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    candidates.into_iter().flatten().find(|p| p.exists())
}

fn run_browser(browser: &Path, profile: &Path, args: &[&str], page: &str) -> (String, String) {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(page)
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {out:?}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn html_report_renders_in_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is missing under CI; .ci/run should have installed it"
        );
        eprintln!("skipped: chromium not installed (apt-get install chromium)");
        return;
    };
    let files: Vec<PathBuf> = ["ap.txt", "herald.md", "coastnews.txt"]
        .iter()
        .map(|f| Path::new("fixtures/port-strike").join(f))
        .collect();
    let cmp = compare(load_versions(&files).unwrap(), &CompareOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let page_path = dir.path().join("report.html");
    let mut html = Vec::new();
    report::renderer(Format::Html, &ReportOptions::default())
        .render(&cmp, &mut html)
        .unwrap();
    std::fs::write(&page_path, &html).unwrap();
    let page = format!("file://{}", page_path.display());

    let (dom, log) = run_browser(&browser, &dir.path().join("p1"), &["--dump-dom"], &page);
    for c in &cmp.claims {
        assert!(
            dom.contains(&format!("id=\"claim-{}\"", c.number)),
            "claim {} row missing from the rendered DOM",
            c.number
        );
    }
    assert!(
        dom.contains("<del>12</del>") && dom.contains("<ins>10</ins>"),
        "highlights"
    );
    assert!(
        dom.contains("<del>away</del>") && dom.contains("<ins>out</ins>"),
        "quote edit"
    );
    let problems: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Content Security Policy")
                || l.contains("Refused to")
        })
        .collect();
    assert!(problems.is_empty(), "browser logged: {problems:#?}");

    let shot = std::env::var_os("CLAIMDIFF_SCREENSHOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("claimdiff-report.png"));
    run_browser(
        &browser,
        &dir.path().join("p2"),
        &[
            "--window-size=1280,1600",
            &format!("--screenshot={}", shot.display()),
        ],
        &page,
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    // A blank page compresses to a few kilobytes; this report's first screen does not.
    assert!(
        png.len() > 30_000,
        "screenshot looks blank ({} bytes)",
        png.len()
    );
    eprintln!("screenshot: {}", shot.display());
}
