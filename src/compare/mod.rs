//! Compare: for every claim, what agrees and what differs between the base version and
//! each other version, by kind; and per version, how much of the base it kept.
//!
//! A version's text for a claim is its member sentences joined with one space. Against
//! the base (or, for a claim the base lacks, against the first version that carries it)
//! each version is *identical* (equal up to typography), *changed* (a number, negation,
//! name or quoted word differs), *reworded* (anything else), *missing* or *added*.
//! The claim's own status is the most serious of these: changed, then only in some
//! versions, then reworded, then identical.

pub mod credits;
pub mod detect;
pub mod diff;

use std::borrow::Cow;

use crate::align::{AlignOptions, Alignment, align_versions};
use crate::boilerplate::{self, Boilerplate};
use crate::error::{Error, Result};
use crate::load::Document;
use crate::normalize;
use crate::segment::{self, Sentence};
use detect::LowercaseWords;

pub use diff::{DiffOp, Run, WordDiff};

/// Options for a comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompareOptions {
    /// Id of the version to compare the others against. `None`: the first version whose
    /// metadata role is `wire`, else the first version.
    pub base: Option<String>,
    /// Alignment settings.
    pub align: AlignOptions,
    /// Compare boilerplate (datelines, bylines, credit lines, end marks...) as claims
    /// instead of keeping it out; it is reported either way.
    pub keep_boilerplate: bool,
}

/// A loaded version with its sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// The document as loaded.
    pub doc: Document,
    /// Its sentences, in document order: those carrying claims (boilerplate is split off
    /// unless kept).
    pub sentences: Vec<Sentence>,
    /// Boilerplate found in it, in document order.
    pub boilerplate: Vec<Boilerplate>,
}

impl Version {
    /// The agency a wire dateline names (`MOSCOW (AP) —` gives `AP`).
    pub fn dateline_agency(&self) -> Option<&str> {
        self.boilerplate
            .iter()
            .find(|b| b.kind == boilerplate::Kind::Dateline)
            .and_then(|b| b.agency.as_deref())
    }
}

/// How a version relates to the base for one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VersionStatus {
    /// The reference text the others are read against (the base, or the first carrier of
    /// a claim the base lacks).
    Reference,
    /// Equal up to typography.
    Identical,
    /// Different words, same figures, names, negation and quotes.
    Reworded,
    /// A meaning-bearing edit: see the claim's differences.
    Changed,
    /// The base carries the claim; this version does not.
    Missing,
    /// This version carries a claim the base does not.
    Added,
    /// Neither the base nor this version carries the claim.
    Absent,
}

impl VersionStatus {
    /// The lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionStatus::Reference => "reference",
            VersionStatus::Identical => "identical",
            VersionStatus::Reworded => "reworded",
            VersionStatus::Changed => "changed",
            VersionStatus::Missing => "missing",
            VersionStatus::Added => "added",
            VersionStatus::Absent => "absent",
        }
    }
}

/// The status of a claim across all versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClaimStatus {
    /// Every version carries it, equal up to typography.
    Identical,
    /// Every version carries it; some reworded it without a meaning-bearing edit.
    Reworded,
    /// Some versions lack it.
    OnlyInSome,
    /// Some version changed a number, negation, name or quoted word.
    Changed,
}

impl ClaimStatus {
    /// The snake-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Identical => "identical",
            ClaimStatus::Reworded => "reworded",
            ClaimStatus::OnlyInSome => "only_in_some",
            ClaimStatus::Changed => "changed",
        }
    }
}

/// The kind of a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiffKind {
    /// The version lacks a claim the base carries.
    Missing,
    /// The version carries a claim the base lacks.
    Added,
    /// Different wording, nothing meaning-bearing changed.
    Reworded,
    /// A figure differs.
    NumberChanged,
    /// A negation appears or disappears.
    NegationChanged,
    /// A capitalised name differs.
    NameChanged,
    /// Words inside quotation marks differ.
    QuoteChanged,
    /// One reference sentence became several.
    Split,
    /// Several reference sentences became one.
    Merged,
    /// The claim sits elsewhere in the version's order.
    Moved,
    /// The version credits a source where the reference credits none.
    AttributionAdded,
    /// The reference credits a source; the version credits none.
    AttributionDropped,
    /// The version credits another source than the reference.
    AttributionChanged,
    /// The same source, another reporting verb (`said` → `claimed`).
    CueChanged,
    /// A direct quote in the reference is paraphrase in the version.
    QuoteToParaphrase,
    /// Paraphrase in the reference is a direct quote in the version.
    ParaphraseToQuote,
}

impl DiffKind {
    /// The snake-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DiffKind::Missing => "missing",
            DiffKind::Added => "added",
            DiffKind::Reworded => "reworded",
            DiffKind::NumberChanged => "number_changed",
            DiffKind::NegationChanged => "negation_changed",
            DiffKind::NameChanged => "name_changed",
            DiffKind::QuoteChanged => "quote_changed",
            DiffKind::Split => "split",
            DiffKind::Merged => "merged",
            DiffKind::Moved => "moved",
            DiffKind::AttributionAdded => "attribution_added",
            DiffKind::AttributionDropped => "attribution_dropped",
            DiffKind::AttributionChanged => "attribution_changed",
            DiffKind::CueChanged => "cue_changed",
            DiffKind::QuoteToParaphrase => "quote_to_paraphrase",
            DiffKind::ParaphraseToQuote => "paraphrase_to_quote",
        }
    }

    /// Whether this kind changes what the claim says (or who is said to say it).
    pub fn is_meaning_bearing(self) -> bool {
        matches!(
            self,
            DiffKind::NumberChanged
                | DiffKind::NegationChanged
                | DiffKind::NameChanged
                | DiffKind::QuoteChanged
                | DiffKind::AttributionChanged
        )
    }
}

/// One difference between a version and the reference text of a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// What kind of difference.
    pub kind: DiffKind,
    /// Index of the version it concerns.
    pub version: usize,
    /// What the reference says (a figure, a name, a quote), where it applies.
    pub reference: Option<String>,
    /// What the version says instead, where it applies.
    pub other: Option<String>,
    /// The words that differ, for a reader (`negotiated → genuine`), where it applies.
    pub detail: Option<String>,
}

impl Difference {
    /// A difference of `kind` in version `version`, with nothing quoted.
    pub fn bare(kind: DiffKind, version: usize) -> Self {
        Difference {
            kind,
            version,
            reference: None,
            other: None,
            detail: None,
        }
    }
}

/// One version's side of a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Sentence indices of the version carrying the claim (empty if it does not).
    pub sentences: Vec<usize>,
    /// How it relates to the reference.
    pub status: VersionStatus,
    /// Similarity to the reference text, when both exist.
    pub similarity: Option<f64>,
    /// Word-level diff against the reference, for carriers that are not identical.
    pub diff: Option<WordDiff>,
}

/// One claim and what the comparison found about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimResult {
    /// 1-based number in report order.
    pub number: usize,
    /// The version whose text is the reference for this claim.
    pub reference: usize,
    /// Per version, in input order.
    pub members: Vec<Member>,
    /// Overall status.
    pub status: ClaimStatus,
    /// Least similarity of any carrier to the reference; `None` if only one version
    /// carries the claim.
    pub similarity: Option<f64>,
    /// Every difference, grouped by version in input order.
    pub differences: Vec<Difference>,
}

/// How much of the base one version kept, and how much of it is its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    /// Base sentences in claims this version carries identically.
    pub identical: usize,
    /// Base sentences in claims this version rewords.
    pub reworded: usize,
    /// Base sentences in claims this version changes.
    pub changed: usize,
    /// Base sentences in claims this version lacks.
    pub dropped: usize,
    /// The base's sentence count.
    pub base_sentences: usize,
    /// This version's sentences in claims the base lacks.
    pub added_sentences: usize,
    /// Share of this version's characters (in sentences) that are in claims the base
    /// lacks, in [0, 1].
    pub new_share: f64,
    /// Claims this version carries in another order than the base.
    pub moved: usize,
}

/// The result of comparing N versions: the one model every report renders.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The versions in input order.
    pub versions: Vec<Version>,
    /// Index of the base version.
    pub base: usize,
    /// Claims in base reading order.
    pub claims: Vec<ClaimResult>,
    /// Per version (input order); the base's own entry counts itself as identical.
    pub coverage: Vec<Coverage>,
    /// The alignment threshold used.
    pub threshold: f64,
    /// Attributions, credit audits, uncredited copies and provenance.
    pub credits: credits::Credits,
    /// Whether boilerplate was compared as claims (`keep_boilerplate`) or kept out.
    pub boilerplate_kept: bool,
}

impl Comparison {
    /// Whether any version differs from the base in any way.
    pub fn has_differences(&self) -> bool {
        self.claims.iter().any(|c| !c.differences.is_empty())
    }

    /// The text of version `v`'s sentences `idx`, joined with one space.
    pub fn group_text(&self, v: usize, idx: &[usize]) -> String {
        join(&self.versions[v].sentences, idx).into_owned()
    }
}

fn join<'a>(sentences: &'a [Sentence], idx: &[usize]) -> Cow<'a, str> {
    match idx {
        // Most claims are one sentence in each version: nothing to copy.
        [i] => Cow::Borrowed(sentences[*i].text.as_str()),
        _ => Cow::Owned(
            idx.iter()
                .map(|&i| sentences[i].text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

/// Segments, aligns and compares loaded documents. Needs at least two, with distinct ids.
pub fn compare(docs: Vec<Document>, opts: &CompareOptions) -> Result<Comparison> {
    if docs.len() < 2 {
        let origin = docs.first().map_or(String::new(), |d| d.origin.clone());
        return Err(Error::new(
            origin,
            "only one version given; claimdiff compares two or more",
        ));
    }
    let base = choose_base(&docs, opts)?;
    // The versions share most paragraphs word for word: each is segmented and classified
    // once. The segmenter keeps every paragraph as a slice of its document, so the
    // documents are split before they move into their versions; the caches are gone
    // before alignment's peak.
    let mut segmenter = segment::Segmenter::default();
    let mut splitter = boilerplate::Splitter::default();
    // A text segmented is searched for wider chars (for the credits' span look-ups) line
    // by line as it goes, not read through again.
    let mut scans = Vec::with_capacity(docs.len());
    let split: Vec<(Vec<Sentence>, Vec<Boilerplate>)> = docs
        .iter()
        .map(|doc| match &doc.given_sentences {
            Some(ranges) => {
                scans.push(None);
                splitter.split(
                    segment::from_ranges(&doc.text, ranges),
                    opts.keep_boilerplate,
                )
            }
            None => {
                let mut scan = credits::WideScan::new(&doc.text);
                let (sentences, ids) = segmenter
                    .segment_with_ids_reading(&doc.text, |end| scan.read_to(&doc.text, end));
                scans.push(Some(scan));
                splitter.split_known(sentences, &ids, opts.keep_boilerplate)
            }
        })
        .collect();
    drop((segmenter, splitter));
    let versions: Vec<Version> = docs
        .into_iter()
        .zip(split)
        .map(|(doc, (sentences, boilerplate))| {
            let mut version = Version {
                doc,
                sentences,
                boilerplate,
            };
            // The dateline's agency is the version's source when the input named none.
            if version.doc.meta.inferred_source
                && let Some(agency) = version.dateline_agency()
            {
                version.doc.source = agency.to_string();
            }
            version
        })
        .collect();
    let texts: Vec<Vec<&str>> = versions
        .iter()
        .map(|v| v.sentences.iter().map(|s| s.text.as_str()).collect())
        .collect();
    let alignment = align_versions(&texts, base, &opts.align);
    // The vocabulary must be whole before a claim is judged; the sentences judging will
    // cut for a word diff are cut first, and the vocabulary notes their words from that
    // cut instead of cutting them again.
    let ahead = cut_ahead(&versions, base, &alignment);
    let lowercase = detect::lowercase_vocabulary_of(
        ahead.iter().map(|(_, _, pieces)| pieces),
        versions
            .iter()
            .flat_map(|v| v.sentences.iter().map(|s| s.text.as_str())),
        texts.iter().map(Vec::len).sum(),
    );
    let attributions = credits::extract_all(&versions);
    let chars = credits::Chars::of_scanned(&versions, scans);
    let by_sentence = credits::SentenceAttributions::new(&versions, &chars, &attributions);
    // (Claim k's cuts, in claim order.)
    let mut next = 0;
    let mut tally = Tally::new(&versions, base, alignment.claims.len());
    let mut claims: Vec<ClaimResult> = alignment
        .claims
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let first = next;
            while ahead.get(next).is_some_and(|&(claim, _, _)| claim == k) {
                next += 1;
            }
            let ctx = Context {
                versions: &versions,
                base,
                alignment: &alignment,
                lowercase: &lowercase,
                attributions: &by_sentence,
                claim: k,
                cut: &ahead[first..next],
            };
            let claim = judge_claim(&ctx, &c.members, k + 1);
            tally.add(k, &claim);
            claim
        })
        .collect();
    drop(ahead);
    let (coverage, claim_of) = tally.finish(&mut claims);
    let credits = credits::audit(
        &versions,
        base,
        &alignment,
        &claims,
        &claim_of,
        attributions,
        &by_sentence,
        &lowercase,
    );
    Ok(Comparison {
        versions,
        base,
        claims,
        coverage,
        threshold: opts.align.threshold,
        credits,
        boilerplate_kept: opts.keep_boilerplate,
    })
}

fn choose_base(docs: &[Document], opts: &CompareOptions) -> Result<usize> {
    if let Some(id) = &opts.base {
        return docs.iter().position(|d| &d.id == id).ok_or_else(|| {
            let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
            Error::new(
                "--base",
                format!("no version has id {id:?} (ids: {})", ids.join(", ")),
            )
        });
    }
    Ok(docs
        .iter()
        .position(|d| {
            d.meta
                .role
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case("wire"))
        })
        .unwrap_or(0))
}

/// What judging a claim needs from the whole comparison.
struct Context<'a> {
    versions: &'a [Version],
    base: usize,
    alignment: &'a Alignment,
    lowercase: &'a LowercaseWords<'a>,
    attributions: &'a credits::SentenceAttributions<'a>,
    /// Index of the claim being judged in the alignment.
    claim: usize,
    /// Texts of the claim already cut (see [`cut_ahead`]): `(claim, version, pieces)`.
    cut: &'a [(usize, usize, diff::Pieces<'a>)],
}

impl Context<'_> {
    /// Version `v`'s text of the claim, `text`, cut: by [`cut_ahead`] or now.
    fn pieces<'t>(&'t self, v: usize, text: &'t str) -> Cow<'t, diff::Pieces<'t>> {
        match self.cut.iter().find(|&&(_, w, _)| w == v) {
            Some((_, _, pieces)) => Cow::Borrowed(pieces),
            None => Cow::Owned(diff::Pieces::new(text)),
        }
    }
}

/// At most this many bytes of text are cut ahead (a story's diffed sentences are a few
/// kilobytes): the cuts are held until their claims are judged, and a comparison of
/// hundreds of thousands of sentences would hold them all.
const CUT_AHEAD_BYTES: usize = 16 * 1024;

/// The one-sentence texts that [`judge_claim`] will cut for a word diff (up to
/// [`CUT_AHEAD_BYTES`] in all), cut, as `(claim, version, pieces)` in claim and version
/// order. A text judged identical after all or repeated by a joined text is cut all the
/// same: its cut is only not used.
fn cut_ahead<'a>(
    versions: &'a [Version],
    base: usize,
    alignment: &Alignment,
) -> Vec<(usize, usize, diff::Pieces<'a>)> {
    let mut out = Vec::new();
    let mut budget = CUT_AHEAD_BYTES;
    let sentence = |v: usize, idx: &[usize]| match *idx {
        [i] => Some(versions[v].sentences[i].text.as_str()),
        _ => None,
    };
    for (k, claim) in alignment.claims.iter().enumerate() {
        let members = &claim.members;
        let reference = reference_of(members, base);
        let ref_text = sentence(reference, &members[reference]);
        let mut ref_cut = false;
        for (v, idx) in members.iter().enumerate() {
            if v == reference || idx.is_empty() {
                continue;
            }
            let text = sentence(v, idx);
            // Equal to the reference, or to an earlier version's text: not diffed.
            let repeat = text.is_some_and(|t| {
                ref_text == Some(t)
                    || (0..v).any(|w| w != reference && sentence(w, &members[w]) == Some(t))
            });
            if repeat {
                continue;
            }
            for (w, t) in [(reference, ref_text.filter(|_| !ref_cut)), (v, text)] {
                let Some(t) = t else { continue };
                if t.len() > budget {
                    return out;
                }
                budget -= t.len();
                ref_cut |= w == reference;
                out.push((k, w, diff::Pieces::new(t)));
            }
        }
    }
    out
}

/// The word diff of two cut texts, and whether it only deletes and inserts plain words
/// ([`detect::plain_edit`]) between texts without quotation marks: such a diff changes
/// no figure, name, negation or quote.
fn word_diff_plain(reference: &diff::Pieces, other: &diff::Pieces) -> (WordDiff, bool) {
    let mut plain = !reference.may_quote() && !other.may_quote();
    let d = diff::word_diff_seen(reference, other, |op, range| {
        let cut = if op == DiffOp::Insert {
            other
        } else {
            reference
        };
        plain = plain && detect::plain_edit(cut, range);
    });
    (d, plain)
}

/// The version whose text a claim's others are read against: the base, or the first
/// version that carries a claim the base lacks.
fn reference_of(members: &[Vec<usize>], base: usize) -> usize {
    if members[base].is_empty() {
        (0..members.len())
            .find(|&v| !members[v].is_empty())
            .expect("a claim has at least one sentence")
    } else {
        base
    }
}

fn judge_claim(ctx: &Context, members: &[Vec<usize>], number: usize) -> ClaimResult {
    let (versions, base, alignment, lowercase) =
        (ctx.versions, ctx.base, ctx.alignment, ctx.lowercase);
    let reference = reference_of(members, base);
    let ref_idx = &members[reference];
    let texts: Vec<Cow<str>> = members
        .iter()
        .zip(versions)
        .map(|(idx, version)| join(&version.sentences, idx))
        .collect();
    let ref_text = &texts[reference];
    let ref_credited = ctx.attributions.credited(reference, ref_idx);
    // Cut and read once, when some version is not identical, for all the versions that
    // are not.
    let mut ref_pieces: Option<Cow<diff::Pieces>> = None;
    let mut ref_facts: Option<detect::Facts> = None;
    let mut out_members = Vec::with_capacity(versions.len());
    let mut differences = Vec::new();
    let mut least: Option<f64> = None;
    let mut any_changed = false;
    let mut any_reworded = false;
    let mut all_carry = true;
    // Versions that carry a claim in the same words are judged once: (version, edits
    // found) for a text some later version repeats.
    let mut judged: Vec<(usize, Vec<Difference>)> = Vec::new();
    let similarities = alignment.claim_similarities(ctx.claim);
    for (v, idx) in members.iter().enumerate() {
        if idx.is_empty() {
            all_carry = false;
            let status = if reference == base {
                differences.push(Difference::bare(DiffKind::Missing, v));
                VersionStatus::Missing
            } else {
                VersionStatus::Absent
            };
            out_members.push(Member {
                sentences: Vec::new(),
                status,
                similarity: None,
                diff: None,
            });
            continue;
        }
        if v == reference {
            out_members.push(Member {
                sentences: idx.clone(),
                status: VersionStatus::Reference,
                similarity: None,
                diff: None,
            });
            continue;
        }
        let text = &texts[v];
        let similarity = similarities.get(reference, v);
        least = Some(least.map_or(similarity, |l: f64| l.min(similarity)));
        let mut word_diff = None;
        // This version's differences are written straight after the others' (behind
        // its `Added`): no list of their own to copy over.
        if reference != base {
            differences.push(Difference::bare(DiffKind::Added, v));
        }
        let from = differences.len();
        let repeated = judged.iter().find(|(w, _)| texts[*w] == *text);
        // A repeated text is one judged not identical.
        let identical =
            repeated.is_none() && (text == ref_text || normalize::same_typography(ref_text, text));
        if let Some((w, edits)) = repeated {
            // The same words against the same reference: not identical either.
            word_diff.clone_from(&out_members[*w].diff);
            differences.extend(edits.iter().map(|d| Difference {
                version: v,
                ..d.clone()
            }));
        } else if !identical {
            let ref_pieces: &diff::Pieces =
                ref_pieces.get_or_insert_with(|| ctx.pieces(reference, ref_text));
            let pieces = ctx.pieces(v, text);
            // Rewording that only swaps plain words (a quarter of the pairs diffed on the
            // 100-story sample) is seen in the diff: the texts need not be read for
            // figures, names, negations and quotes.
            let (d, plain) = word_diff_plain(ref_pieces, &pieces);
            if !plain {
                let ref_facts = ref_facts
                    .get_or_insert_with(|| detect::Facts::of_pieces(ref_pieces, lowercase));
                edits_into(
                    (ref_pieces, ref_facts),
                    (&pieces, &detect::Facts::of_pieces(&pieces, lowercase)),
                    &d,
                    lowercase,
                    v,
                    &mut differences,
                );
            }
            word_diff = Some(d);
            if texts[v + 1..].contains(text) {
                judged.push((v, differences[from..].to_vec()));
            }
        }
        differences.extend(credits::claim_differences_against(
            &ref_credited,
            ctx.attributions,
            v,
            idx,
        ));
        let loaded_cue = |d: &Difference| {
            d.kind == DiffKind::CueChanged
                && d.detail
                    .as_deref()
                    .is_some_and(|x| x.ends_with("(loaded verb)"))
        };
        let status = if differences[from..]
            .iter()
            .any(|d| d.kind.is_meaning_bearing() || loaded_cue(d))
        {
            any_changed = true;
            VersionStatus::Changed
        } else if identical {
            VersionStatus::Identical
        } else {
            any_reworded = true;
            differences.insert(from, Difference::bare(DiffKind::Reworded, v));
            VersionStatus::Reworded
        };
        if idx.len() != ref_idx.len() {
            let kind = if idx.len() > ref_idx.len() {
                DiffKind::Split
            } else {
                DiffKind::Merged
            };
            differences.push(Difference::bare(kind, v));
        }
        out_members.push(Member {
            sentences: idx.clone(),
            status: if reference != base {
                VersionStatus::Added
            } else {
                status
            },
            similarity: Some(similarity),
            diff: word_diff,
        });
    }
    if reference != base {
        // The reference itself is also material the base lacks.
        differences.insert(0, Difference::bare(DiffKind::Added, reference));
        out_members[reference].status = VersionStatus::Added;
    }
    differences.sort_by_key(|d| d.version);
    let status = if any_changed {
        ClaimStatus::Changed
    } else if !all_carry {
        ClaimStatus::OnlyInSome
    } else if any_reworded {
        ClaimStatus::Reworded
    } else {
        ClaimStatus::Identical
    };
    ClaimResult {
        number,
        reference,
        members: out_members,
        status,
        similarity: least,
        differences,
    }
}

/// Meaning-bearing edits from `reference` to `other` (version `v`). Figures and names count only when one is replaced by another: a figure or a
/// name an outlet merely left out or added is rewording, not a changed claim.
fn edits(
    reference: &str,
    other: &str,
    lowercase: &LowercaseWords<'_>,
    v: usize,
) -> Vec<Difference> {
    let (ra, rb) = (diff::Pieces::new(reference), diff::Pieces::new(other));
    let word_diff = diff::word_diff_of(&ra, &rb);
    let (fa, fb) = (
        detect::Facts::of_pieces(&ra, lowercase),
        detect::Facts::of_pieces(&rb, lowercase),
    );
    let mut out = Vec::new();
    edits_into((&ra, &fa), (&rb, &fb), &word_diff, lowercase, v, &mut out);
    out
}

/// [`edits`] with both texts already cut and read, and their word diff, added to `out`.
fn edits_into(
    (ref_pieces, reference): (&diff::Pieces, &detect::Facts),
    (other_pieces, other): (&diff::Pieces, &detect::Facts),
    word_diff: &WordDiff,
    lowercase: &LowercaseWords<'_>,
    v: usize,
    out: &mut Vec<Difference>,
) {
    let list = |v: &[String]| v.join(", ");
    let changes = detect::changes(reference, other);
    let (a, b) = &changes.numbers;
    if !a.is_empty() && !b.is_empty() {
        let (la, lb) = (list(a), list(b));
        out.push(Difference {
            detail: Some([la.as_str(), " → ", lb.as_str()].concat()),
            reference: Some(la),
            other: Some(lb),
            ..Difference::bare(DiffKind::NumberChanged, v)
        });
    }
    let (na, nb) = (reference.negations(), other.negations());
    if na != nb {
        let detail = replaced_words(word_diff);
        out.push(Difference {
            reference: Some(format!("{na} negation(s)")),
            other: Some(format!("{nb} negation(s)")),
            detail: (!detail.is_empty()).then_some(detail),
            ..Difference::bare(DiffKind::NegationChanged, v)
        });
    }
    let (gone, new) = &changes.names;
    // A swapped name needs one name gone and another come: most edits touch none, and
    // need no word counts or replacement runs.
    if !gone.is_empty() && !new.is_empty() {
        // A swapped name is a local edit in an otherwise kept sentence; in a rewritten
        // passage, names come and go with the rewrite.
        let local = |t: &str| t.split_whitespace().count() <= 4;
        let kept: usize = word_diff
            .runs
            .iter()
            .filter(|r| r.op == DiffOp::Equal)
            .map(|r| r.text.split_whitespace().count())
            .sum();
        let mostly_kept = kept >= word_diff.edits();
        for (del, ins) in replacements(word_diff).into_iter().filter(|_| mostly_kept) {
            if !local(del) || !local(ins) {
                continue;
            }
            let del_names: Vec<String> = detect::names(del, lowercase)
                .into_iter()
                .filter(|n| gone.contains(n))
                .collect();
            let ins_names: Vec<String> = detect::names(ins, lowercase)
                .into_iter()
                .filter(|n| new.contains(n))
                .collect();
            if !del_names.is_empty() && !ins_names.is_empty() {
                out.push(Difference {
                    reference: Some(del.to_string()),
                    other: Some(ins.to_string()),
                    detail: Some([del, " → ", ins].concat()),
                    ..Difference::bare(DiffKind::NameChanged, v)
                });
            }
        }
    }
    for ((qa, qb), (ia, ib)) in changes.quotes.into_iter().zip(changes.quote_pairs) {
        // The quotes' pieces are the texts' own pieces between their marks.
        let detail = replaced_words(&diff::word_diff_within(
            ref_pieces,
            ref_pieces.pieces_in(reference.quote_span(ia)),
            other_pieces,
            other_pieces.pieces_in(other.quote_span(ib)),
        ));
        out.push(Difference {
            reference: Some(qa),
            other: Some(qb),
            detail: Some(detail),
            ..Difference::bare(DiffKind::QuoteChanged, v)
        });
    }
}

/// Adjacent (deleted, inserted) runs of a word diff: the places where words were
/// replaced.
fn replacements(d: &WordDiff) -> Vec<(&str, &str)> {
    d.runs
        .windows(2)
        .filter(|w| w[0].op == DiffOp::Delete && w[1].op == DiffOp::Insert)
        .map(|w| (w[0].text.as_str(), w[1].text.as_str()))
        .collect()
}

/// The edits of a word diff in a few words: `negotiated → genuine; + It is possible to`.
fn replaced_words(d: &WordDiff) -> String {
    // Written into one buffer: no string per part, nor a formatter per part.
    let mut out = String::with_capacity(
        d.runs
            .iter()
            .filter(|r| r.op != DiffOp::Equal)
            .map(|r| r.text.len() + 6)
            .sum(),
    );
    let mut part = |pieces: &[&str]| {
        if !out.is_empty() {
            out.push_str("; ");
        }
        for p in pieces {
            out.push_str(p);
        }
    };
    let mut i = 0;
    while i < d.runs.len() {
        let r = &d.runs[i];
        match (r.op, d.runs.get(i + 1)) {
            (DiffOp::Delete, Some(next)) if next.op == DiffOp::Insert => {
                part(&[&r.text, " → ", &next.text]);
                i += 2;
                continue;
            }
            (DiffOp::Delete, _) => part(&["− ", &r.text]),
            (DiffOp::Insert, _) => part(&["+ ", &r.text]),
            (DiffOp::Equal, _) => {}
        }
        i += 1;
    }
    out
}

/// Coverage and moves, gathered from each claim as it is judged: a comparison of
/// hundreds of thousands of claims is not walked again, claim by claim through memory
/// far apart, once for the moves and once per version for its coverage.
struct Tally<'a> {
    versions: &'a [Version],
    base: usize,
    /// Per version, its coverage so far (`moved` and `new_share` are set at the end).
    coverage: Vec<Coverage>,
    /// Per version, the chars of its sentences in claims the base lacks.
    new_chars: Vec<usize>,
    /// Per version, (position in the version, claim index) of each claim it shares
    /// with the base.
    shared: Vec<Vec<(usize, usize)>>,
    /// Per version, per sentence: the index of the claim it is in.
    claim_of: Vec<Vec<usize>>,
}

impl<'a> Tally<'a> {
    /// A tally of up to `claims` claims.
    fn new(versions: &'a [Version], base: usize, claims: usize) -> Self {
        let n = versions.len();
        Tally {
            versions,
            base,
            coverage: vec![
                Coverage {
                    base_sentences: versions[base].sentences.len(),
                    ..Coverage::default()
                };
                n
            ],
            new_chars: vec![0; n],
            shared: (0..n)
                // A version shares a claim only through a sentence of its own.
                .map(|v| {
                    let room = if v == base {
                        0
                    } else {
                        claims.min(versions[v].sentences.len())
                    };
                    Vec::with_capacity(room)
                })
                .collect(),
            claim_of: versions
                .iter()
                .map(|v| vec![0; v.sentences.len()])
                .collect(),
        }
    }

    /// Notes claim `k`.
    fn add(&mut self, k: usize, claim: &ClaimResult) {
        let base = self.base;
        let in_base = claim.members[base].sentences.len();
        for (v, m) in claim.members.iter().enumerate() {
            let c = &mut self.coverage[v];
            match m.status {
                VersionStatus::Reference | VersionStatus::Identical => c.identical += in_base,
                VersionStatus::Reworded => c.reworded += in_base,
                VersionStatus::Changed => c.changed += in_base,
                VersionStatus::Missing => c.dropped += in_base,
                VersionStatus::Added => {
                    let sentences = &self.versions[v].sentences;
                    c.added_sentences += m.sentences.len();
                    self.new_chars[v] += m
                        .sentences
                        .iter()
                        .map(|&i| sentences[i].end - sentences[i].start)
                        .sum::<usize>();
                }
                VersionStatus::Absent => {}
            }
            if v != base && in_base != 0 && !m.sentences.is_empty() {
                self.shared[v].push((m.sentences[0], k));
            }
            for &i in &m.sentences {
                self.claim_of[v][i] = k;
            }
        }
    }

    /// Marks the claims each version carries out of the base's order (see
    /// [`out_of_order`]) and returns the coverage of every version, and per version, per
    /// sentence, the index of the claim it is in.
    fn finish(mut self, claims: &mut [ClaimResult]) -> (Vec<Coverage>, Vec<Vec<usize>>) {
        for (v, shared) in self.shared.iter_mut().enumerate() {
            if v == self.base {
                continue;
            }
            shared.sort_unstable();
            let order: Vec<usize> = shared.iter().map(|&(_, k)| k).collect();
            let moved = out_of_order(&order);
            self.coverage[v].moved = moved.len();
            for k in moved {
                claims[k]
                    .differences
                    .push(Difference::bare(DiffKind::Moved, v));
                claims[k].differences.sort_by_key(|d| d.version);
            }
        }
        for ((c, version), new_chars) in self
            .coverage
            .iter_mut()
            .zip(self.versions)
            .zip(self.new_chars)
        {
            let total_chars: usize = version.sentences.iter().map(|s| s.end - s.start).sum();
            c.new_share = if total_chars == 0 {
                0.0
            } else {
                new_chars as f64 / total_chars as f64
            };
        }
        (self.coverage, self.claim_of)
    }
}

/// The items of `seq` outside one longest increasing subsequence (O(n log n)).
fn out_of_order(seq: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // index into seq of the tail of each length
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &x) in seq.iter().enumerate() {
        let pos = tails.partition_point(|&t| seq[t] < x);
        prev[i] = pos.checked_sub(1).map(|p| tails[p]);
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut keep = vec![false; seq.len()];
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        keep[i] = true;
        cur = prev[i];
    }
    seq.iter()
        .zip(keep)
        .filter(|&(_, k)| !k)
        .map(|(&x, _)| x)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Metadata;

    fn doc(id: &str, text: &str) -> Document {
        Document {
            id: id.to_string(),
            source: id.to_string(),
            origin: format!("{id}.txt"),
            meta: Metadata::default(),
            text: text.to_string(),
            given_sentences: None,
        }
    }

    fn run(texts: &[(&str, &str)]) -> Comparison {
        compare(
            texts.iter().map(|(i, t)| doc(i, t)).collect(),
            &CompareOptions::default(),
        )
        .expect("compares")
    }

    const WIRE: &str = "The ministers met for 10 hours in a villa outside the capital.\n\
        “The results will not be tomorrow,” the minister said.\n\
        Both sides stressed that closer cooperation was critical to ending the conflict.\n";

    #[test]
    fn a_text_against_itself_is_identical_everywhere() {
        let c = run(&[("a", WIRE), ("b", WIRE)]);
        assert!(!c.has_differences());
        assert!(
            c.claims
                .iter()
                .all(|cl| cl.status == ClaimStatus::Identical)
        );
        assert_eq!(c.coverage[1].identical, 3);
    }

    #[test]
    fn changed_number_and_quote_are_changes() {
        let other = WIRE
            .replace("10 hours", "12 hours")
            .replace("will not be tomorrow", "will not come tomorrow");
        let c = run(&[("a", WIRE), ("b", &other)]);
        let kinds: Vec<DiffKind> = c
            .claims
            .iter()
            .flat_map(|cl| cl.differences.iter().map(|d| d.kind))
            .collect();
        assert!(kinds.contains(&DiffKind::NumberChanged), "{kinds:?}");
        assert!(kinds.contains(&DiffKind::QuoteChanged), "{kinds:?}");
        assert_eq!(c.coverage[1].changed, 2);
        assert_eq!(c.coverage[1].identical, 1);
    }

    #[test]
    fn a_version_repeating_anothers_words_is_judged_as_if_alone() {
        let other = WIRE
            .replace("10 hours", "12 hours")
            .replace("will not be tomorrow", "will not come tomorrow")
            .replace("Both sides stressed", "Both sides said");
        // Version 2 repeats version 1's words; in `alone`, version 1 is the base's copy
        // and version 2 is judged on its own.
        let repeated = run(&[("a", WIRE), ("b", &other), ("c", &other)]);
        let alone = run(&[("a", WIRE), ("b", WIRE), ("c", &other)]);
        // (Similarity weighs words by how many versions use them: not compared.)
        let of_version_2 = |c: &Comparison| -> Vec<(Member, Vec<Difference>)> {
            c.claims
                .iter()
                .map(|cl| {
                    let found = cl.differences.iter().filter(|d| d.version == 2);
                    let member = Member {
                        similarity: None,
                        ..cl.members[2].clone()
                    };
                    (member, found.cloned().collect())
                })
                .collect()
        };
        let got = of_version_2(&repeated);
        assert_eq!(got, of_version_2(&alone));
        assert_eq!(got.iter().filter(|(m, _)| m.diff.is_some()).count(), 3);
        let kinds: Vec<DiffKind> = got
            .iter()
            .flat_map(|(_, d)| d.iter().map(|d| d.kind))
            .collect();
        assert!(kinds.contains(&DiffKind::NumberChanged), "{kinds:?}");
        assert!(kinds.contains(&DiffKind::QuoteChanged), "{kinds:?}");
    }

    #[test]
    fn dropped_and_added_sentences_are_reported() {
        let other = "The ministers met for 10 hours in a villa outside the capital.\n\
            A local farmer said the road had been closed since dawn.\n";
        let c = run(&[("a", WIRE), ("b", other)]);
        assert_eq!(c.coverage[1].dropped, 2);
        assert_eq!(c.coverage[1].added_sentences, 1);
        assert!(c.coverage[1].new_share > 0.3);
        let added = c
            .claims
            .iter()
            .find(|cl| cl.members[0].sentences.is_empty())
            .expect("an added claim");
        // Placed after the claim that precedes it in its own version.
        assert_eq!(added.number, 2);
        assert_eq!(added.status, ClaimStatus::OnlyInSome);
    }

    #[test]
    fn moved_paragraph_is_marked_moved() {
        let lines: Vec<&str> = WIRE.lines().collect();
        let other = format!("{}\n{}\n{}\n", lines[2], lines[0], lines[1]);
        let c = run(&[("a", WIRE), ("b", &other)]);
        let moved: Vec<usize> = c
            .claims
            .iter()
            .filter(|cl| cl.differences.iter().any(|d| d.kind == DiffKind::Moved))
            .map(|cl| cl.number)
            .collect();
        assert_eq!(moved, vec![3]);
    }

    #[test]
    fn wire_role_picks_the_base() {
        let mut docs = vec![doc("outlet", WIRE), doc("ap", WIRE)];
        docs[1].meta.role = Some("wire".into());
        let c = compare(docs, &CompareOptions::default()).expect("compares");
        assert_eq!(c.base, 1);
    }

    #[test]
    fn unknown_base_is_an_error() {
        let opts = CompareOptions {
            base: Some("nope".into()),
            ..CompareOptions::default()
        };
        let e = compare(vec![doc("a", WIRE), doc("b", WIRE)], &opts).unwrap_err();
        assert!(e.to_string().contains("no version has id \"nope\""), "{e}");
    }

    #[test]
    fn one_version_is_an_error() {
        let e = compare(vec![doc("a", WIRE)], &CompareOptions::default()).unwrap_err();
        assert!(e.to_string().starts_with("a.txt: only one version"), "{e}");
    }

    fn kinds_between(a: &str, b: &str) -> Vec<DiffKind> {
        let c = run(&[("a", a), ("b", b)]);
        c.claims
            .iter()
            .flat_map(|cl| cl.differences.iter().map(|d| d.kind))
            .collect()
    }

    #[test]
    fn swapped_surname_is_a_name_change() {
        let k = kinds_between(
            "Sen. Maria Ortiz voted against the budget bill on Tuesday.",
            "Sen. Maria Ortega voted against the budget bill on Tuesday.",
        );
        assert!(k.contains(&DiffKind::NameChanged), "{k:?}");
    }

    #[test]
    fn regression_names_coming_and_going_in_a_rewrite_are_not_a_swap() {
        // Found on real copy: an outlet rewrote a credited lead and named the secretary;
        // that is rewording, not "AP" changed into "State".
        let k = kinds_between(
            "The United States and Russia agreed Friday on new steps to curb the war in Syria, hinting at a partnership that has been the subject of intense negotiation, AP reported.",
            "The United States and Russia agreed Friday to take steps to curb the war in Syria, but Secretary of State John Kerry would not outline them.",
        );
        assert!(!k.contains(&DiffKind::NameChanged), "{k:?}");
    }

    #[test]
    fn a_figure_left_out_is_rewording_not_a_change() {
        let k = kinds_between(
            "The ministers met for more than 10 hours in a villa outside the capital.",
            "The ministers met for hours in a villa outside the capital.",
        );
        assert!(!k.contains(&DiffKind::NumberChanged), "{k:?}");
        assert!(k.contains(&DiffKind::Reworded), "{k:?}");
    }

    #[test]
    fn quote_change_detail_names_the_words() {
        let c = run(&[
            (
                "a",
                "Kerry said the steps could “help create the space for a negotiated and credible political transition.”",
            ),
            (
                "b",
                "Kerry said the steps could “help create the space for a genuine and credible political transition.”",
            ),
        ]);
        let d = c.claims[0]
            .differences
            .iter()
            .find(|d| d.kind == DiffKind::QuoteChanged)
            .expect("quote change");
        assert_eq!(d.detail.as_deref(), Some("negotiated → genuine"));
    }

    proptest::proptest! {
        // Written into one buffer, the summary reads as the parts joined.
        #[test]
        fn replaced_words_joins_its_parts(
            runs in proptest::collection::vec((0..3u8, "[a-c ]{0,5}"), 0..8),
        ) {
            let d = WordDiff {
                runs: runs
                    .into_iter()
                    .map(|(op, text)| diff::Run {
                        op: [DiffOp::Equal, DiffOp::Delete, DiffOp::Insert][usize::from(op)],
                        text,
                        space_before: true,
                    })
                    .collect(),
            };
            let mut parts = Vec::new();
            let mut i = 0;
            while i < d.runs.len() {
                let r = &d.runs[i];
                match (r.op, d.runs.get(i + 1)) {
                    (DiffOp::Delete, Some(next)) if next.op == DiffOp::Insert => {
                        parts.push(format!("{} → {}", r.text, next.text));
                        i += 2;
                        continue;
                    }
                    (DiffOp::Delete, _) => parts.push(format!("− {}", r.text)),
                    (DiffOp::Insert, _) => parts.push(format!("+ {}", r.text)),
                    (DiffOp::Equal, _) => {}
                }
                i += 1;
            }
            proptest::prop_assert_eq!(replaced_words(&d), parts.join("; "));
        }
    }

    proptest::proptest! {
        // `credits::audit` skips the diff of a copy word for word on this ground.
        #[test]
        fn a_text_holds_no_edit_against_itself(
            text in "[a-cA-C0-9 ,.'\"\u{2019}\u{201c}\u{201d}\u{e9}\u{c9}]{0,40}|\\PC{0,30}",
            vocab in "[a-c \u{e9}]{0,12}",
        ) {
            let vocab = detect::lowercase_vocabulary([vocab.as_str()]);
            let found = edits(&text, &text, &vocab, 1);
            proptest::prop_assert!(found.is_empty(), "{:?}", found);
        }
    }

    #[test]
    fn texts_cut_ahead_are_their_claims_texts() {
        let other = WIRE
            .replace("10 hours", "12 hours")
            .replace("Both sides stressed", "Both sides said");
        let versions = [("a", WIRE), ("b", other.as_str()), ("c", other.as_str())];
        let c = run(&versions);
        let texts: Vec<Vec<&str>> = c
            .versions
            .iter()
            .map(|v| v.sentences.iter().map(|s| s.text.as_str()).collect())
            .collect();
        let alignment = align_versions(&texts, c.base, &AlignOptions::default());
        let ahead = cut_ahead(&c.versions, c.base, &alignment);
        let cut: Vec<(usize, usize)> = ahead.iter().map(|&(k, v, _)| (k, v)).collect();
        // The base's and the first version's texts of the two changed claims; the second
        // version repeats the first.
        assert_eq!(cut, vec![(0, 0), (0, 1), (2, 0), (2, 1)]);
        for (k, v, pieces) in &ahead {
            let idx = &alignment.claims[*k].members[*v];
            assert_eq!(pieces.text(), c.group_text(*v, idx));
        }
    }

    /// Words and marks that make or touch figures, names, negations and quotes, and
    /// plain words that do not.
    const POOL: &[&str] = &[
        "the",
        "a",
        "big",
        "small",
        "talks",
        "said",
        "it's",
        "not",
        "never",
        "don't",
        "no",
        "twenty",
        "five",
        "one",
        "half",
        "million",
        "hundreds",
        "dozen",
        "3",
        "1,500",
        "3.5",
        "Kerry",
        "The",
        "NASA",
        "Twenty",
        "iPhone",
        "caf\u{e9}",
        "it\u{2019}s",
        "Kerry\u{2019}s",
        "1990\u{2019}s",
        "twenty\u{2019}s",
        "Million",
        "Hundreds",
        ",",
        ".",
        "\u{2014}",
        "\"",
        "\u{201c}",
        "\u{201d}",
        "'",
        ":",
    ];

    /// Plain words, drawn more often than the others (see [`word`]).
    const PLAIN: &[&str] = &["the", "a", "big", "small", "talks", "said", "went", "on"];

    /// Word `k` of the pool, any index below 100: a plain word past [`POOL`]'s end.
    fn word(k: usize) -> &'static str {
        POOL.get(k).copied().unwrap_or(PLAIN[k % PLAIN.len()])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        // The shortcut in `judge_claim`: a diff whose edits are all plain finds nothing
        // for `edits` to report.
        #[test]
        fn plain_edits_change_no_figure_name_negation_or_quote(
            words in proptest::collection::vec(0..100usize, 0..14),
            changes in proptest::collection::vec((0usize..16, 0..100usize, 0u8..3), 0..4),
            lower in proptest::collection::vec(0..100usize, 0..4),
        ) {
            let mut other = words.clone();
            for &(at, word, how) in &changes {
                let at = at % (other.len() + 1);
                match how {
                    0 if at < other.len() => {
                        other.remove(at);
                    }
                    1 if at < other.len() => other[at] = word,
                    _ => other.insert(at, word),
                }
            }
            let text = |w: &[usize]| w.iter().map(|&k| word(k)).collect::<Vec<_>>().join(" ");
            let (a, b) = (text(&words), text(&other));
            let vocab_text = text(&lower);
            let vocab = detect::lowercase_vocabulary([vocab_text.as_str(), &a, &b]);
            let (pa, pb) = (diff::Pieces::new(&a), diff::Pieces::new(&b));
            if word_diff_plain(&pa, &pb).1 {
                let found = edits(&a, &b, &vocab, 1);
                proptest::prop_assert!(found.is_empty(), "{a:?} -> {b:?}: {found:?}");
            }
        }
    }

    /// Moves as [`Tally`] marks them, found the way they were before it, from the
    /// judged claims.
    fn moves_walking_claims(claims: &mut [ClaimResult], base: usize, n_versions: usize) {
        for v in (0..n_versions).filter(|&v| v != base) {
            let mut shared: Vec<(usize, usize)> = claims
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    !c.members[base].sentences.is_empty() && !c.members[v].sentences.is_empty()
                })
                .map(|(k, c)| (c.members[v].sentences[0], k))
                .collect();
            shared.sort_unstable();
            let order: Vec<usize> = shared.iter().map(|&(_, k)| k).collect();
            for k in out_of_order(&order) {
                claims[k]
                    .differences
                    .push(Difference::bare(DiffKind::Moved, v));
                claims[k].differences.sort_by_key(|d| d.version);
            }
        }
    }

    /// Coverage as [`Tally`] gathers it, found the way it was before it, from the
    /// claims with their moves marked.
    fn coverage_walking_claims(
        versions: &[Version],
        base: usize,
        claims: &[ClaimResult],
    ) -> Vec<Coverage> {
        let base_sentences = versions[base].sentences.len();
        (0..versions.len())
            .map(|v| {
                let mut c = Coverage {
                    base_sentences,
                    ..Coverage::default()
                };
                let mut new_chars = 0usize;
                let chars =
                    |i: usize| versions[v].sentences[i].end - versions[v].sentences[i].start;
                let total_chars: usize = (0..versions[v].sentences.len()).map(chars).sum();
                for claim in claims {
                    let m = &claim.members[v];
                    let in_base = claim.members[base].sentences.len();
                    match m.status {
                        VersionStatus::Reference | VersionStatus::Identical => {
                            c.identical += in_base
                        }
                        VersionStatus::Reworded => c.reworded += in_base,
                        VersionStatus::Changed => c.changed += in_base,
                        VersionStatus::Missing => c.dropped += in_base,
                        VersionStatus::Added => {
                            c.added_sentences += m.sentences.len();
                            new_chars += m.sentences.iter().map(|&i| chars(i)).sum::<usize>();
                        }
                        VersionStatus::Absent => {}
                    }
                    if claim
                        .differences
                        .iter()
                        .any(|d| d.version == v && d.kind == DiffKind::Moved)
                    {
                        c.moved += 1;
                    }
                }
                c.new_share = if total_chars == 0 {
                    0.0
                } else {
                    new_chars as f64 / total_chars as f64
                };
                c
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        // `Tally`, gathering coverage and moves as claims are judged, finds what walking
        // the judged claims afterwards finds.
        #[test]
        fn tallied_coverage_and_moves_are_those_of_the_judged_claims(
            picks in proptest::collection::vec(
                proptest::collection::vec((0..12usize, 0u8..4), 0..10),
                2..5,
            ),
            base in 0..4usize,
        ) {
            const LINES: &[&str] = &[
                "The ministers met for 10 hours in a villa outside the capital.",
                "The ministers met for 12 hours in a villa outside the capital.",
                "“The results will not be tomorrow,” the minister said.",
                "Both sides stressed that closer cooperation was critical.",
                "Both sides said that closer cooperation was critical.",
                "Kerry left for Geneva on Friday.",
                "Lavrov left for Geneva on Friday.",
                "The talks resume next week, officials said.",
                "No agreement was reached on the border.",
                "An agreement was reached on the border.",
                "Reporters waited outside in the rain.",
                "MOSCOW (AP) — The talks stalled.",
            ];
            let texts: Vec<String> = picks
                .iter()
                .map(|p| {
                    p.iter()
                        .map(|&(k, sep)| {
                            let sep = ["\n", " ", "\n\n", "\n"][usize::from(sep)];
                            [LINES[k], sep].concat()
                        })
                        .collect()
                })
                .collect();
            let docs: Vec<Document> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| doc(&format!("v{i}"), t))
                .collect();
            let opts = CompareOptions {
                base: Some(format!("v{}", base % texts.len())),
                ..CompareOptions::default()
            };
            let Ok(c) = compare(docs, &opts) else {
                return Ok(());
            };
            let mut claims = c.claims.clone();
            for claim in &mut claims {
                claim.differences.retain(|d| d.kind != DiffKind::Moved);
            }
            moves_walking_claims(&mut claims, c.base, c.versions.len());
            proptest::prop_assert_eq!(&claims, &c.claims);
            proptest::prop_assert_eq!(
                coverage_walking_claims(&c.versions, c.base, &c.claims),
                c.coverage
            );
        }
    }

    #[test]
    fn a_plain_word_beside_a_figure_is_no_plain_edit() {
        // `twenty five` is 25; with a word between, 20 and 5.
        for (a, b) in [
            (
                "They met twenty five times.",
                "They met twenty big five times.",
            ),
            (
                "They met two million times.",
                "They met two big million times.",
            ),
        ] {
            let vocab = detect::lowercase_vocabulary([a, b]);
            assert!(!edits(a, b, &vocab, 1).is_empty(), "{b}");
            let (pa, pb) = (diff::Pieces::new(a), diff::Pieces::new(b));
            assert!(!word_diff_plain(&pa, &pb).1, "{b}");
        }
    }

    #[test]
    fn longest_increasing_run_leaves_the_moved_one() {
        assert_eq!(out_of_order(&[4, 0, 1, 2, 3]), vec![4]);
        assert_eq!(out_of_order(&[0, 1, 2]), Vec::<usize>::new());
    }
}
