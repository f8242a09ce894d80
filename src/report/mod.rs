//! Report: renders one [`Comparison`] in several formats, each format one
//! implementation of [`Renderer`] in its own file. Whatever more than one format needs
//! (the headline difference of a claim, counts by status and kind) is computed here,
//! once, so renderers only lay things out.

pub mod html;
pub mod json;
mod json_writer;
pub mod markdown;
pub mod table;

use std::collections::BTreeMap;
use std::io;

use crate::compare::credits::Verdict;
use crate::compare::{ClaimResult, ClaimStatus, Comparison, DiffKind};

/// Renders a comparison to a writer.
pub trait Renderer {
    /// Writes the whole report.
    fn render(&self, cmp: &Comparison, out: &mut dyn io::Write) -> io::Result<()>;
}

/// Output formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A terminal table.
    Table,
    /// The versioned JSON document described in the README.
    Json,
    /// Markdown for chats, issues and wikis.
    Markdown,
    /// A self-contained HTML page.
    Html,
}

impl Format {
    /// The format a report file's extension asks for (`.json`, `.md`, `.markdown`).
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }
}

/// Settings shared by the renderers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// Leave out claims every version carries identically, in the same place.
    pub only_differences: bool,
    /// Use ANSI colour.
    pub color: bool,
    /// Width to lay out to, in columns; `None` for the renderer's default.
    pub width: Option<u16>,
}

/// The renderer for `format`.
pub fn renderer(format: Format, opts: &ReportOptions) -> Box<dyn Renderer> {
    match format {
        Format::Table => Box::new(table::TableRenderer::new(opts.clone())),
        Format::Json => Box::new(json::JsonRenderer::new(opts.clone())),
        Format::Markdown => Box::new(markdown::MarkdownRenderer::new(opts.clone())),
        Format::Html => Box::new(html::HtmlRenderer::new(opts.clone())),
    }
}

/// The order in which difference kinds are worth a reader's attention.
const KIND_ORDER: [DiffKind; 16] = [
    DiffKind::QuoteChanged,
    DiffKind::NumberChanged,
    DiffKind::NegationChanged,
    DiffKind::NameChanged,
    DiffKind::AttributionChanged,
    DiffKind::CueChanged,
    DiffKind::AttributionDropped,
    DiffKind::AttributionAdded,
    DiffKind::QuoteToParaphrase,
    DiffKind::ParaphraseToQuote,
    DiffKind::Missing,
    DiffKind::Added,
    DiffKind::Split,
    DiffKind::Merged,
    DiffKind::Reworded,
    DiffKind::Moved,
];

/// One line saying the most serious difference of a claim, with the version it is in,
/// e.g. `herald: number 10 → 12`. Empty for a claim without differences.
pub fn key_difference(cmp: &Comparison, claim: &ClaimResult) -> String {
    let mut out = String::new();
    write_key_difference(cmp, claim, &mut out);
    out
}

/// Appends [`key_difference`] to `out`, piece by piece: the JSON report writes one for
/// every claim, and `format!` with its collected and joined ids cost several times the
/// copies.
pub fn write_key_difference(cmp: &Comparison, claim: &ClaimResult, out: &mut String) {
    let Some(d) = KIND_ORDER
        .iter()
        .find_map(|k| claim.differences.iter().find(|d| d.kind == *k))
    else {
        return;
    };
    let detail = d.detail.as_deref().unwrap_or("");
    // The line is `{head}{who}{tail}{rest}`.
    let (head, tail, rest) = match d.kind {
        DiffKind::QuoteChanged => ("", ": quote words ", detail),
        DiffKind::NumberChanged => ("", ": number ", detail),
        DiffKind::NameChanged => ("", ": name ", detail),
        DiffKind::NegationChanged if !detail.is_empty() => ("", ": negation ", detail),
        DiffKind::NegationChanged => ("", ": negation added or removed", ""),
        DiffKind::Missing => ("dropped by ", "", ""),
        DiffKind::Added => ("only in ", "", ""),
        DiffKind::Split => ("", ": split into several sentences", ""),
        DiffKind::Merged => ("", ": merged sentences", ""),
        DiffKind::Reworded => ("", ": reworded", ""),
        DiffKind::Moved => ("", ": moved", ""),
        DiffKind::AttributionChanged => ("", ": credited to another source, ", detail),
        DiffKind::CueChanged => ("", ": cue ", detail),
        DiffKind::AttributionDropped => (
            "",
            ": credit to ",
            d.reference.as_deref().unwrap_or("a source"),
        ),
        DiffKind::AttributionAdded => {
            ("", ": credit to ", d.other.as_deref().unwrap_or("a source"))
        }
        DiffKind::QuoteToParaphrase => ("", ": direct quote turned into paraphrase", ""),
        DiffKind::ParaphraseToQuote => ("", ": paraphrase turned into a direct quote", ""),
    };
    out.push_str(head);
    // The ids of the versions with a difference of this kind, each once, in order.
    let ids = claim
        .differences
        .iter()
        .filter(|x| x.kind == d.kind)
        .map(|x| cmp.versions[x.version].doc.id.as_str());
    for (k, id) in ids.clone().enumerate() {
        if ids.clone().take(k).any(|earlier| earlier == id) {
            continue;
        }
        if k > 0 {
            out.push_str(", ");
        }
        out.push_str(id);
    }
    out.push_str(tail);
    out.push_str(rest);
    match d.kind {
        DiffKind::AttributionDropped => out.push_str(" dropped"),
        DiffKind::AttributionAdded => out.push_str(" added"),
        _ => {}
    }
}

/// One row of the credit audit, ready to lay out: (version id, sentence text, credit as
/// written, verdict, what backs the verdict).
pub fn audit_rows(cmp: &Comparison) -> Vec<[String; 5]> {
    let id = |v: usize| cmp.versions[v].doc.id.clone();
    let mut rows: Vec<[String; 5]> = cmp
        .credits
        .audits
        .iter()
        .map(|a| {
            let evidence = match a.verdict {
                Verdict::Supported => {
                    format!("{} says it (sentence {})", id(a.cited), list(&a.matched))
                }
                Verdict::Changed => format!(
                    "{} differs: {}",
                    id(a.cited),
                    a.detail.as_deref().unwrap_or("meaning-bearing edit")
                ),
                Verdict::Misattributed => format!(
                    "not in {}; found in {}",
                    id(a.cited),
                    a.found_in
                        .iter()
                        .map(|&v| id(v))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Verdict::NotFound => {
                    format!("no loaded version carries it, {} included", id(a.cited))
                }
            };
            [
                id(a.version),
                cmp.versions[a.version].sentences[a.sentence].text.clone(),
                format!("{} {}", a.source, a.cue),
                a.verdict.as_str().to_string(),
                evidence,
            ]
        })
        .collect();
    rows.extend(cmp.credits.uncredited.iter().map(|u| {
        [
            id(u.version),
            cmp.group_text(u.version, &u.sentences),
            "none".to_string(),
            "uncredited_copy".to_string(),
            format!(
                "matches {} sentence {} (similarity {:.2})",
                id(u.from),
                list(&u.from_sentences),
                u.similarity
            ),
        ]
    }));
    rows
}

fn list(idx: &[usize]) -> String {
    idx.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join("+")
}

/// Per version: how many of its sentences most likely came from each other version,
/// and how many from none, as `ap 7, reuters 2, own 3`.
pub fn provenance_summary(cmp: &Comparison, v: usize) -> String {
    let mut counts: Vec<usize> = vec![0; cmp.versions.len()];
    let mut own = 0;
    for p in &cmp.credits.provenance[v] {
        match p {
            Some(p) => counts[p.from] += 1,
            None => own += 1,
        }
    }
    let mut parts: Vec<String> = counts
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(w, n)| format!("{} {n}", cmp.versions[w].doc.id))
        .collect();
    if own > 0 {
        parts.push(format!("own {own}"));
    }
    parts.join(", ")
}

/// The snake-case name of an attribution kind, as reports write it.
pub fn kind_name(kind: crate::attribute::Kind) -> &'static str {
    use crate::attribute::Kind;
    match kind {
        Kind::DirectQuote => "direct_quote",
        Kind::Indirect => "indirect",
        Kind::Mixed => "mixed",
        Kind::AccordingTo => "according_to",
        Kind::OrganisationCredit => "organisation_credit",
    }
}

/// One row per piece of boilerplate: version id, kind, text.
pub fn boilerplate_rows(cmp: &Comparison) -> Vec<[String; 3]> {
    cmp.versions
        .iter()
        .flat_map(|v| {
            v.boilerplate.iter().map(|b| {
                [
                    v.doc.id.clone(),
                    b.kind.as_str().replace('_', " "),
                    b.text.clone(),
                ]
            })
        })
        .collect()
}

/// The heading of the boilerplate section, saying whether it was compared.
pub fn boilerplate_heading(cmp: &Comparison) -> &'static str {
    if cmp.boilerplate_kept {
        "Boilerplate (compared as claims: --keep-boilerplate)"
    } else {
        "Boilerplate (kept out of the comparison)"
    }
}

/// Whether a claim is shown under `only_differences`.
pub fn is_shown(claim: &ClaimResult, opts: &ReportOptions) -> bool {
    !opts.only_differences || !claim.differences.is_empty()
}

/// Counts of claims by status and of differences by kind, keyed by their report names.
pub fn tallies(cmp: &Comparison) -> Counted {
    let mut t = Tallies::default();
    for c in &cmp.claims {
        t.add(c);
    }
    t.finish()
}

/// What [`tallies`] gives: the claims by status and the differences by kind.
pub type Counted = (BTreeMap<&'static str, usize>, BTreeMap<&'static str, usize>);

/// [`tallies`] counted claim by claim, so that a report that walks the claims anyway
/// counts them on its way instead of walking them again.
#[derive(Default)]
pub(crate) struct Tallies {
    by_status: Counts<ClaimStatus>,
    by_kind: Counts<DiffKind>,
}

impl Tallies {
    /// Counts `claim`'s status and its differences' kinds.
    pub(crate) fn add(&mut self, claim: &ClaimResult) {
        self.by_status.add(claim.status as usize, claim.status);
        for d in &claim.differences {
            self.by_kind.add(d.kind as usize, d.kind);
        }
    }

    /// The counts, as [`tallies`] gives them.
    pub(crate) fn finish(self) -> Counted {
        (
            self.by_status.finish(ClaimStatus::as_str),
            self.by_kind.finish(DiffKind::as_str),
        )
    }
}

/// How often each item occurs, counted in slots by its index (a story has hundreds of
/// differences and a few kinds; no name is compared per item).
struct Counts<K> {
    slots: Vec<(usize, Option<K>)>,
}

impl<K> Default for Counts<K> {
    fn default() -> Self {
        Counts { slots: Vec::new() }
    }
}

impl<K: Copy> Counts<K> {
    fn add(&mut self, i: usize, item: K) {
        if i >= self.slots.len() {
            self.slots.resize(i + 1, (0, None));
        }
        self.slots[i] = (self.slots[i].0 + 1, Some(item));
    }

    /// The counts keyed by each item's `name`.
    fn finish(self, name: fn(K) -> &'static str) -> BTreeMap<&'static str, usize> {
        self.slots
            .into_iter()
            .filter_map(|(n, item)| Some((name(item?), n)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{CompareOptions, Difference, compare};
    use crate::load::load_bytes;
    use proptest::prelude::*;

    /// [`key_difference`] as it was written with `format!`: the reference the
    /// piecewise writer must agree with.
    fn key_difference_by_format(cmp: &Comparison, claim: &ClaimResult) -> String {
        let Some(d) = KIND_ORDER
            .iter()
            .find_map(|k| claim.differences.iter().find(|d| d.kind == *k))
        else {
            return String::new();
        };
        let mut who: Vec<&str> = Vec::new();
        for x in claim.differences.iter().filter(|x| x.kind == d.kind) {
            let id = cmp.versions[x.version].doc.id.as_str();
            if !who.contains(&id) {
                who.push(id);
            }
        }
        let who = who.join(", ");
        let detail = d.detail.as_deref().unwrap_or("");
        match d.kind {
            DiffKind::QuoteChanged => format!("{who}: quote words {detail}"),
            DiffKind::NumberChanged => format!("{who}: number {detail}"),
            DiffKind::NameChanged => format!("{who}: name {detail}"),
            DiffKind::NegationChanged if !detail.is_empty() => format!("{who}: negation {detail}"),
            DiffKind::NegationChanged => format!("{who}: negation added or removed"),
            DiffKind::Missing => format!("dropped by {who}"),
            DiffKind::Added => format!("only in {who}"),
            DiffKind::Split => format!("{who}: split into several sentences"),
            DiffKind::Merged => format!("{who}: merged sentences"),
            DiffKind::Reworded => format!("{who}: reworded"),
            DiffKind::Moved => format!("{who}: moved"),
            DiffKind::AttributionChanged => {
                format!("{who}: credited to another source, {detail}")
            }
            DiffKind::CueChanged => format!("{who}: cue {detail}"),
            DiffKind::AttributionDropped => format!(
                "{who}: credit to {} dropped",
                d.reference.as_deref().unwrap_or("a source")
            ),
            DiffKind::AttributionAdded => format!(
                "{who}: credit to {} added",
                d.other.as_deref().unwrap_or("a source")
            ),
            DiffKind::QuoteToParaphrase => format!("{who}: direct quote turned into paraphrase"),
            DiffKind::ParaphraseToQuote => {
                format!("{who}: paraphrase turned into a direct quote")
            }
        }
    }

    /// A comparison of three short versions, whose first claim's differences a test
    /// replaces.
    fn three_versions() -> Comparison {
        let docs = [
            ("wire", "The port stayed shut on Monday."),
            ("herald", "The port stayed closed on Monday."),
            ("x", "The port reopened on Tuesday."),
        ]
        .iter()
        .flat_map(|(id, text)| {
            let json = format!(r#"{{"id": "{id}", "text": "{text}"}}"#);
            load_bytes("t.json", id, json.as_bytes(), crate::load::Format::Json).unwrap()
        })
        .collect();
        compare(docs, &CompareOptions::default()).unwrap()
    }

    fn kind() -> impl Strategy<Value = DiffKind> {
        (0..KIND_ORDER.len()).prop_map(|k| KIND_ORDER[k])
    }

    fn word() -> impl Strategy<Value = Option<String>> {
        prop::option::of("[a-z →]{0,6}")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn key_difference_writes_what_format_wrote(
            diffs in prop::collection::vec((kind(), 0..3usize, word(), word(), word()), 0..8),
            prefix in "[a-z]{0,3}",
        ) {
            let mut cmp = three_versions();
            prop_assert!(!cmp.claims.is_empty());
            cmp.claims[0].differences = diffs
                .into_iter()
                .map(|(kind, version, reference, other, detail)| Difference {
                    kind,
                    version,
                    reference,
                    other,
                    detail,
                })
                .collect();
            let claim = &cmp.claims[0];
            let want = key_difference_by_format(&cmp, claim);
            prop_assert_eq!(&key_difference(&cmp, claim), &want);
            // Appending leaves what `out` held before.
            let mut out = prefix.clone();
            write_key_difference(&cmp, claim, &mut out);
            prop_assert_eq!(out, prefix + &want);
        }
    }
}
