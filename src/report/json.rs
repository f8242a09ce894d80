//! JSON report: the versioned, documented schema for pipelines (see the README,
//! "JSON schema"). Objects keep a stable key order; version-keyed objects follow the
//! input order of the versions. The schema is spelled out once, in [`Document`], and
//! written pretty for `compare --format json` and compact for each `batch` line.

use std::collections::BTreeMap;
use std::io;

use serde::Serialize;
use serde_json::{Value, json};

use super::json_writer::{Compact, Pretty, Writer, key, write_str};
use super::{Counted, Renderer, ReportOptions, Tallies, is_shown, write_key_difference};
use crate::compare::{ClaimResult, Comparison, Coverage, Member, Version};
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
        let mut w = Pretty::to_sink(out);
        Document::new(cmp, &self.opts).write(&mut w, None)?;
        // With a sink, what is left in the buffer goes to it: nothing comes back.
        w.finish()?;
        writeln!(out)
    }
}

/// Appends a comparison to `out` as one compact JSON line (newline included) with
/// `story` as the last key: the line `claimdiff batch` writes for each story. Returns
/// the differences by kind the line's summary gives (see [`tallies`]), for the run's
/// summary.
pub fn write_story_line(
    cmp: &Comparison,
    opts: &ReportOptions,
    story: &str,
    out: &mut Vec<u8>,
) -> io::Result<BTreeMap<&'static str, usize>> {
    let mut w = Compact::appending(std::mem::take(out));
    let doc = Document::new(cmp, opts);
    let written = doc.write(&mut w, Some(story));
    *out = w.finish()?;
    let (_, by_kind) = written?;
    out.push(b'\n');
    Ok(by_kind)
}

/// The whole document: the schema, written part by part straight from the comparison.
/// Long outputs go to their sink item by item, so that memory stays at one item's
/// worth of JSON whatever the size of the comparison.
struct Document<'a> {
    cmp: &'a Comparison,
    opts: &'a ReportOptions,
    /// The versions' ids as JSON strings, one after another: a report names its
    /// versions many times (map keys, references), each id escaped once here.
    ids: Vec<u8>,
    /// Where each version's id starts in `ids`, and where the last one ends.
    id_at: Vec<usize>,
}

impl<'a> Document<'a> {
    fn new(cmp: &'a Comparison, opts: &'a ReportOptions) -> Self {
        let mut ids = Vec::new();
        let mut id_at = vec![0];
        for v in &cmp.versions {
            write_str(&mut ids, &v.doc.id);
            id_at.push(ids.len());
        }
        Document {
            cmp,
            opts,
            ids,
            id_at,
        }
    }

    /// Version `v`'s id as a JSON string.
    fn id(&self, v: usize) -> &[u8] {
        &self.ids[self.id_at[v]..self.id_at[v + 1]]
    }

    /// Writes the document, with `story` as its last key if given (batch lines), and
    /// returns the claims by status and the differences by kind its summary gives
    /// ([`super::tallies`]).
    fn write<const P: bool>(
        &self,
        w: &mut Writer<'_, P>,
        story: Option<&str>,
    ) -> io::Result<Counted> {
        let cmp = self.cmp;
        w.begin_object();
        key!(w, "schema_version");
        w.usize(SCHEMA_VERSION as usize);
        key!(w, "tool");
        w.begin_object();
        key!(w, "name");
        w.name("claimdiff");
        key!(w, "version");
        w.name(env!("CARGO_PKG_VERSION"));
        w.end_object();
        key!(w, "base");
        w.json(self.id(cmp.base));
        key!(w, "threshold");
        w.f64(cmp.threshold);
        key!(w, "boilerplate_kept");
        w.bool(cmp.boilerplate_kept);
        key!(w, "versions");
        w.begin_array();
        for (v, coverage) in cmp.versions.iter().zip(&cmp.coverage) {
            w.item();
            write_version(w, v, coverage)?;
        }
        w.end_array();
        key!(w, "claims");
        w.begin_array();
        // The summary's counts are taken on the way: a long comparison's claims are not
        // walked again for them.
        let mut tallies = Tallies::default();
        for c in &cmp.claims {
            tallies.add(c);
            if is_shown(c, self.opts) {
                w.item();
                self.write_claim(w, c);
                w.flush_if_full()?;
            }
        }
        w.end_array();
        key!(w, "credits");
        self.write_credits(w)?;
        key!(w, "summary");
        let (by_status, by_kind) = tallies.finish();
        w.begin_object();
        key!(w, "claims");
        w.usize(cmp.claims.len());
        key!(w, "claims_by_status");
        write_counts(w, &by_status);
        key!(w, "differences_by_kind");
        write_counts(w, &by_kind);
        key!(w, "agree");
        w.bool(!cmp.has_differences());
        w.end_object();
        if let Some(story) = story {
            key!(w, "story");
            w.str(story);
        }
        w.end_object();
        Ok((by_status, by_kind))
    }

    /// One claim as written in `claims`.
    fn write_claim<const P: bool>(&self, w: &mut Writer<'_, P>, c: &ClaimResult) {
        let cmp = self.cmp;
        w.begin_object();
        key!(w, "number");
        w.usize(c.number);
        key!(w, "status");
        w.name(c.status.as_str());
        key!(w, "similarity");
        match c.similarity {
            Some(x) => w.f64(round(x)),
            None => w.null(),
        }
        key!(w, "reference");
        w.json(self.id(c.reference));
        key!(w, "text");
        // Most claims are one sentence: its text is written as it is, not copied first.
        match c.members[c.reference].sentences.as_slice() {
            &[i] => w.str(&cmp.versions[c.reference].sentences[i].text),
            idx => w.str(&cmp.group_text(c.reference, idx)),
        }
        key!(w, "members");
        w.begin_object();
        for (v, m) in c.members.iter().enumerate() {
            if !m.sentences.is_empty() {
                self.id_key(w, v);
                write_numbers(w, &m.sentences);
            }
        }
        w.end_object();
        key!(w, "versions");
        w.begin_object();
        for (v, m) in c.members.iter().enumerate() {
            self.id_key(w, v);
            write_member(w, m);
        }
        w.end_object();
        key!(w, "key_difference");
        let mut key = String::with_capacity(64);
        write_key_difference(cmp, c, &mut key);
        w.str(&key);
        key!(w, "differences");
        w.begin_array();
        for d in &c.differences {
            w.item();
            w.begin_object();
            key!(w, "kind");
            w.name(d.kind.as_str());
            key!(w, "version");
            w.json(self.id(d.version));
            if let Some(reference) = &d.reference {
                key!(w, "reference");
                w.str(reference);
            }
            if let Some(other) = &d.other {
                key!(w, "other");
                w.str(other);
            }
            if let Some(detail) = &d.detail {
                key!(w, "detail");
                w.str(detail);
            }
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }

    /// Starts an entry keyed by version `v`'s id.
    fn id_key<const P: bool>(&self, w: &mut Writer<'_, P>, v: usize) {
        w.key_json(self.id(v));
    }

    /// Credit audits and uncredited copies.
    fn write_credits<const P: bool>(&self, w: &mut Writer<'_, P>) -> io::Result<()> {
        let credits = &self.cmp.credits;
        w.begin_object();
        key!(w, "audits");
        w.begin_array();
        for c in &credits.audits {
            w.item();
            w.begin_object();
            key!(w, "version");
            w.json(self.id(c.version));
            key!(w, "sentence");
            w.usize(c.sentence);
            key!(w, "source");
            w.str(&c.source);
            key!(w, "cue");
            w.str(&c.cue);
            key!(w, "cited");
            w.json(self.id(c.cited));
            key!(w, "verdict");
            w.name(c.verdict.as_str());
            key!(w, "matched");
            write_numbers(w, &c.matched);
            key!(w, "found_in");
            w.begin_array();
            for &v in &c.found_in {
                w.item();
                w.json(self.id(v));
            }
            w.end_array();
            key!(w, "detail");
            match &c.detail {
                Some(d) => w.str(d),
                None => w.null(),
            }
            w.end_object();
            w.flush_if_full()?;
        }
        w.end_array();
        key!(w, "uncredited");
        w.begin_array();
        for u in &credits.uncredited {
            w.item();
            w.begin_object();
            key!(w, "version");
            w.json(self.id(u.version));
            key!(w, "sentences");
            write_numbers(w, &u.sentences);
            key!(w, "from");
            w.json(self.id(u.from));
            key!(w, "from_sentences");
            write_numbers(w, &u.from_sentences);
            key!(w, "similarity");
            w.f64(round(u.similarity));
            w.end_object();
            w.flush_if_full()?;
        }
        w.end_array();
        w.end_object();
        Ok(())
    }
}

/// One version as written in `versions`.
fn write_version<const P: bool>(
    w: &mut Writer<'_, P>,
    v: &Version,
    coverage: &Coverage,
) -> io::Result<()> {
    let d = &v.doc;
    w.begin_object();
    key!(w, "id");
    w.str(&d.id);
    key!(w, "source");
    w.str(&d.source);
    key!(w, "source_key");
    w.str(&crate::source::canonical(&d.source));
    key!(w, "origin");
    w.str(&d.origin);
    for (key, value) in d.meta.named() {
        w.key_str(key);
        w.str(value);
    }
    if !d.meta.extra.is_empty() {
        key!(w, "metadata");
        w.begin_object();
        for (key, value) in &d.meta.extra {
            w.key_str(key);
            w.str(value);
        }
        w.end_object();
    }
    key!(w, "sentences");
    w.begin_array();
    for s in &v.sentences {
        w.item();
        w.begin_object();
        key!(w, "text");
        w.str(&s.text);
        key!(w, "start");
        w.usize(s.start);
        key!(w, "end");
        w.usize(s.end);
        w.end_object();
        w.flush_if_full()?;
    }
    w.end_array();
    key!(w, "boilerplate");
    w.begin_array();
    for b in &v.boilerplate {
        w.item();
        w.begin_object();
        key!(w, "kind");
        w.name(b.kind.as_str());
        key!(w, "text");
        w.str(&b.text);
        key!(w, "start");
        w.usize(b.start);
        key!(w, "end");
        w.usize(b.end);
        if let Some(agency) = &b.agency {
            key!(w, "agency");
            w.str(agency);
        }
        w.end_object();
    }
    w.end_array();
    key!(w, "coverage");
    w.begin_object();
    key!(w, "base_sentences");
    w.usize(coverage.base_sentences);
    key!(w, "identical");
    w.usize(coverage.identical);
    key!(w, "reworded");
    w.usize(coverage.reworded);
    key!(w, "changed");
    w.usize(coverage.changed);
    key!(w, "dropped");
    w.usize(coverage.dropped);
    key!(w, "added_sentences");
    w.usize(coverage.added_sentences);
    key!(w, "new_share");
    w.f64(round(coverage.new_share));
    key!(w, "moved");
    w.usize(coverage.moved);
    w.end_object();
    w.end_object();
    Ok(())
}

/// How one version carries a claim: `status`, then `similarity` and `diff` when known.
fn write_member<const P: bool>(w: &mut Writer<'_, P>, m: &Member) {
    w.begin_object();
    key!(w, "status");
    w.name(m.status.as_str());
    if let Some(x) = m.similarity {
        key!(w, "similarity");
        w.f64(round(x));
    }
    if let Some(diff) = &m.diff {
        key!(w, "diff");
        w.begin_array();
        for r in &diff.runs {
            w.item();
            w.begin_object();
            key!(w, "op");
            w.name(r.op.as_str());
            key!(w, "text");
            w.str(&r.text);
            key!(w, "space_before");
            w.bool(r.space_before);
            w.end_object();
        }
        w.end_array();
    }
    w.end_object();
}

/// A list of sentence numbers.
fn write_numbers<const P: bool>(w: &mut Writer<'_, P>, numbers: &[usize]) {
    w.begin_array();
    for &n in numbers {
        w.item();
        w.usize(n);
    }
    w.end_array();
}

/// Counts by name, in name order.
fn write_counts<const P: bool>(w: &mut Writer<'_, P>, counts: &BTreeMap<&'static str, usize>) {
    w.begin_object();
    for (name, &n) in counts {
        w.key_str(name);
        w.usize(n);
    }
    w.end_object();
}

/// Similarities and shares are written to three decimals.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
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

/// The whole JSON document for a comparison as a value, for tests and callers that want
/// to inspect it; rendering streams instead.
pub fn to_value(cmp: &Comparison, opts: &ReportOptions) -> Value {
    let mut w = Compact::appending(Vec::new());
    Document::new(cmp, opts)
        .write(&mut w, None)
        .expect("writing to a Vec does not fail");
    let bytes = w.finish().expect("writing to a Vec does not fail");
    serde_json::from_slice(&bytes).expect("the writer writes JSON")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{CompareOptions, compare};
    use crate::load::{Document as Doc, Metadata};
    use crate::report::tallies;

    #[test]
    fn the_layouts_are_serde_json_s_of_one_value() {
        let doc = |id: &str, text: &str| Doc {
            id: id.into(),
            source: id.into(),
            origin: format!("{id}.txt"),
            meta: Metadata::default(),
            text: text.into(),
            given_sentences: None,
        };
        let mut tagged = doc(
            "x \"quoted\"",
            "Officials said 45 people were hurt. The mayor did not resign.",
        );
        tagged.meta.title = Some("Mayor stays".into());
        tagged.meta.extra.insert("desk\tkey".into(), "metro".into());
        let cmp = compare(
            vec![
                doc(
                    "ap",
                    "Officials said 42 people were hurt, AP reported. The mayor resigned.",
                ),
                tagged,
            ],
            &CompareOptions::default(),
        )
        .expect("compares");
        for only_differences in [false, true] {
            let opts = ReportOptions {
                only_differences,
                ..ReportOptions::default()
            };
            let mut value = to_value(&cmp, &opts);
            assert_eq!(value["versions"][1]["metadata"]["desk\tkey"], "metro");
            assert_eq!(value["claims"][0]["reference"], "ap");
            // The pretty document is serde_json's pretty printing of the same value.
            let mut pretty = Vec::new();
            JsonRenderer::new(opts.clone())
                .render(&cmp, &mut pretty)
                .expect("renders");
            assert_eq!(
                String::from_utf8(pretty).unwrap(),
                format!("{}\n", serde_json::to_string_pretty(&value).unwrap())
            );
            // A batch line is the same object with the story key last, on one line,
            // after what the buffer held.
            let mut line = b"before\n".to_vec();
            let by_kind = write_story_line(&cmp, &opts, "s-1", &mut line).expect("writes");
            assert_eq!(by_kind, tallies(&cmp).1);
            value
                .as_object_mut()
                .unwrap()
                .insert("story".into(), "s-1".into());
            assert_eq!(
                String::from_utf8(line).unwrap(),
                format!("before\n{}\n", serde_json::to_string(&value).unwrap())
            );
        }
    }
}
