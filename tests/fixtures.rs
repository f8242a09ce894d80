//! The bundled fixture stories (see fixtures/README.md for the answer key): every
//! planted difference is found, nothing unplanted is reported as a change, and the
//! rendered table and JSON match their snapshots.

use std::path::PathBuf;

use claimdiff::compare::{CompareOptions, Comparison, DiffKind, VersionStatus, compare};
use claimdiff::load::load_versions;
use claimdiff::report::{self, Format, ReportOptions};

fn story(files: &[&str]) -> Comparison {
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|f| PathBuf::from("fixtures").join(f))
        .collect();
    compare(
        load_versions(&paths).expect("fixture loads"),
        &CompareOptions::default(),
    )
    .expect("fixture compares")
}

fn port_strike() -> Comparison {
    story(&[
        "port-strike/ap.txt",
        "port-strike/herald.md",
        "port-strike/coastnews.txt",
    ])
}

fn budget_vote() -> Comparison {
    story(&["budget-vote"])
}

fn wildfire() -> Comparison {
    story(&[
        "wildfire/afp.txt",
        "wildfire/local.txt",
        "wildfire/aggregator.txt",
    ])
}

fn ceasefire() -> Comparison {
    story(&[
        "ceasefire-talks/ap.txt",
        "ceasefire-talks/arabnews.txt",
        "ceasefire-talks/outlet.txt",
    ])
}

fn bridge_closure() -> Comparison {
    story(&["bridge-closure/ap.txt", "bridge-closure/fjordpost.txt"])
}

fn version(cmp: &Comparison, id: &str) -> usize {
    cmp.versions
        .iter()
        .position(|v| v.doc.id == id)
        .expect("version exists")
}

/// The differences of `kind` in version `id` on the claim whose reference text contains
/// `needle`, as (reference, other, detail).
fn found(cmp: &Comparison, needle: &str, id: &str, kind: DiffKind) -> Vec<Option<String>> {
    let v = version(cmp, id);
    let claim = cmp
        .claims
        .iter()
        .find(|c| {
            cmp.group_text(c.reference, &c.members[c.reference].sentences)
                .contains(needle)
        })
        .unwrap_or_else(|| panic!("no claim with {needle:?}"));
    claim
        .differences
        .iter()
        .filter(|d| d.version == v && d.kind == kind)
        .map(|d| d.detail.clone())
        .collect()
}

fn status(cmp: &Comparison, needle: &str, id: &str) -> VersionStatus {
    let v = version(cmp, id);
    cmp.claims
        .iter()
        .find(|c| {
            cmp.group_text(c.reference, &c.members[c.reference].sentences)
                .contains(needle)
        })
        .unwrap_or_else(|| panic!("no claim with {needle:?}"))
        .members[v]
        .status
}

fn all_kinds(cmp: &Comparison) -> Vec<DiffKind> {
    cmp.claims
        .iter()
        .flat_map(|c| c.differences.iter().map(|d| d.kind))
        .collect()
}

#[test]
fn port_strike_verdicts() {
    let c = port_strike();
    assert_eq!(
        found(
            &c,
            "halting container traffic",
            "herald",
            DiffKind::NumberChanged
        ),
        vec![Some("12 → 10".to_string())]
    );
    assert_eq!(
        found(&c, "thrown away", "herald", DiffKind::QuoteChanged),
        vec![Some("away → out".to_string())]
    );
    assert_eq!(
        status(&c, "thrown away", "coastnews"),
        VersionStatus::Identical
    );
    assert_eq!(
        found(&c, "Talks between the union", "herald", DiffKind::Split).len(),
        1
    );
    assert_eq!(
        found(&c, "Economy Minister", "herald", DiffKind::Merged).len(),
        1
    );
    assert_eq!(
        found(&c, "second, 48-hour stoppage", "coastnews", DiffKind::Moved).len(),
        1
    );
    assert_eq!(
        status(&c, "Local exporters", "herald"),
        VersionStatus::Added
    );
    assert_eq!(
        status(&c, "Truck drivers", "herald"),
        VersionStatus::Missing
    );
    assert_eq!(
        status(&c, "Truck drivers", "coastnews"),
        VersionStatus::Missing
    );
    // coastnews rewords the lead and keeps the figure: reworded, not changed.
    assert_eq!(
        status(&c, "halting container traffic", "coastnews"),
        VersionStatus::Reworded
    );
    // The label line is metadata, not a sentence.
    let coast = &c.versions[version(&c, "coastnews")];
    assert_eq!(coast.doc.meta.label.as_deref(), Some("coastnews"));
    assert!(coast.sentences.iter().all(|s| s.text != "coastnews"));
    // Markdown front matter.
    assert_eq!(c.versions[version(&c, "herald")].doc.source, "Daily Herald");
}

#[test]
fn budget_vote_verdicts() {
    let c = budget_vote();
    assert_eq!(
        c.versions[c.base].doc.id, "reuters",
        "role: wire picks the base"
    );
    assert_eq!(
        found(
            &c,
            "gasoline tax by 4.5%",
            "outlet-a",
            DiffKind::NumberChanged
        ),
        vec![Some("4.5 → 5.4".to_string())]
    );
    assert_eq!(
        found(&c, "Sen. Maria Ortiz", "outlet-a", DiffKind::NameChanged),
        vec![Some("Ortiz → Ortega".to_string())]
    );
    assert_eq!(
        found(&c, "Marsh will sign", "outlet-a", DiffKind::NegationChanged).len(),
        1
    );
    assert_eq!(
        status(&c, "Marsh will sign", "outlet-c"),
        VersionStatus::Identical
    );
    // Shared by two outlets, absent from the wire: one claim, added in both.
    assert_eq!(
        status(&c, "Gas station owners", "outlet-a"),
        VersionStatus::Added
    );
    assert_eq!(
        status(&c, "Gas station owners", "outlet-b"),
        VersionStatus::Added
    );
    assert_eq!(
        status(&c, "Gas station owners", "outlet-c"),
        VersionStatus::Absent
    );
    assert!(
        found(&c, "Opponents argued", "outlet-b", DiffKind::Moved).len()
            + found(
                &c,
                "The Wisconsin Senate approved",
                "outlet-b",
                DiffKind::Moved
            )
            .len()
            >= 1
    );
    // Pre-split sentences are used exactly as given.
    assert_eq!(c.versions[version(&c, "outlet-c")].sentences.len(), 7);
    // A dropped figure ("after a 14-hour debate") is rewording, not a changed number.
    assert_eq!(
        status(&c, "$4.2 billion", "outlet-c"),
        VersionStatus::Reworded
    );
}

#[test]
fn wildfire_has_no_false_changes() {
    let c = wildfire();
    assert!(
        !all_kinds(&c).contains(&DiffKind::NumberChanged),
        "5,000 = 5000"
    );
    assert!(
        !all_kinds(&c).contains(&DiffKind::QuoteChanged),
        "typography only"
    );
    assert_eq!(
        status(&c, "moving faster", "local"),
        VersionStatus::Identical
    );
    assert_eq!(status(&c, "Swan Valley", "local"), VersionStatus::Missing);
    assert_eq!(status(&c, "Mundaring", "local"), VersionStatus::Added);
    let agg = &c.versions[version(&c, "aggregator")];
    assert_eq!(agg.doc.meta.label.as_deref(), Some("aggregator"));
    assert_eq!(agg.sentences.len(), 6);
}

#[test]
fn ceasefire_credit_audit() {
    use claimdiff::compare::credits::Verdict;
    let c = ceasefire();
    let outlet = version(&c, "outlet");
    let text = |v: usize, i: usize| c.versions[v].sentences[i].text.clone();
    let verdict_of = |needle: &str| {
        c.credits
            .audits
            .iter()
            .find(|a| a.version == outlet && text(outlet, a.sentence).contains(needle))
            .map(|a| (a.verdict, a.cited, a.found_in.clone()))
    };
    let arab = version(&c, "arabnews");
    let ap = version(&c, "ap");
    // Credited to AP, but only Arab News carries it.
    assert_eq!(
        verdict_of("exchange lists of prisoners"),
        Some((Verdict::Misattributed, ap, vec![arab]))
    );
    assert_eq!(
        verdict_of("reopen the road to Varn").map(|v| v.0),
        Some(Verdict::Supported)
    );
    assert_eq!(
        verdict_of("last three days").map(|v| v.0),
        Some(Verdict::Supported)
    );
    // The near-verbatim Brandt sentence copied from AP without credit.
    assert!(c.credits.uncredited.iter().any(|u| u.version == outlet
        && u.from == ap
        && text(outlet, u.sentences[0]).contains("government team is led by")));
    // A vague credit is not an uncredited copy.
    assert!(
        !c.credits.uncredited.iter().any(|u| u.version == outlet
            && text(outlet, u.sentences[0]).contains("according to officials"))
    );
    assert_eq!(
        found(&c, "came here to talk", "outlet", DiffKind::QuoteChanged),
        vec![Some("talk → negotiate".to_string())]
    );
    assert_eq!(
        found(&c, "Tomas Reyes", "outlet", DiffKind::CueChanged),
        vec![Some("said → claimed (loaded verb)".to_string())]
    );
}

fn rendered(cmp: &Comparison, format: Format) -> String {
    let opts = ReportOptions {
        width: Some(120),
        ..ReportOptions::default()
    };
    let mut out = Vec::new();
    report::renderer(format, &opts)
        .render(cmp, &mut out)
        .expect("renders");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn snapshots() {
    for (name, cmp) in [
        ("port_strike", port_strike()),
        ("budget_vote", budget_vote()),
        ("wildfire", wildfire()),
        ("ceasefire", ceasefire()),
        ("bridge_closure", bridge_closure()),
    ] {
        insta::assert_snapshot!(format!("{name}_table"), rendered(&cmp, Format::Table));
        insta::assert_snapshot!(format!("{name}_json"), rendered(&cmp, Format::Json));
        insta::assert_snapshot!(format!("{name}_markdown"), rendered(&cmp, Format::Markdown));
        insta::assert_snapshot!(format!("{name}_html"), rendered(&cmp, Format::Html));
    }
}

#[test]
fn markdown_report_is_commonmark_with_whole_tables() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let cmp = port_strike();
    let md = rendered(&cmp, Format::Markdown);
    let mut tables = 0;
    let mut rows = 0;
    for event in Parser::new_ext(&md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::TableRow) => rows += 1,
            _ => {}
        }
    }
    // Versions, claims and credit audit tables, every row parsed as a table row.
    assert!(tables >= 2, "{tables} tables");
    let expected = cmp.versions.len() + cmp.claims.len();
    assert!(
        rows >= expected,
        "{rows} rows, expected at least {expected}"
    );
}
