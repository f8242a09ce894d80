//! Credits: attributions followed across versions and checked against the versions
//! they cite.
//!
//! - Per claim, against the reference text: an attribution added, dropped, or moved to
//!   another source; the cue verb changed (a neutral `said` becoming a loaded
//!   `claimed` is called out); a direct quote turned into paraphrase or back.
//! - **Audit.** A sentence that credits a source matching a loaded version ("..., AP
//!   reported.", "according to Arab News") is checked against that version's text for the
//!   same claim: *supported*, *changed* (a number, negation, name or quoted word differs),
//!   *misattributed* (only another loaded version carries it), or *not found*.
//! - **Uncredited copy.** A sentence that matches a source version nearly word for word
//!   (similarity at least [`COPY_SIMILARITY`]) while the sentence credits no news source
//!   (`..., X reported`, `according to X`) and the version does not credit the source
//!   copied for the whole story (in its dateline, byline or a contribution line). A
//!   quoted speaker (`Haddad said`) is not a credit for the copy. A source's own
//!   sentences never come from an outlet.
//! - **Provenance.** For every sentence of every version, the other version it most
//!   likely came from (the carrier of the same claim with the highest similarity), or
//!   none when no other version carries the claim.
//!
//! Sources are matched to versions by the version's source name or id, through the
//! alias table in [`crate::source`] and the entity keys of [`crate::attribute`].

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

use crate::align::Alignment;
use crate::attribute::{self, Attribution, Kind};
use crate::boilerplate::Kind as BoilerplateKind;
use crate::normalize;
use crate::source;

use super::detect::LowercaseWords;
use super::{ClaimResult, DiffKind, Difference, Version, edits};

/// Least similarity for a sentence to count as a copy of a source's sentence.
pub const COPY_SIMILARITY: f64 = 0.85;

/// What the audit found for one credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// The cited version says the same thing.
    Supported,
    /// The cited version carries the claim with a meaning-bearing difference.
    Changed,
    /// The cited version does not carry the claim, but another loaded version does.
    Misattributed,
    /// No loaded version carries the claim.
    NotFound,
}

impl Verdict {
    /// The snake-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Changed => "changed",
            Verdict::Misattributed => "misattributed",
            Verdict::NotFound => "not_found",
        }
    }
}

/// One credit checked against the version it cites.
#[derive(Debug, Clone, PartialEq)]
pub struct Credit {
    /// The crediting version.
    pub version: usize,
    /// The crediting sentence.
    pub sentence: usize,
    /// The source as written (`AP`, `Arab News`).
    pub source: String,
    /// The cue as written (`reported`, `according to`).
    pub cue: String,
    /// The loaded version the credit names.
    pub cited: usize,
    /// What the audit found.
    pub verdict: Verdict,
    /// The cited version's matching sentences, when it carries the claim.
    pub matched: Vec<usize>,
    /// For a misattribution, the versions that do carry the claim.
    pub found_in: Vec<usize>,
    /// The words that differ, for a changed claim.
    pub detail: Option<String>,
}

/// A sentence copied nearly word for word from a source version without credit.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncredited {
    /// The copying version.
    pub version: usize,
    /// Its sentences.
    pub sentences: Vec<usize>,
    /// The source version copied.
    pub from: usize,
    /// The source's sentences.
    pub from_sentences: Vec<usize>,
    /// Their similarity.
    pub similarity: f64,
}

/// Where one sentence most likely came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Provenance {
    /// The other version carrying the same claim most similarly.
    pub from: usize,
    /// That similarity.
    pub score: f64,
}

/// What the attribution stage found, for the whole comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Credits {
    /// Per version, its attributions in document order.
    pub attributions: Vec<Vec<Attribution>>,
    /// Every credit to a loaded version, audited.
    pub audits: Vec<Credit>,
    /// Sentences copied from a source without credit.
    pub uncredited: Vec<Uncredited>,
    /// Per version, per sentence: where it most likely came from.
    pub provenance: Vec<Vec<Option<Provenance>>>,
}

/// Span look-ups in `text`, whose spans count chars. Mostly ASCII text (most news
/// copy) keeps where its few wider chars are; other text keeps the byte offset of every
/// [`Chars::EVERY`]th char, and a look-up walks on from the one before it. Either takes
/// a fraction of the memory of the text as a `Vec<char>`, which a long text cannot
/// afford. Built once per version (see [`Chars::of_scanned`]) and shared by the index of named
/// attributions and the credits audit.
pub struct Chars<'a> {
    text: &'a str,
    index: CharIndex,
    len: usize,
}

/// How [`Chars`] finds a char's byte offset.
enum CharIndex {
    /// Per char wider than a byte (`wide`), in order: its char offset, and how many
    /// bytes past one a char it and the chars before it take. A char's byte offset is
    /// its char offset plus the count of the last wider char before it, sought among
    /// those of its block of [`Chars::BLOCK`] chars: `blocks[j]` wider chars come before
    /// block `j`.
    /// (Offsets as `u32`: half the room, and no text that could not hold them is given
    /// this index.)
    Wide {
        wide: Vec<(u32, u32)>,
        blocks: Vec<usize>,
    },
    /// The byte offset of every [`Chars::EVERY`]th char.
    Marks(Vec<usize>),
}

/// The search [`Chars`] makes for the wider chars of a text, made a piece of the text at
/// a time: a piece just read (a line segmented) is searched while it is in cache, and
/// a long text is not read through once more for it.
pub struct WideScan {
    /// Bytes searched.
    at: usize,
    /// Bytes past one a char the wider chars found take.
    extra: usize,
    /// As [`CharIndex::Wide`] holds them.
    wide: Vec<(u32, u32)>,
    /// The most wider chars kept: past them the text is marked instead.
    most: usize,
    /// Whether there were more.
    over: bool,
}

impl WideScan {
    /// A search of `text`, none of it searched yet.
    pub fn new(text: &str) -> Self {
        // No more room than the marks would take: half a byte per byte of text.
        let most = text.len() / 32;
        WideScan {
            at: 0,
            extra: 0,
            // A long text is searched as it is segmented, before alignment's peak: the
            // list has room for the most it keeps from the start, so that it never moves
            // and leaves the smaller lists it grew through behind at the peak (room not
            // written to takes no memory).
            wide: Vec::with_capacity(if text.len() >= 1 << 20 { most } else { 0 }),
            most,
            // (Offsets past `u32` are marked.)
            over: u32::try_from(text.len()).is_err(),
        }
    }

    /// What is searched at once by [`WideScan::read_to`]: a search a line would cost
    /// more than the line's bytes, and a few kilobytes just read are still in cache.
    const PIECE: usize = 16 * 1024;

    /// Notes that `text` (the text the search is of) was read up to byte `end`, a char
    /// boundary at or past what was noted before: what was read since the last search
    /// is searched once it is [`WideScan::PIECE`] bytes or more.
    pub fn read_to(&mut self, text: &str, end: usize) {
        if end - self.at >= Self::PIECE {
            self.scan_to(text, end);
        }
    }

    /// Searches `text` (the text the search is of) up to byte `end`, a char boundary
    /// at or past what was searched before.
    pub fn scan_to(&mut self, text: &str, end: usize) {
        if self.over {
            return;
        }
        let bytes = &text.as_bytes()[..end];
        let mut b = self.at;
        loop {
            b = normalize::next_wide(bytes, b);
            if b == end {
                break;
            }
            if self.wide.len() == self.most {
                self.over = true;
                return;
            }
            // The lead byte of a char of n bytes starts with n ones.
            let n = bytes[b].leading_ones() as usize;
            // (Both below the text's length, which fits.)
            self.wide
                .push(((b - self.extra) as u32, (self.extra + n - 1) as u32));
            self.extra += n - 1;
            b += n;
        }
        self.at = end;
    }

    /// The look-ups of `text`, the rest of it searched.
    pub fn finish(mut self, text: &str) -> Chars<'_> {
        self.scan_to(text, text.len());
        if self.over {
            return Chars::marked(text);
        }
        Chars::with_wide(text, self.wide, self.extra)
    }
}

impl<'a> Chars<'a> {
    // Every sixteenth: a look-up in a block that is not all ASCII walks two words of
    // eight bytes at most (every 64th cost 144 instructions a look-up), for half a byte
    // of marks per byte of text.
    const EVERY: usize = 16;
    // A look-up searches the wider chars of one block: mostly none or one.
    const BLOCK: usize = 128;

    /// The look-ups of every version's text, in version order: from the search for
    /// wider chars in `scans` where it holds one of a version's whole text (see
    /// [`WideScan`]), else by searching the text now.
    pub fn of_scanned(versions: &'a [Version], scans: Vec<Option<WideScan>>) -> Vec<Chars<'a>> {
        debug_assert_eq!(versions.len(), scans.len(), "a search or none per version");
        versions
            .iter()
            .zip(scans)
            .map(|(v, scan)| match scan {
                Some(scan) => scan.finish(&v.doc.text),
                None => Chars::new(&v.doc.text),
            })
            .collect()
    }

    fn new(text: &'a str) -> Self {
        WideScan::new(text).finish(text)
    }

    /// [`Chars::new`] with the wider chars of `text` found.
    fn with_wide(text: &'a str, wide: Vec<(u32, u32)>, extra: usize) -> Self {
        let len = text.len() - extra;
        let mut blocks = Vec::with_capacity(len / Self::BLOCK + 1);
        let mut k = 0;
        for j in 0..=len / Self::BLOCK {
            while wide
                .get(k)
                .is_some_and(|&(at, _)| (at as usize) < j * Self::BLOCK)
            {
                k += 1;
            }
            blocks.push(k);
        }
        Chars {
            text,
            index: CharIndex::Wide { wide, blocks },
            len,
        }
    }

    /// [`Chars::new`] with marks.
    fn marked(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut marks = Vec::with_capacity(bytes.len() / Self::EVERY + 1);
        let (mut b, mut len) = (0, 0);
        while b < bytes.len() {
            marks.push(b);
            let (next, n) = Self::skip(bytes, b);
            b = next;
            len += n;
        }
        Chars {
            text,
            index: CharIndex::Marks(marks),
            len,
        }
    }

    /// From the char starting at byte `b` of `bytes` (UTF-8), the byte offset
    /// [`Chars::EVERY`] chars on (or the end) and the number of chars passed.
    fn skip(bytes: &[u8], b: usize) -> (usize, usize) {
        let rest = &bytes[b..];
        // Most of a news text is ASCII: a block of it is as many chars as bytes.
        if rest.len() >= Self::EVERY && rest[..Self::EVERY].is_ascii() {
            return (b + Self::EVERY, Self::EVERY);
        }
        // A char starts at every byte that does not continue one (`10xxxxxx`): count
        // the starts eight bytes at a time while the one sought is further on.
        let (mut n, mut j) = (0, 0);
        for word in rest.chunks_exact(8) {
            let Ok(word) = <[u8; 8]>::try_from(word) else {
                break;
            };
            let w = u64::from_le_bytes(word);
            let continuing = (w & !(w << 1) & 0x8080_8080_8080_8080).count_ones() as usize;
            if n + 8 - continuing > Self::EVERY {
                break;
            }
            n += 8 - continuing;
            j += 8;
        }
        for (k, _) in rest[j..]
            .iter()
            .enumerate()
            .filter(|(_, x)| **x & 0xC0 != 0x80)
        {
            if n == Self::EVERY {
                return (b + j + k, n);
            }
            n += 1;
        }
        (bytes.len(), n)
    }

    /// Byte offset of char `c` (`c` at most the char count).
    #[inline]
    fn byte(&self, c: usize) -> usize {
        if c >= self.len {
            return self.text.len();
        }
        match &self.index {
            CharIndex::Wide { wide, blocks } => {
                let j = c / Self::BLOCK;
                let (from, to) = (blocks[j], blocks.get(j + 1).copied().unwrap_or(wide.len()));
                let before = from + wide[from..to].partition_point(|&(at, _)| (at as usize) < c);
                c + before.checked_sub(1).map_or(0, |k| wide[k].1 as usize)
            }
            CharIndex::Marks(marks) => self.marked_byte(marks, c),
        }
    }

    /// [`Chars::byte`] through marks.
    // Out of line: the look-up of a mostly ASCII text, inlined, needs few registers.
    #[inline(never)]
    fn marked_byte(&self, marks: &[usize], c: usize) -> usize {
        let block = c / Self::EVERY;
        let mark = marks[block];
        let next = marks.get(block + 1).copied().unwrap_or(self.text.len());
        // As many bytes as chars: all ASCII.
        if next - mark == Self::EVERY.min(self.len - block * Self::EVERY) {
            return mark + c % Self::EVERY;
        }
        // The char sought is the n-th that starts after the mark: count starts (bytes
        // that do not continue a char, `10xxxxxx`) without decoding, eight bytes at a
        // time while the one sought is further on.
        let mut n = c % Self::EVERY;
        let rest = &self.text.as_bytes()[mark..];
        let mut j = 0;
        for word in rest.chunks_exact(8) {
            let Ok(word) = <[u8; 8]>::try_from(word) else {
                break;
            };
            let w = u64::from_le_bytes(word);
            let starts = 8 - (w & !(w << 1) & 0x8080_8080_8080_8080).count_ones() as usize;
            if starts > n {
                break;
            }
            n -= starts;
            j += 8;
        }
        rest[j..]
            .iter()
            .enumerate()
            .filter(|(_, b)| **b & 0xC0 != 0x80)
            .nth(n)
            .map_or(self.text.len(), |(b, _)| mark + j + b)
    }

    fn span(&self, s: attribute::Span) -> &'a str {
        let end = s.end.min(self.len);
        let start = s.start.min(end);
        &self.text[self.byte(start)..self.byte(end)]
    }
}

/// A version's source name and id, prepared once for matching the names credits give.
struct VersionNames {
    source: source::SourceName,
    id: source::SourceName,
    source_key: String,
    id_key: String,
}

impl VersionNames {
    fn new(v: &Version) -> Self {
        let source = source::SourceName::new(&v.doc.source);
        let source_key = attribute::entity_key(&v.doc.source);
        // A version whose input names no source goes by its id: prepare that name once.
        let (id, id_key) = if v.doc.id == v.doc.source {
            (source.clone(), source_key.clone())
        } else {
            (
                source::SourceName::new(&v.doc.id),
                attribute::entity_key(&v.doc.id),
            )
        };
        VersionNames {
            source,
            id,
            source_key,
            id_key,
        }
    }
}

/// The versions a source name points at, given its [`attribute::entity_key`].
fn cited_version(name: &str, key: &str, versions: &[VersionNames]) -> Option<usize> {
    let prepared = source::SourceName::new(name);
    versions.iter().position(|v| {
        prepared.same(&v.source)
            || prepared.same(&v.id)
            || (!key.is_empty() && (v.source_key == key || v.id_key == key))
    })
}

/// Extracts every version's attributions. Versions of one story repeat most sentences
/// word for word: what was found in a sentence is reused in every version that repeats
/// it (the cache's keys are the sentences' UTF-8 bytes: 2 x 100k sentences peak at 230
/// MiB with it, within the 371 MiB budget).
pub fn extract_all(versions: &[Version]) -> Vec<Vec<Attribution>> {
    let mut cache = attribute::UnitCache::default();
    versions
        .iter()
        .map(|v| attribute::extract_cached(&v.doc.text, &v.sentences, &mut cache))
        .collect()
}

/// A named attribution of one sentence, as written, with its source's comparison key
/// as a number (the same for every attribution whose source has the same key): nothing
/// to free per attribution, nor a key to read far away to compare two.
struct Named<'a> {
    source: &'a str,
    cue: &'a str,
    quoted: bool,
    key: u32,
}

/// The key two attributions' sources are matched by: the alias table's key for a known
/// agency or outlet, else the entity key.
fn source_key<'a>(s: &'a str, entity_keys: &mut FxHashMap<&'a str, String>) -> String {
    if let Some(k) = source::key_with_aliases(s) {
        k.to_string()
    } else {
        entity_keys
            .entry(s)
            .or_insert_with(|| attribute::entity_key(s))
            .clone()
    }
}

/// Per version, each sentence's named attributions as (source, cue, quoted) texts, built
/// once so that judging a claim costs only its own sentences.
pub struct SentenceAttributions<'a> {
    /// Per version, its named attributions in sentence order (in document order within
    /// a sentence).
    named: Vec<Vec<Named<'a>>>,
    /// Per version, where each sentence's attributions begin in `named`, and where the
    /// last one's end.
    first: Vec<Vec<u32>>,
    /// Per version, per attribution: its source as written, when it names one (the
    /// audit reads them again).
    sources: Vec<Vec<Option<&'a str>>>,
    /// The span look-ups the index was built with, one per version.
    chars: &'a [Chars<'a>],
    /// The entity keys of the sources named, by source as written: the audit matches
    /// the same sources to versions by them.
    entity_keys: FxHashMap<&'a str, String>,
}

impl<'a> SentenceAttributions<'a> {
    /// Indexes the attributions of every version by sentence.
    pub fn new(
        versions: &[Version],
        chars: &'a [Chars<'a>],
        attributions: &[Vec<Attribution>],
    ) -> Self {
        // Versions repeat the same few sources; key each distinct one once, and number
        // the distinct keys.
        let mut keys: FxHashMap<&str, u32> = FxHashMap::default();
        let mut key_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut entity_keys = FxHashMap::default();
        let mut sources = Vec::with_capacity(versions.len());
        let mut named = Vec::with_capacity(versions.len());
        let mut first = Vec::with_capacity(versions.len());
        for ((v, chars), list) in versions.iter().zip(chars).zip(attributions) {
            let found: Vec<Option<&'a str>> = list
                .iter()
                .map(|a| a.source.map(|s| chars.span(s)))
                .collect();
            let mut mine: Vec<(usize, Named<'a>)> = Vec::new();
            for (a, &src) in list.iter().zip(&found) {
                let Some(src) = src else {
                    continue;
                };
                if is_named(src) && a.sentence < v.sentences.len() {
                    let key = *keys.entry(src).or_insert_with(|| {
                        let next = key_ids.len() as u32;
                        *key_ids
                            .entry(source_key(src, &mut entity_keys))
                            .or_insert(next)
                    });
                    let named = Named {
                        source: src,
                        cue: chars.span(a.cue),
                        quoted: a.quoted,
                        key,
                    };
                    mine.push((a.sentence, named));
                }
            }
            // Attributions come in document order: the stable sort leaves them as they
            // are, in sentence order.
            mine.sort_by_key(|m| m.0);
            let mut starts = vec![0u32; v.sentences.len() + 1];
            for &(i, _) in &mine {
                starts[i + 1] += 1;
            }
            for i in 0..v.sentences.len() {
                starts[i + 1] += starts[i];
            }
            named.push(mine.into_iter().map(|m| m.1).collect());
            first.push(starts);
            sources.push(found);
        }
        SentenceAttributions {
            named,
            first,
            sources,
            chars,
            entity_keys,
        }
    }

    // A claim's sentences name a source or two: kept inline, no allocation.
    fn within(&self, v: usize, idx: &[usize]) -> SmallVec<[&Named<'_>; 4]> {
        let (named, first) = (&self.named[v], &self.first[v]);
        idx.iter()
            .flat_map(|&i| &named[first[i] as usize..first[i + 1] as usize])
            .collect()
    }

    /// The first of [`SentenceAttributions::within`], found without gathering the rest.
    fn first_within(&self, v: usize, idx: &[usize]) -> Option<&Named<'_>> {
        let (named, first) = (&self.named[v], &self.first[v]);
        idx.iter()
            .find_map(|&i| named[first[i] as usize..first[i + 1] as usize].first())
    }

    /// The named attributions of version `v`'s sentences `idx`.
    pub(super) fn credited(&self, v: usize, idx: &[usize]) -> Credited<'_> {
        Credited(self.within(v, idx))
    }
}

/// The attribution differences of version `v` against the reference, for one claim.
pub fn claim_differences(
    index: &SentenceAttributions,
    reference: usize,
    ref_idx: &[usize],
    v: usize,
    idx: &[usize],
) -> Vec<Difference> {
    claim_differences_against(&index.credited(reference, ref_idx), index, v, idx)
}

/// The named attributions of some sentences of one version, gathered once for a claim's
/// reference and read against every carrier.
pub(super) struct Credited<'i>(SmallVec<[&'i Named<'i>; 4]>);

/// [`claim_differences`] with the reference's attributions already gathered.
pub(super) fn claim_differences_against(
    reference: &Credited,
    index: &SentenceAttributions,
    v: usize,
    idx: &[usize],
) -> Vec<Difference> {
    let ra = &reference.0;
    // Most claims name nobody in the reference: then only the first source the carrier
    // names is read, if it names any.
    let va = if ra.is_empty() {
        match index.first_within(v, idx) {
            None => return Vec::new(),
            Some(named) => SmallVec::from_buf_and_len([named; 4], 1),
        }
    } else {
        index.within(v, idx)
    };
    let mut out = Vec::new();
    let with =
        |kind: DiffKind, r: Option<String>, o: Option<String>, detail: Option<String>| Difference {
            reference: r,
            other: o,
            detail,
            ..Difference::bare(kind, v)
        };
    match (ra.is_empty(), va.is_empty()) {
        (true, true) => {}
        (false, true) => out.push(with(
            DiffKind::AttributionDropped,
            Some(ra[0].source.to_string()),
            None,
            None,
        )),
        (true, false) => out.push(with(
            DiffKind::AttributionAdded,
            None,
            Some(va[0].source.to_string()),
            None,
        )),
        (false, false) => {
            let shared: SmallVec<[&Named; 4]> = va
                .iter()
                .copied()
                .filter(|x| ra.iter().any(|r| same_key(r, x)))
                .collect();
            if shared.is_empty() {
                out.push(with(
                    DiffKind::AttributionChanged,
                    Some(ra[0].source.to_string()),
                    Some(va[0].source.to_string()),
                    Some([ra[0].source, " → ", va[0].source].concat()),
                ));
            }
            for o in shared {
                let Some(r) = ra.iter().find(|x| same_key(x, o)) else {
                    continue;
                };
                // Most cues are carried over word for word: no case to fold.
                if r.cue != o.cue {
                    let (rc, oc) = (r.cue.to_lowercase(), o.cue.to_lowercase());
                    if rc != oc && lemma(&rc) != lemma(&oc) {
                        let loaded = attribute::is_loaded(&oc) && !attribute::is_loaded(&rc);
                        out.push(with(
                            DiffKind::CueChanged,
                            Some(r.cue.to_string()),
                            Some(o.cue.to_string()),
                            Some(
                                [
                                    r.cue,
                                    " → ",
                                    o.cue,
                                    if loaded { " (loaded verb)" } else { "" },
                                ]
                                .concat(),
                            ),
                        ));
                    }
                }
                if r.quoted && !o.quoted {
                    out.push(with(DiffKind::QuoteToParaphrase, None, None, None));
                } else if !r.quoted && o.quoted {
                    out.push(with(DiffKind::ParaphraseToQuote, None, None, None));
                }
            }
        }
    }
    out
}

/// Whether two named attributions name their sources by the same key.
fn same_key(a: &Named, b: &Named) -> bool {
    a.key == b.key
}

/// Whether a source names someone: not a pronoun (`he`, `who`: unresolved here) and
/// short enough to be a name with a title, not a misread clause.
fn is_named(source: &str) -> bool {
    let mut words = source.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    // Up to five words after the first: five mean too many.
    match words.take(5).count() {
        0 if first.is_ascii() => {
            // Most sources are short words of ASCII: lower-cased on the stack.
            let (mut buf, mut spill) = ([0; 16], String::new());
            !attribute::lexicon::PRONOUNS
                .contains(normalize::ascii_lower(first, &mut buf, &mut spill))
        }
        0 => !attribute::lexicon::PRONOUNS.contains(first.to_lowercase().as_str()),
        more => more < 5,
    }
}

/// The verb's base form, so `says` and `said` count as one cue.
fn lemma(cue: &str) -> &str {
    let first = cue.split_whitespace().last().unwrap_or(cue);
    attribute::lexicon::lookup(first).map_or(cue, |v| v.base)
}

/// Audits credits, finds uncredited copies and traces provenance, once claims are judged;
/// `claim_of` gives, per version, per sentence, the index of the claim it is in, and
/// `index` is the one claims were judged with (its span look-ups and source keys serve
/// again).
#[allow(clippy::too_many_arguments)]
pub fn audit(
    versions: &[Version],
    base: usize,
    alignment: &Alignment,
    claims: &[ClaimResult],
    claim_of: &[Vec<usize>],
    attributions: Vec<Vec<Attribution>>,
    index: &SentenceAttributions,
    lowercase: &LowercaseWords<'_>,
) -> Credits {
    let chars = index.chars;
    let text_of = |v: usize, idx: &[usize]| -> String {
        idx.iter()
            .map(|&i| versions[v].sentences[i].text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };

    let mut audits = Vec::new();
    // Many credits name the same few sources; look each name up once.
    let mut cited_cache: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    let names: Vec<VersionNames> = versions.iter().map(VersionNames::new).collect();
    let mut credited: FxHashSet<(usize, usize, usize)> = FxHashSet::default(); // (version, sentence, cited)
    // Sentences that credit some news source or `according to` anyone, loaded or not.
    let mut credits_someone: FxHashSet<(usize, usize)> = FxHashSet::default();
    // Sources: versions something credits, wire copy, and known agencies by name. The
    // base alone is not one: two outlets compared with each other copy nobody.
    // (Per version: looked up for every pair of carriers of every claim.)
    let mut sources: Vec<bool> = versions
        .iter()
        .map(|v| source::is_known(&v.doc.source) || source::is_known(&v.doc.id))
        .collect();
    for (v, list) in attributions.iter().enumerate() {
        let chars = &chars[v];
        for (a, &src) in list.iter().zip(&index.sources[v]) {
            if matches!(a.kind, Kind::OrganisationCredit | Kind::AccordingTo) {
                credits_someone.insert((v, a.sentence));
            }
            let Some(src) = src else { continue };
            let cited = match cited_cache.get(src) {
                Some(&cited) => cited,
                None => {
                    let key = match index.entity_keys.get(src) {
                        Some(key) => Cow::Borrowed(key.as_str()),
                        None => Cow::Owned(attribute::entity_key(src)),
                    };
                    let cited = cited_version(src, &key, &names);
                    cited_cache.insert(src, cited);
                    cited
                }
            };
            let Some(cited) = cited.filter(|&w| w != v) else {
                continue;
            };
            sources[cited] = true;
            credited.insert((v, a.sentence, cited));
            if !matches!(a.kind, Kind::OrganisationCredit | Kind::AccordingTo)
                && !attribute::is_organisation(src)
            {
                continue;
            }
            let claim = &claims[claim_of[v][a.sentence]];
            let mine = &claim.members[v].sentences;
            let theirs = &claim.members[cited].sentences;
            let mut credit = Credit {
                version: v,
                sentence: a.sentence,
                source: src.to_string(),
                cue: chars.span(a.cue).to_string(),
                cited,
                verdict: Verdict::NotFound,
                matched: theirs.clone(),
                found_in: Vec::new(),
                detail: None,
            };
            if theirs.is_empty() {
                credit.found_in = (0..versions.len())
                    .filter(|&w| w != v && !claim.members[w].sentences.is_empty())
                    .collect();
                if !credit.found_in.is_empty() {
                    credit.verdict = Verdict::Misattributed;
                }
            } else {
                let (ours, cited_text) = (text_of(v, mine), text_of(cited, theirs));
                // Most credited claims are copied word for word, and a text holds no
                // edit against itself: nothing to cut or diff.
                let found = if ours == cited_text {
                    Vec::new()
                } else {
                    edits(&cited_text, &ours, lowercase, v)
                };
                if found.is_empty() {
                    credit.verdict = Verdict::Supported;
                } else {
                    credit.verdict = Verdict::Changed;
                    credit.detail = found.iter().find_map(|f| f.detail.clone());
                }
            }
            audits.push(credit);
        }
    }
    for (v, version) in versions.iter().enumerate() {
        if version
            .doc
            .meta
            .role
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("wire"))
        {
            sources[v] = true;
        }
    }

    // Provenance and uncredited copies.
    let mut provenance: Vec<Vec<Option<Provenance>>> = versions
        .iter()
        .map(|v| vec![None; v.sentences.len()])
        .collect();
    let mut uncredited = Vec::new();
    // Whole-story credits depend only on the pair of versions: judged once per pair.
    let mut story_credit: FxHashMap<(usize, usize), bool> = FxHashMap::default();
    // Buffers for one claim at a time.
    let n = versions.len();
    let mut carriers: Vec<usize> = Vec::with_capacity(n);
    let mut scores: Vec<Option<f64>> = Vec::with_capacity(n * n);
    for (c, claim) in claims.iter().enumerate() {
        carriers.clear();
        carriers.extend((0..n).filter(|&w| !claim.members[w].sentences.is_empty()));
        // Similarity is symmetric: score each pair of carriers once, and take pairs with
        // the reference from the claim, where judging already scored them.
        scores.clear();
        scores.resize(n * n, None);
        let similarities = alignment.claim_similarities(c);
        let mut pair_score = |v: usize, w: usize| -> f64 {
            if let Some(s) = scores[v * n + w] {
                return s;
            }
            let known = if w == claim.reference {
                claim.members[v].similarity
            } else if v == claim.reference {
                claim.members[w].similarity
            } else {
                None
            };
            let s = known.unwrap_or_else(|| similarities.get(v, w));
            scores[v * n + w] = Some(s);
            scores[w * n + v] = Some(s);
            s
        };
        for &v in &carriers {
            let mine = &claim.members[v].sentences;
            let mut best: Option<Provenance> = None;
            // A source's text comes from another source, never from an outlet that ran it.
            let candidates = carriers
                .iter()
                .filter(|&&w| w != v && (!sources[v] || sources[w]));
            for &w in candidates {
                let score = pair_score(v, w);
                // Ties go to a source version, then to the earlier version.
                let better = best.is_none_or(|b| {
                    score > b.score + 1e-12
                        || ((score - b.score).abs() <= 1e-12 && sources[w] && !sources[b.from])
                });
                if better {
                    best = Some(Provenance { from: w, score });
                }
            }
            for &i in mine {
                provenance[v][i] = best;
            }
            let Some(p) = best else { continue };
            if v == base || !sources[p.from] || p.score < COPY_SIMILARITY {
                continue;
            }
            let credits_it = mine
                .iter()
                .any(|&i| credited.contains(&(v, i, p.from)) || credits_someone.contains(&(v, i)))
                || *story_credit
                    .entry((v, p.from))
                    .or_insert_with(|| story_credits(&versions[v], &versions[p.from]));
            if !credits_it {
                uncredited.push(Uncredited {
                    version: v,
                    sentences: mine.clone(),
                    from: p.from,
                    from_sentences: claim.members[p.from].sentences.clone(),
                    similarity: p.score,
                });
            }
        }
    }
    uncredited.sort_by(|a, b| (a.version, a.sentences[0]).cmp(&(b.version, b.sentences[0])));
    Credits {
        attributions,
        audits,
        uncredited,
        provenance,
    }
}

/// Whether a version credits a source for the whole story: a wire dateline naming it
/// (`CITY (AP) —`, split off as boilerplate or kept in the first sentence), a byline or a
/// contribution line naming it (`By Jane Doe, Associated Press`, `The Associated Press
/// contributed to this report.`), or a first line naming it in brackets.
fn story_credits(version: &Version, from: &Version) -> bool {
    let names = |inside: &str| {
        source::same_source(inside, &from.doc.source) || source::same_source(inside, &from.doc.id)
    };
    if version.dateline_agency().is_some_and(names) {
        return true;
    }
    let aliases: Vec<String> = source::aliases(&from.doc.source)
        .into_iter()
        .chain(source::aliases(&from.doc.id))
        .map(|a| source::fold(&a))
        .filter(|a| !a.is_empty())
        .collect();
    let mentions = |text: &str| {
        let t = format!(" {} ", source::fold(text));
        aliases.iter().any(|a| t.contains(&format!(" {a} ")))
    };
    if version
        .boilerplate
        .iter()
        .filter(|b| matches!(b.kind, BoilerplateKind::Byline | BoilerplateKind::Credit))
        .any(|b| mentions(&b.text))
    {
        return true;
    }
    // A byline given as metadata (a saved page's author tag, a JSON `byline` field).
    if ["byline", "author", "credit"]
        .iter()
        .filter_map(|k| version.doc.meta.extra.get(*k))
        .any(|b| mentions(b))
    {
        return true;
    }
    let Some(first) = version.sentences.first() else {
        return false;
    };
    let head: String = first.text.chars().take(80).collect();
    let Some(open) = head.find('(') else {
        return false;
    };
    let Some(close) = head[open..].find(')') else {
        return false;
    };
    names(&head[open + 1..open + close])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{CompareOptions, Comparison, compare};
    use crate::load::{Document, Metadata};

    fn doc(id: &str, source: &str, text: &str) -> Document {
        Document {
            id: id.into(),
            source: source.into(),
            origin: format!("{id}.txt"),
            meta: Metadata::default(),
            text: text.into(),
            given_sentences: None,
        }
    }

    const AP: &str = "The rebels released 40 prisoners on Tuesday in the northern city.\n\
        Officials said the exchange had been planned for weeks.\n\
        Minister Amal Haddad said the talks would resume on Monday.\n";
    const ARAB: &str =
        "The two delegations agreed to exchange lists of detainees on the first day.\n";

    fn run(outlet: &str) -> Comparison {
        compare(
            vec![
                doc("ap", "AP", AP),
                doc("arabnews", "Arab News", ARAB),
                doc("outlet", "Outlet", outlet),
            ],
            &CompareOptions::default(),
        )
        .expect("compares")
    }

    fn verdicts(c: &Comparison) -> Vec<(usize, Verdict)> {
        c.credits
            .audits
            .iter()
            .map(|a| (a.sentence, a.verdict))
            .collect()
    }

    #[test]
    fn a_supported_credit() {
        let c =
            run("The rebels released 40 prisoners on Tuesday in the northern city, AP reported.\n");
        assert_eq!(verdicts(&c), vec![(0, Verdict::Supported)]);
    }

    #[test]
    fn a_credit_whose_figure_differs_is_changed() {
        let c =
            run("The rebels released 50 prisoners on Tuesday in the northern city, AP reported.\n");
        assert_eq!(verdicts(&c), vec![(0, Verdict::Changed)]);
        assert_eq!(c.credits.audits[0].detail.as_deref(), Some("40 → 50"));
    }

    #[test]
    fn a_claim_only_another_source_carries_is_misattributed() {
        let c = run(
            "The two delegations agreed to exchange lists of detainees on the first day, AP reported.\n",
        );
        assert_eq!(verdicts(&c), vec![(0, Verdict::Misattributed)]);
        assert_eq!(c.credits.audits[0].found_in, vec![1]);
    }

    #[test]
    fn a_claim_nobody_carries_is_not_found() {
        let c = run("The government froze the accounts of three rebel leaders, AP reported.\n");
        assert_eq!(verdicts(&c), vec![(0, Verdict::NotFound)]);
    }

    #[test]
    fn bylines_and_contribution_lines_credit_the_whole_story() {
        for credit in ["By Jane Doe, Associated Press\n", ""] {
            let text = format!(
                "{credit}The rebels released 40 prisoners on Tuesday in the northern city.\n\
                 The Associated Press contributed to this report.\n"
            );
            assert!(run(&text).credits.uncredited.is_empty(), "{text}");
        }
        let mut outlet = doc(
            "outlet",
            "Outlet",
            "The rebels released 40 prisoners on Tuesday in the northern city.\n",
        );
        outlet
            .meta
            .extra
            .insert("byline".into(), "Jane Doe, The Associated Press".into());
        let c = compare(
            vec![
                doc("ap", "AP", AP),
                doc("arabnews", "Arab News", ARAB),
                outlet,
            ],
            &CompareOptions::default(),
        )
        .unwrap();
        assert!(
            c.credits.uncredited.is_empty(),
            "a byline in the metadata credits"
        );
        let c =
            run("By Jane Doe\nThe rebels released 40 prisoners on Tuesday in the northern city.\n");
        assert_eq!(
            c.credits.uncredited.len(),
            1,
            "a byline naming nobody credits nobody"
        );
    }

    #[test]
    fn a_copy_without_credit_is_uncredited() {
        let c = run("The rebels released 40 prisoners on Tuesday in the northern city.\n");
        assert_eq!(c.credits.uncredited.len(), 1);
        assert_eq!(c.credits.uncredited[0].from, 0);
        // A dateline credit covers the whole story.
        let c =
            run("NEREA (AP) — The rebels released 40 prisoners on Tuesday in the northern city.\n");
        assert!(c.credits.uncredited.is_empty());
    }

    #[test]
    fn regression_two_outlets_copy_nobody() {
        // Neither version is wire copy, an agency or credited: identical sentences are
        // shared text, not uncredited copies.
        let c = compare(
            vec![doc("herald", "Herald", AP), doc("courier", "Courier", AP)],
            &CompareOptions::default(),
        )
        .expect("compares");
        assert!(c.credits.uncredited.is_empty());
    }

    #[test]
    fn said_becoming_claimed_is_a_loaded_cue_change() {
        let c = run("Minister Amal Haddad claimed the talks would resume on Monday.\n");
        let d: Vec<&Difference> = c
            .claims
            .iter()
            .flat_map(|cl| cl.differences.iter())
            .filter(|d| d.kind == DiffKind::CueChanged)
            .collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].detail.as_deref(), Some("said → claimed (loaded verb)"));
    }

    /// The wider chars of `text` found in one pass, as `Chars::new` found them before
    /// [`WideScan`]: `None` past the most kept.
    fn wide_in_one_pass(text: &str) -> Option<(Vec<(usize, usize)>, usize)> {
        let bytes = text.as_bytes();
        let most = bytes.len() / 32;
        let mut wide = Vec::new();
        let (mut b, mut extra) = (0, 0);
        loop {
            b = normalize::next_wide(bytes, b);
            if b == bytes.len() {
                break;
            }
            if wide.len() == most {
                return None;
            }
            let n = bytes[b].leading_ones() as usize;
            wide.push((b - extra, extra + n - 1));
            extra += n - 1;
            b += n;
        }
        Some((wide, extra))
    }

    proptest::proptest! {
        // A search made line by line (as segmenting gives the lines) or in any pieces
        // finds what one pass over the whole text finds.
        #[test]
        fn a_search_in_pieces_finds_the_wider_chars_of_one_pass(
            text in "\\PC{0,300}|([a-z .\n]{0,90}[é“”€\u{10348}\n]?){0,6}",
            cuts in proptest::collection::vec(0usize..320, 0..6),
        ) {
            let mut ends: Vec<usize> = text
                .match_indices('\n')
                .map(|(i, _)| i + 1)
                .chain(cuts.iter().map(|&c| c.min(text.len())).filter(|&c| text.is_char_boundary(c)))
                .chain([text.len()])
                .collect();
            ends.sort_unstable();
            let mut scan = WideScan::new(&text);
            for (k, end) in ends.into_iter().enumerate() {
                if k % 2 == 0 {
                    scan.scan_to(&text, end);
                } else {
                    scan.read_to(&text, end);
                }
            }
            let got = match scan.finish(&text).index {
                CharIndex::Wide { wide, .. } => {
                    Some(wide.into_iter().map(|(a, b)| (a as usize, b as usize)).collect::<Vec<_>>())
                }
                CharIndex::Marks(_) => None,
            };
            proptest::prop_assert_eq!(got, wide_in_one_pass(&text).map(|(wide, _)| wide));
        }
    }

    proptest::proptest! {
        #[test]
        fn span_look_ups_equal_slicing_a_vec_of_chars(
            // Any text, and mostly ASCII text with a few wider chars, so that look-ups
            // fall in blocks of every kind.
            text in "\\PC{0,300}|([a-z .]{0,90}[é“”€\u{10348}]?){0,6}",
            a in 0usize..320,
            b in 0usize..320,
        ) {
            let all: Vec<char> = text.chars().collect();
            let span = attribute::Span { start: a.min(b), end: a.max(b) };
            let end = span.end.min(all.len());
            let want: String = all[span.start.min(end)..end].iter().collect();
            let marks: Vec<usize> =
                text.char_indices().step_by(Chars::EVERY).map(|(b, _)| b).collect();
            // Both kinds of index, whichever the text gets.
            for chars in [Chars::new(&text), Chars::marked(&text)] {
                if let CharIndex::Marks(got) = &chars.index {
                    proptest::prop_assert_eq!(got, &marks);
                }
                proptest::prop_assert_eq!(chars.len, all.len());
                proptest::prop_assert_eq!(chars.span(span), &want);
            }
        }

        #[test]
        fn a_named_source_is_one_to_five_words_and_no_lone_pronoun(
            source in "((He|he|SHE|they|It|who|Kerry|the|State|Department|officials|Spokeswoman-for-the-Ministry|\\PC{1,6})[ \t\n]{1,2}){0,8}",
        ) {
            // As the rule was first written: split into a vector of words.
            let words: Vec<&str> = source.split_whitespace().collect();
            let pronoun = words.len() == 1
                && attribute::lexicon::PRONOUNS.contains(words[0].to_lowercase().as_str());
            let want = !words.is_empty() && words.len() <= 5 && !pronoun;
            proptest::prop_assert_eq!(is_named(&source), want, "{:?}", source);
        }
    }

    #[test]
    fn the_first_named_within_sentences_is_the_first_of_all_named_there() {
        let chars: Vec<Chars> = Vec::new();
        let named = |source: &'static str| Named {
            source,
            cue: "said",
            quoted: false,
            key: u32::from(source.as_bytes()[0]),
        };
        // Sentences 0 and 2 name nobody, 1 names two sources, 3 one.
        let index = SentenceAttributions {
            named: vec![vec![named("a"), named("b"), named("c")]],
            first: vec![vec![0, 0, 2, 2, 3]],
            sources: Vec::new(),
            chars: &chars,
            entity_keys: FxHashMap::default(),
        };
        for idx in [&[][..], &[0], &[0, 2], &[1], &[0, 1, 3], &[2, 3], &[3, 1]] {
            let first = index.first_within(0, idx).map(|n| n.source);
            assert_eq!(first, index.within(0, idx).first().map(|n| n.source));
        }
    }

    #[test]
    fn provenance_points_at_the_closest_carrier() {
        let c =
            run("The two delegations agreed to exchange lists of detainees on the first day.\n");
        assert_eq!(c.credits.provenance[2][0].map(|p| p.from), Some(1));
    }
}
