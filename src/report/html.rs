//! HTML report: one self-contained file an editor can open offline. Inline CSS, no
//! scripts, fonts or images, and a Content-Security-Policy that forbids loading
//! anything. A claim-by-version matrix coloured by status with word-level highlights,
//! coverage bars per version, a side-by-side view of each version against the base
//! (`<details>`, so it works without JavaScript), an anchor per claim, a legend, a
//! print stylesheet and a narrow-screen layout.
//!
//! The template (`templates/report.html`) is compiled and checked by askama and escapes
//! every value by default: article text is hostile input and always comes out as text.

use std::io;

use askama::Template;

use super::{
    Renderer, ReportOptions, audit_rows, boilerplate_heading, boilerplate_rows, is_shown,
    key_difference, provenance_summary, tallies,
};
use crate::compare::{Comparison, VersionStatus, WordDiff};

/// Renders the HTML report.
pub struct HtmlRenderer {
    opts: ReportOptions,
}

impl HtmlRenderer {
    /// A renderer with these options (`only_differences` leaves out agreeing claims).
    pub fn new(opts: ReportOptions) -> Self {
        HtmlRenderer { opts }
    }
}

struct RunView {
    sep: &'static str,
    op: &'static str,
    text: String,
}

struct VersionView {
    id: String,
    source: String,
    title: Option<String>,
    is_base: bool,
    sentences: usize,
    identical: usize,
    reworded: usize,
    changed: usize,
    dropped: usize,
    added: usize,
    new_text: String,
    moved: usize,
    came_from: String,
    pct_identical: String,
    pct_reworded: String,
    pct_changed: String,
    pct_dropped: String,
    bar_label: String,
}

struct CellView {
    version: String,
    status: &'static str,
    label: &'static str,
    runs: Vec<RunView>,
}

struct ClaimView {
    number: usize,
    status: &'static str,
    text: String,
    reference_id: String,
    base_lacks: bool,
    cells: Vec<CellView>,
    key: String,
    notes: Vec<String>,
}

struct SideRow {
    status: &'static str,
    left: String,
    right: String,
    runs: Vec<RunView>,
}

struct SideView {
    id: String,
    rows: Vec<SideRow>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page {
    tool_version: &'static str,
    base_id: String,
    base_source: String,
    others: usize,
    claim_count: usize,
    status_summary: String,
    kind_summary: String,
    threshold: String,
    versions: Vec<VersionView>,
    other_ids: Vec<String>,
    claims: Vec<ClaimView>,
    sides: Vec<SideView>,
    audits: Vec<AuditView>,
    boilerplate_heading: &'static str,
    boilerplate: Vec<[String; 3]>,
}

struct AuditView {
    version: String,
    sentence: String,
    credit: String,
    verdict: String,
    evidence: String,
}

fn runs(diff: Option<&WordDiff>) -> Vec<RunView> {
    diff.map(|d| {
        d.runs
            .iter()
            .enumerate()
            .map(|(k, r)| RunView {
                sep: if k > 0 && r.space_before { " " } else { "" },
                op: r.op.as_str(),
                text: r.text.clone(),
            })
            .collect()
    })
    .unwrap_or_default()
}

fn label(status: VersionStatus) -> &'static str {
    match status {
        VersionStatus::Reference => "base",
        VersionStatus::Absent => "–",
        other => other.as_str(),
    }
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        "0".to_string()
    } else {
        format!("{:.1}", 100.0 * n as f64 / of as f64)
    }
}

fn page(cmp: &Comparison, opts: &ReportOptions) -> Page {
    let base = cmp.base;
    let (by_status, by_kind) = tallies(cmp);
    let join = |m: &std::collections::BTreeMap<&str, usize>| {
        m.iter()
            .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let versions = cmp
        .versions
        .iter()
        .zip(&cmp.coverage)
        .enumerate()
        .map(|(v, (ver, cov))| VersionView {
            id: ver.doc.id.clone(),
            source: ver.doc.source.clone(),
            title: ver.doc.meta.title.clone(),
            is_base: v == base,
            sentences: ver.sentences.len(),
            identical: cov.identical,
            reworded: cov.reworded,
            changed: cov.changed,
            dropped: cov.dropped,
            added: cov.added_sentences,
            new_text: format!("{:.0}%", 100.0 * cov.new_share),
            moved: cov.moved,
            came_from: provenance_summary(cmp, v),
            pct_identical: pct(cov.identical, cov.base_sentences),
            pct_reworded: pct(cov.reworded, cov.base_sentences),
            pct_changed: pct(cov.changed, cov.base_sentences),
            pct_dropped: pct(cov.dropped, cov.base_sentences),
            bar_label: format!(
                "of {} base sentences: {} identical, {} reworded, {} changed, {} dropped",
                cov.base_sentences, cov.identical, cov.reworded, cov.changed, cov.dropped
            ),
        })
        .collect();
    let others: Vec<usize> = (0..cmp.versions.len()).filter(|&v| v != base).collect();
    let claims = cmp
        .claims
        .iter()
        .filter(|c| is_shown(c, opts))
        .map(|c| {
            let cells = others
                .iter()
                .map(|&v| {
                    let m = &c.members[v];
                    let show_diff =
                        matches!(m.status, VersionStatus::Changed | VersionStatus::Reworded);
                    CellView {
                        version: cmp.versions[v].doc.id.clone(),
                        status: m.status.as_str(),
                        label: label(m.status),
                        runs: if show_diff {
                            runs(m.diff.as_ref())
                        } else {
                            Vec::new()
                        },
                    }
                })
                .collect();
            let notes = c
                .differences
                .iter()
                .filter(|d| d.detail.is_some())
                .map(|d| {
                    format!(
                        "{}: {} {}",
                        cmp.versions[d.version].doc.id,
                        d.kind.as_str().replace('_', " "),
                        d.detail.as_deref().unwrap_or_default()
                    )
                })
                .collect();
            ClaimView {
                number: c.number,
                status: c.status.as_str(),
                text: cmp.group_text(c.reference, &c.members[c.reference].sentences),
                reference_id: cmp.versions[c.reference].doc.id.clone(),
                base_lacks: c.reference != base,
                cells,
                key: key_difference(cmp, c),
                notes,
            }
        })
        .collect();
    let sides = others
        .iter()
        .map(|&v| SideView {
            id: cmp.versions[v].doc.id.clone(),
            rows: cmp
                .claims
                .iter()
                .filter(|c| {
                    !c.members[base].sentences.is_empty() || !c.members[v].sentences.is_empty()
                })
                .map(|c| {
                    let m = &c.members[v];
                    let from_base = c.reference == base;
                    SideRow {
                        status: m.status.as_str(),
                        left: cmp.group_text(base, &c.members[base].sentences),
                        right: cmp.group_text(v, &m.sentences),
                        runs: if from_base && !m.sentences.is_empty() {
                            runs(m.diff.as_ref())
                        } else {
                            Vec::new()
                        },
                    }
                })
                .collect(),
        })
        .collect();
    Page {
        tool_version: env!("CARGO_PKG_VERSION"),
        base_id: cmp.versions[base].doc.id.clone(),
        base_source: cmp.versions[base].doc.source.clone(),
        others: others.len(),
        claim_count: cmp.claims.len(),
        status_summary: join(&by_status),
        kind_summary: join(&by_kind),
        threshold: format!("{}", cmp.threshold),
        versions,
        other_ids: others
            .iter()
            .map(|&v| cmp.versions[v].doc.id.clone())
            .collect(),
        claims,
        sides,
        audits: audit_rows(cmp)
            .into_iter()
            .map(|[version, sentence, credit, verdict, evidence]| AuditView {
                version,
                sentence,
                credit,
                verdict,
                evidence,
            })
            .collect(),
        boilerplate_heading: boilerplate_heading(cmp),
        boilerplate: boilerplate_rows(cmp),
    }
}

impl Renderer for HtmlRenderer {
    fn render(&self, cmp: &Comparison, out: &mut dyn io::Write) -> io::Result<()> {
        page(cmp, &self.opts).write_into(out)
    }
}
