//! JSON report: the versioned, documented schema for pipelines (see the README,
//! "JSON schema"). Objects keep a stable key order; version-keyed objects follow the
//! input order of the versions.

use std::collections::BTreeMap;
use std::io;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Renderer, ReportOptions, is_shown, tallies, write_key_difference};
use crate::compare::{ClaimResult, Comparison, Coverage, Version};
use crate::segment::Sentence;

/// The schema version written as `schema_version`. Bump it on any change that could
/// break a reader: a removed or renamed field, or a changed meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// Renders the JSON document.
pub struct JsonRenderer {
    opts: ReportOptions,
}

impl JsonRenderer {
    /// A renderer with these options (`only_differences` filters `claims`).
    pub fn new(opts: ReportOptions) -> Self {
        JsonRenderer { opts }
    }
}

impl Renderer for JsonRenderer {
    fn render(&self, cmp: &Comparison, out: &mut dyn io::Write) -> io::Result<()> {
        super::json_writer::to_writer_pretty(
            &mut *out,
            &Document {
                cmp,
                opts: &self.opts,
                story: None,
            },
        )?;
        writeln!(out)
    }
}

/// Appends a comparison to `out` as one compact JSON line (newline included) with
/// `story` as the last key: the line `claimdiff batch` writes for each story.
pub fn write_story_line(
    cmp: &Comparison,
    opts: &ReportOptions,
    story: &str,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    super::json_writer::append(
        out,
        &Document {
            cmp,
            opts,
            story: Some(story),
        },
    )?;
    out.push(b'\n');
    Ok(())
}

/// The whole document, serialized claim by claim so that memory stays at one claim's
/// worth of JSON values whatever the size of the comparison.
struct Document<'a> {
    cmp: &'a Comparison,
    opts: &'a ReportOptions,
    /// The story key, written last (batch lines).
    story: Option<&'a str>,
}

impl Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let cmp = self.cmp;
        let (by_status, by_kind) = tallies(cmp);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema_version", &SCHEMA_VERSION)?;
        m.serialize_entry(
            "tool",
            &ToolOut {
                name: "claimdiff",
                version: env!("CARGO_PKG_VERSION"),
            },
        )?;
        m.serialize_entry("base", &cmp.versions[cmp.base].doc.id)?;
        m.serialize_entry("threshold", &cmp.threshold)?;
        m.serialize_entry("boilerplate_kept", &cmp.boilerplate_kept)?;
        m.serialize_entry(
            "versions",
            &Items(|| {
                cmp.versions
                    .iter()
                    .zip(&cmp.coverage)
                    .map(|(v, coverage)| VersionOut { v, coverage })
            }),
        )?;
        m.serialize_entry(
            "claims",
            &Items(|| {
                cmp.claims
                    .iter()
                    .filter(|c| is_shown(c, self.opts))
                    .map(|c| ClaimOut { cmp, c })
            }),
        )?;
        m.serialize_entry("credits", &CreditsOut(cmp))?;
        m.serialize_entry(
            "summary",
            &SummaryOut {
                claims: cmp.claims.len(),
                claims_by_status: by_status,
                differences_by_kind: by_kind,
                agree: !cmp.has_differences(),
            },
        )?;
        if let Some(story) = self.story {
            m.serialize_entry("story", story)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct ToolOut {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct SummaryOut {
    claims: usize,
    claims_by_status: BTreeMap<&'static str, usize>,
    differences_by_kind: BTreeMap<&'static str, usize>,
    agree: bool,
}

/// Credit audits and uncredited copies, serialized straight from the comparison.
struct CreditsOut<'a>(&'a Comparison);

impl Serialize for CreditsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let cmp = self.0;
        let id = |v: usize| cmp.versions[v].doc.id.as_str();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry(
            "audits",
            &Items(|| {
                cmp.credits.audits.iter().map(|c| AuditOut {
                    version: id(c.version),
                    sentence: c.sentence,
                    source: &c.source,
                    cue: &c.cue,
                    cited: id(c.cited),
                    verdict: c.verdict.as_str(),
                    matched: &c.matched,
                    found_in: VersionIds(cmp, &c.found_in),
                    detail: c.detail.as_deref(),
                })
            }),
        )?;
        m.serialize_entry(
            "uncredited",
            &Items(|| {
                cmp.credits.uncredited.iter().map(|u| UncreditedOut {
                    version: id(u.version),
                    sentences: &u.sentences,
                    from: id(u.from),
                    from_sentences: &u.from_sentences,
                    similarity: round(u.similarity),
                })
            }),
        )?;
        m.end()
    }
}

#[derive(Serialize)]
struct AuditOut<'a> {
    version: &'a str,
    sentence: usize,
    source: &'a str,
    cue: &'a str,
    cited: &'a str,
    verdict: &'a str,
    matched: &'a [usize],
    found_in: VersionIds<'a>,
    detail: Option<&'a str>,
}

/// Versions given by index, written as their ids.
struct VersionIds<'a>(&'a Comparison, &'a [usize]);

impl Serialize for VersionIds<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().map(|&v| &self.0.versions[v].doc.id))
    }
}

#[derive(Serialize)]
struct UncreditedOut<'a> {
    version: &'a str,
    sentences: &'a [usize],
    from: &'a str,
    from_sentences: &'a [usize],
    similarity: f64,
}

#[derive(Serialize)]
struct SentenceOut<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

impl<'a> From<&'a Sentence> for SentenceOut<'a> {
    fn from(s: &'a Sentence) -> Self {
        SentenceOut {
            text: &s.text,
            start: s.start,
            end: s.end,
        }
    }
}

/// `{"attributions": [...]}` as printed by `claimdiff attributions`: each with `kind`,
/// `source` (`{"text", "start", "end"}` or null), `cue`, `content` (a list of spans),
/// `sentence` (0-based) and `quoted`. Offsets are chars into the document text.
pub fn attributions_value(text: &str, attributions: &[crate::attribute::Attribution]) -> Value {
    let chars: Vec<char> = text.chars().collect();
    let span = |s: crate::attribute::Span| {
        let end = s.end.min(chars.len());
        let t: String = chars[s.start.min(end)..end].iter().collect();
        json!({ "text": t, "start": s.start, "end": s.end })
    };
    let list: Vec<Value> = attributions
        .iter()
        .map(|a| {
            let mut v = json!({
                "kind": super::kind_name(a.kind),
                "source": a.source.map(span),
                "cue": span(a.cue),
                "content": a.content.iter().map(|&c| span(c)).collect::<Vec<_>>(),
                "sentence": a.sentence,
                "quoted": a.quoted,
            });
            // `who said`: the noun phrase the pronoun stands for.
            if let Some(ante) = a.antecedent {
                v["antecedent"] = span(ante);
            }
            v
        })
        .collect();
    json!({ "attributions": list })
}

/// `{"sentences": [{"text", "start", "end"}]}` as printed by `claimdiff segment`.
pub fn segments_value(sentences: &[Sentence]) -> Value {
    let out: Vec<SentenceOut> = sentences.iter().map(SentenceOut::from).collect();
    json!({ "sentences": out })
}

/// One version as written in `versions`, serialized straight from the comparison.
struct VersionOut<'a> {
    v: &'a Version,
    coverage: &'a Coverage,
}

impl Serialize for VersionOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (v, coverage) = (self.v, self.coverage);
        let d = &v.doc;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &d.id)?;
        m.serialize_entry("source", &d.source)?;
        m.serialize_entry("source_key", &crate::source::canonical(&d.source))?;
        m.serialize_entry("origin", &d.origin)?;
        for (key, value) in d.meta.named() {
            m.serialize_entry(key, value)?;
        }
        if !d.meta.extra.is_empty() {
            m.serialize_entry("metadata", &d.meta.extra)?;
        }
        m.serialize_entry(
            "sentences",
            &Items(|| v.sentences.iter().map(SentenceOut::from)),
        )?;
        m.serialize_entry(
            "boilerplate",
            &Items(|| {
                v.boilerplate.iter().map(|b| BoilerplateOut {
                    kind: b.kind,
                    text: &b.text,
                    start: b.start,
                    end: b.end,
                    agency: b.agency.as_deref(),
                })
            }),
        )?;
        m.serialize_entry(
            "coverage",
            &CoverageOut {
                base_sentences: coverage.base_sentences,
                identical: coverage.identical,
                reworded: coverage.reworded,
                changed: coverage.changed,
                dropped: coverage.dropped,
                added_sentences: coverage.added_sentences,
                new_share: round(coverage.new_share),
                moved: coverage.moved,
            },
        )?;
        m.end()
    }
}

#[derive(Serialize)]
struct BoilerplateOut<'a> {
    kind: crate::boilerplate::Kind,
    text: &'a str,
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    agency: Option<&'a str>,
}

#[derive(Serialize)]
struct CoverageOut {
    base_sentences: usize,
    identical: usize,
    reworded: usize,
    changed: usize,
    dropped: usize,
    added_sentences: usize,
    new_share: f64,
    moved: usize,
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// One claim as written in `claims`, serialized straight from the comparison.
struct ClaimOut<'a> {
    cmp: &'a Comparison,
    c: &'a ClaimResult,
}

impl Serialize for ClaimOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (cmp, c) = (self.cmp, self.c);
        let id = |v: usize| cmp.versions[v].doc.id.as_str();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("number", &c.number)?;
        m.serialize_entry("status", c.status.as_str())?;
        m.serialize_entry("similarity", &c.similarity.map(round))?;
        m.serialize_entry("reference", id(c.reference))?;
        // Most claims are one sentence: its text is written as it is, not copied first.
        match c.members[c.reference].sentences.as_slice() {
            &[i] => m.serialize_entry("text", &cmp.versions[c.reference].sentences[i].text)?,
            idx => m.serialize_entry("text", &cmp.group_text(c.reference, idx))?,
        }
        m.serialize_entry(
            "members",
            &Entries(|| {
                c.members
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| !m.sentences.is_empty())
                    .map(|(v, m)| (id(v), &m.sentences))
            }),
        )?;
        m.serialize_entry(
            "versions",
            &Entries(|| {
                c.members
                    .iter()
                    .enumerate()
                    .map(|(v, m)| (id(v), MemberOut(m)))
            }),
        )?;
        let mut key = String::with_capacity(64);
        write_key_difference(cmp, c, &mut key);
        m.serialize_entry("key_difference", &key)?;
        m.serialize_entry(
            "differences",
            &Items(|| {
                c.differences.iter().map(|d| DifferenceOut {
                    kind: d.kind.as_str(),
                    version: id(d.version),
                    reference: d.reference.as_deref(),
                    other: d.other.as_deref(),
                    detail: d.detail.as_deref(),
                })
            }),
        )?;
        m.end()
    }
}

/// How one version carries a claim: `status`, then `similarity` and `diff` when known.
struct MemberOut<'a>(&'a crate::compare::Member);

impl Serialize for MemberOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let m = self.0;
        let mut out = s.serialize_map(None)?;
        out.serialize_entry("status", m.status.as_str())?;
        if let Some(x) = m.similarity {
            out.serialize_entry("similarity", &round(x))?;
        }
        if let Some(diff) = &m.diff {
            out.serialize_entry(
                "diff",
                &Items(|| {
                    diff.runs.iter().map(|r| RunOut {
                        op: r.op.as_str(),
                        text: &r.text,
                        space_before: r.space_before,
                    })
                }),
            )?;
        }
        out.end()
    }
}

#[derive(Serialize)]
struct RunOut<'a> {
    op: &'a str,
    text: &'a str,
    space_before: bool,
}

#[derive(Serialize)]
struct DifferenceOut<'a> {
    kind: &'a str,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    other: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
}

/// A sequence serialized from a fresh iterator of serializable items.
struct Items<F>(F);

impl<F, I> Serialize for Items<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// A map serialized from a fresh iterator of (key, value) entries, in iterator order.
struct Entries<F>(F);

impl<F, I, K, V> Serialize for Entries<F>
where
    F: Fn() -> I,
    I: Iterator<Item = (K, V)>,
    K: Serialize,
    V: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map((self.0)())
    }
}

/// The whole JSON document for a comparison as a value, for tests and callers that want
/// to inspect it; rendering streams instead.
pub fn to_value(cmp: &Comparison, opts: &ReportOptions) -> Value {
    serde_json::to_value(Document {
        cmp,
        opts,
        story: None,
    })
    .expect("a comparison always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{CompareOptions, compare};
    use crate::load::{Document as Doc, Metadata};

    #[test]
    fn the_value_equals_the_streamed_document() {
        let doc = |id: &str, text: &str| Doc {
            id: id.into(),
            source: id.into(),
            origin: format!("{id}.txt"),
            meta: Metadata::default(),
            text: text.into(),
            given_sentences: None,
        };
        let cmp = compare(
            vec![
                doc(
                    "ap",
                    "Officials said 42 people were hurt, AP reported. The mayor resigned.",
                ),
                doc(
                    "x",
                    "Officials said 45 people were hurt. The mayor did not resign.",
                ),
            ],
            &CompareOptions::default(),
        )
        .expect("compares");
        for only_differences in [false, true] {
            let opts = ReportOptions {
                only_differences,
                ..ReportOptions::default()
            };
            let streamed = serde_json::to_value(Document {
                cmp: &cmp,
                opts: &opts,
                story: None,
            })
            .expect("serializes");
            let mut direct = to_value(&cmp, &opts);
            assert_eq!(
                serde_json::to_string(&direct).unwrap(),
                serde_json::to_string(&streamed).unwrap()
            );
            // A batch line is the same object with the story key last, on one line.
            let mut line = Vec::new();
            write_story_line(&cmp, &opts, "s-1", &mut line).expect("writes");
            direct
                .as_object_mut()
                .unwrap()
                .insert("story".into(), "s-1".into());
            assert_eq!(
                line,
                format!("{}\n", serde_json::to_string(&direct).unwrap()).into_bytes()
            );
        }
    }
}
