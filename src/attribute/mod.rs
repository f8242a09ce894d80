//! Attribute: who said or reported what. For each attribution in a document the stage
//! finds its **source** (`Kerry`, `officials`, `AP`), its **cue** (`said`, `told`,
//! `according to`, `reported`) and its **content** (the words attributed, quoted or
//! paraphrased), all as char-offset spans into the document text, plus whether the
//! content is a direct quotation.
//!
//! Hand-written rules over a light tokenisation; no model. Forms covered:
//! - `X said (that) ...`, `X told reporters (that) ...`, `X added ...`, `X says ...`, with
//!   auxiliaries and adverbs between source and cue (`has also said`);
//! - `..., X said.` and the inverted `..., said X.`;
//! - `according to X, ...` and `..., according to X.`;
//! - `“...,” Kerry said, “...”`: one attribution, two content spans;
//! - a source with titles or an apposition (`U.S. Secretary of State John Kerry`,
//!   `Lavrov, Russia's foreign minister,`);
//! - passives: `it was reported that ...` (no source), `X was quoted as saying ...`;
//! - follow-on quotes: a sentence or paragraph that is only a quotation, right after an
//!   attributed quotation, is appended to that attribution's content;
//! - `X said:` closing a sentence takes the quotation right after it (often a paragraph);
//! - `..., saying that ...` takes the subject of the clause before; `X said A and added B`
//!   gives the second verb the same source; `X said he believed that ...` keeps the inner
//!   attribution inside the outer content (and reports both);
//! - speech, reporting and mental-state verbs from [`lexicon`]; organisations as sources
//!   (`AP reported`, `The Washington Post published`) get [`Kind::OrganisationCredit`].
//!   Auxiliaries and adverbs between source and verb are part of the cue (`has also said`),
//!   as in PARC and PolNeAR; so are a governed preposition (`called for`, `said of`), a
//!   medium (`said in a statement`, `wrote on Twitter`) and a colon (`said:`); a time
//!   adjunct between source and verb (`Kerry on Monday said`) is in neither;
//! - `In a Gallup poll released Monday, ...` (cue `In`), a headline `Name: ...` (cue
//!   `:`), and a sourceless `Asked whether ..., ...`;
//! - a relative pronoun source (`who said`) is kept as PolNeAR annotates it, with its
//!   antecedent noun phrase in [`Attribution::antecedent`] where it directly precedes;
//! - false friends refused: naming (`a group called X`, `what she called X`) and noun
//!   cues before a finite verb (`the Geneva talks will resume`).
//!
//! The rules run per sentence, except that a sentence the splitter ended after a title or
//! an initial (`Mr.`, `Sen.`, `John F.`) is rejoined with the next one. Precision is
//! favoured over recall: a verb that is also a common noun needs a clear subject, and a
//! cue with no source or no content found is dropped rather than guessed.
//!
//! Best effort, never a panic, on malformed input (see [`quotes`] for quotation marks):
//! unbalanced marks end at the paragraph end; nested double quotes split the outer one;
//! straight and curly marks mix freely; a quote over several paragraphs is one region
//! per paragraph, chained to its speaker by the follow-on rule; in a sentence with several
//! attributions each one's content stops where the next one's source begins. Cue words
//! inside quotation marks are never cues. Spans are always inside the text and each
//! attribution's content spans are sorted and disjoint.

pub mod lexicon;
pub mod quotes;
pub mod source;

use std::hash::{BuildHasherDefault, Hasher};

use crate::normalize;
use crate::segment::Sentence;

pub use lexicon::is_loaded;
pub use source::{entity_key, is_organisation};

use lexicon::{AUX, BE, DETERMINERS, Form, NP_STOP, PREPOSITIONS, PRONOUNS, TIME};
use quotes::Region;

/// A range of the document text in char offsets, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
}

impl Span {
    /// The span's text in `text` (the document the span was found in); empty when the
    /// span falls outside it.
    pub fn text(&self, text: &str) -> String {
        text.chars()
            .skip(self.start)
            .take(self.end.saturating_sub(self.start))
            .collect()
    }

    /// Length in chars.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What shape an attribution has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The content is entirely quotation: `“We will,” Kerry said.`
    DirectQuote,
    /// Paraphrase, no quotation marks: `Kerry said the talks would resume.`
    Indirect,
    /// Paraphrase with quoted words in it: `Kerry said the talks were “useful.”`
    Mixed,
    /// `according to X`.
    AccordingTo,
    /// An organisation is the source: `AP reported`, `The Washington Post published`.
    OrganisationCredit,
}

/// One attribution relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// The shape of the relation.
    pub kind: Kind,
    /// Who said it; `None` for sourceless forms (`it was reported that`). A relative
    /// pronoun (`who said`) is kept as the source, as PolNeAR and PARC annotate it; see
    /// [`Attribution::antecedent`].
    pub source: Option<Span>,
    /// When the source is a relative pronoun (`who`, `which`, `that`), the noun phrase it
    /// refers to where that is simply the phrase right before it (`the mayor, who said`);
    /// otherwise `None`.
    pub antecedent: Option<Span>,
    /// The cue (`said`, `told`, `according to`, `quoted as saying`).
    pub cue: Span,
    /// What was attributed: one or more spans, sorted (a split quote or follow-on quotes
    /// give several).
    pub content: Vec<Span>,
    /// Index of the sentence holding the cue.
    pub sentence: usize,
    /// Whether any content is inside quotation marks.
    pub quoted: bool,
}

/// Segments `text` with [`crate::segment::segment`] and extracts its attributions.
pub fn extract_text(text: &str) -> Vec<Attribution> {
    extract(text, &crate::segment::segment(text))
}

/// Extracts the attributions of a document from its sentences, in document order.
/// Nothing is cached: one document seldom repeats a sentence, and a cache of a long
/// one's sentences would be as large as the text several times over.
pub fn extract(text: &str, sentences: &[Sentence]) -> Vec<Attribution> {
    extract_with(text, sentences, None)
}

/// What the rules found in units (sentences, see [`units`]) already seen, so that
/// documents repeating sentences word for word (versions of one story) run the rules once
/// per distinct unit. A unit is keyed by what the rules read of it and around it
/// ([`unit_key`]), which is more than its text where a quotation crosses its ends; its
/// attributions are kept with offsets relative to it ([`Around::encode`]).
///
/// A key's first eight bytes are its hash ([`unit_key`]), which the map takes as it is
/// ([`KeyHasher`]): a key is hashed once, not again when it is inserted after a miss.
#[derive(Debug, Default)]
pub struct UnitCache(
    std::collections::HashMap<Vec<u8>, Vec<Attribution>, BuildHasherDefault<KeyHasher>>,
);

/// The hasher of [`UnitCache`]: a key's hash is its first eight bytes, written there by
/// [`unit_key`].
#[derive(Debug, Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        // A key is hashed as its length (ignored) and then its bytes; any other bytes
        // (none are written) still hash to something.
        self.0 = match bytes.first_chunk::<8>() {
            Some(h) => u64::from_le_bytes(*h),
            None => bytes.iter().fold(self.0, |h, &b| h << 8 | u64::from(b)),
        };
    }

    fn write_usize(&mut self, _: usize) {}

    fn finish(&self) -> u64 {
        self.0
    }
}

/// [`extract`], sharing `cache` with other documents.
pub fn extract_cached(
    text: &str,
    sentences: &[Sentence],
    cache: &mut UnitCache,
) -> Vec<Attribution> {
    extract_with(text, sentences, Some(cache))
}

/// Bytes of text [`extract_with`] decodes at a time, about: a long text's chars (four
/// bytes each) decoded all at once fill hundreds of megabytes that are written once and
/// read back long after, each line a cache miss; windows stay in cache while their units
/// are read. (News copy runs a few hundred bytes a paragraph: a window ends a few lines
/// short of it at most, and those are decoded again in the next.)
const WINDOW_BYTES: usize = 1 << 18;

fn extract_with(
    text: &str,
    sentences: &[Sentence],
    mut cache: Option<&mut UnitCache>,
) -> Vec<Attribution> {
    extract_windows(text, sentences, cache.as_deref_mut(), Some(WINDOW_BYTES))
        .unwrap_or_else(|| extract_windows(text, sentences, cache, None).unwrap_or_default())
}

/// The attributions of `text`, decoded and read a window of about `window` bytes at a
/// time (all of `text` at once when `window` is `None`), each window ending at a line
/// start where no rule reads across (see [`window_cut`]), so that what is found is what
/// one window over all of `text` finds. `None` when windows are asked for and
/// `sentences` are not in order (each starting at or after the end of the one before),
/// which windows need; one window over all of `text` never gives `None`.
fn extract_windows(
    text: &str,
    sentences: &[Sentence],
    mut cache: Option<&mut UnitCache>,
    window: Option<usize>,
) -> Option<Vec<Attribution>> {
    let mut out: Vec<Attribution> = Vec::new();
    // The last attribution found, when quoted: a follow-on quote, even at the start of the
    // next window, joins it.
    let mut last_quoted: Option<usize> = None;
    let mut next_sentence = 0;
    // Where the window starts: in bytes, in chars, and its first sentence.
    let (mut b0, mut w0, mut k0) = (0, 0, 0);
    loop {
        let rest = &text[b0..];
        // Past `window` bytes, to the end of that line.
        let wtext = match window.and_then(|window| {
            let after = rest.as_bytes().get(window..)?;
            after
                .iter()
                .position(|&b| b == b'\n')
                .map(|k| window + k + 1)
        }) {
            Some(len) => &rest[..len],
            None => rest,
        };
        let whole = wtext.len() == rest.len();
        let mut decoded = char_vec(wtext);
        let cut = if whole {
            None
        } else {
            window_cut(&decoded.0, sentences, w0, k0)
        };
        let wtext = if cut.is_none() && !whole {
            // No cut in this window: the rest in one.
            decoded = char_vec(rest);
            rest
        } else {
            wtext
        };
        let (chars, matter, bytes, low) = decoded;
        let (p, k1) = cut.unwrap_or((chars.len(), sentences.len()));
        let mine = &sentences[k0..k1];
        if window.is_some()
            && (mine.first().is_some_and(|s| s.start < w0)
                || mine.iter().any(|s| s.start > s.end)
                || mine.windows(2).any(|w| w[0].end > w[1].start))
        {
            return None;
        }
        let upto = matter.partition_point(|&m| m < p);
        let regions = quotes::regions_at(&chars[..p], matter[..upto].iter().copied());
        let units = units_of(&chars, mine, w0);
        // A story's first version fills the cache with about one entry per unit, and its
        // later versions add their reworded units: room for twice the first version's at
        // once saves rehashing every key as the table grows. (Of a text in windows the
        // units of the first only are known: its sentences stand for its units.)
        if let Some(cache) = cache.as_deref_mut()
            && cache.0.is_empty()
            && w0 == 0
        {
            cache.0.reserve(
                2 * if cut.is_some() {
                    sentences.len()
                } else {
                    units.len()
                },
            );
        }
        let mut per_unit: Vec<Vec<Attribution>> = Vec::with_capacity(units.len());
        let mut key: Vec<u8> = Vec::new();
        let mut lower: Vec<u8> = Vec::new();
        // One vector for the tokens of every unit tokenized.
        let mut spare: Vec<Tok<'static>> = Vec::new();
        let mut cursor = Cursor::default();
        let mut frames_buf: Vec<Frame> = Vec::new();
        let mut wide_before = 0;
        for &(start, end) in &units {
            let around = Around::at(&chars, &regions, start, end, &mut cursor);
            let keyed = cache.is_some() && {
                let from = bytes.byte_of_from(start, &mut wide_before);
                let utf8 = &wtext.as_bytes()[from..bytes.byte_of_from(end, &mut wide_before)];
                unit_key(utf8, &chars, &regions, &around, &mut key)
            };
            let seen = keyed
                .then(|| cache.as_deref()?.0.get(&key[..]))
                .flatten()
                .and_then(|list| all_or_none(list, |a| around.decode(a)));
            if let Some(found) = seen {
                per_unit.push(found);
                continue;
            }
            let toks = tokenize_into(spare, &chars, &low, start, end, &regions, &mut lower);
            let found = sentence_rules(&chars, &matter, &toks, &regions, start, &mut frames_buf);
            spare = recycle(toks);
            if keyed
                && let Some(cache) = cache.as_deref_mut()
                && let Some(rel) = all_or_none(&found, |a| around.encode(a))
            {
                cache.0.insert(key.clone(), rel);
            }
            per_unit.push(found);
        }
        // Made at their sizes at once: grown one unit's attributions at a time, they were
        // copied again and again.
        out.reserve(per_unit.iter().map(Vec::len).sum());
        let mut contents: Vec<Span> =
            Vec::with_capacity(per_unit.iter().flatten().map(|a| a.content.len()).sum());
        // The attributions come in document order, a sentence or a few apart: each search
        // for a cue's sentence resumes where the last one ended.
        for a in per_unit.iter_mut().flatten() {
            contents.extend(a.content.iter().copied());
            a.sentence = partition_from(sentences, &mut next_sentence, |s| {
                s.start <= a.cue.start + w0
            })
            .saturating_sub(1);
        }
        // No content span of a window reaches out of it (see [`window_cut`]): the
        // window's own are all that cover its units.
        let mut claimed = Claimed::new(contents);
        for (ui, found) in per_unit.into_iter().enumerate() {
            if !found.is_empty() {
                out.extend(found.into_iter().map(|a| shifted(a, w0)));
                last_quoted = out.last().filter(|a| a.quoted).map(|_| out.len() - 1);
                continue;
            }
            let (start, end) = units[ui];
            if claimed.covers(start, end) {
                continue;
            }
            let follow = last_quoted.and_then(|k| {
                let first = (start..end).find(|&i| !chars[i].is_whitespace())?;
                let i = regions.partition_point(|r| r.start < first);
                let r = regions.get(i).filter(|r| r.start == first)?;
                let span = Span {
                    start: r.start,
                    end: r.end,
                };
                (!claimed.overlaps(span)).then_some((k, span))
            });
            match follow {
                Some((k, span)) => {
                    claimed.insert(span);
                    out[k].content.push(Span {
                        start: span.start + w0,
                        end: span.end + w0,
                    });
                    out[k].content.sort();
                    // The follow-on quote may run past this sentence; what is left of the
                    // sentence after it is paraphrase and ends the chain.
                    if span.end < end
                        && (span.end..end).any(|i| chars[i].is_alphanumeric())
                        && !claimed.covers(start, end)
                    {
                        last_quoted = None;
                    }
                }
                None => last_quoted = None,
            }
        }
        if cut.is_none() {
            return Some(out);
        }
        b0 += bytes.byte_of_from(p, &mut wide_before);
        w0 += p;
        k0 = k1;
    }
}

/// `a` with its offsets `by` chars on: from a window's to the document's.
fn shifted(mut a: Attribution, by: usize) -> Attribution {
    if by > 0 {
        let spans = a.source.iter_mut().chain(a.antecedent.iter_mut());
        for s in spans.chain([&mut a.cue]).chain(a.content.iter_mut()) {
            s.start += by;
            s.end += by;
        }
    }
    a
}

/// Where a window of `chars` (the document's from char `w0`, whose first sentence is
/// `k0`) may end: a line start `p` (in the window) before sentence `k1`, the last such.
/// The rules read no char or region across it: it is between two sentences of different
/// paragraphs (no unit joins them), after a line break (no region crosses it), and the
/// last char before it that is not a space is a period, so that the unit before reads
/// no region after it (only one after a closing colon) and the unit after none before it
/// (only a closed one ending right there, past spaces). The char at `p` is in `chars`:
/// a unit's key reads the char after it. `None` when there is no such place.
fn window_cut(
    chars: &[char],
    sentences: &[Sentence],
    w0: usize,
    k0: usize,
) -> Option<(usize, usize)> {
    let last = sentences.partition_point(|s| s.start < w0 + chars.len());
    (k0 + 1..last).rev().find_map(|k| {
        let (before, at) = (&sentences[k - 1], &sentences[k]);
        if before.paragraph == at.paragraph || !(w0..w0 + chars.len()).contains(&at.start) {
            return None;
        }
        let s = at.start - w0;
        let mut q = s;
        let mut p = None;
        while q > 0 && chars[q - 1].is_whitespace() {
            q -= 1;
            if chars[q] == '\n' && p.is_none() {
                p = Some(q + 1);
            }
        }
        let p = p?;
        (q > 0 && chars[q - 1] == '.' && before.end <= w0 + p).then_some((p, k))
    })
}

/// The chars of `text`, the offsets of those that [`quotes::may_matter`] (newlines and
/// quote marks), the byte offsets of the chars, found on the way, and the chars'
/// [`low_byte`]s, one per char. Runs of ASCII (most of a news text) are found sixteen
/// bytes at a time and copied byte for byte, which is much cheaper than decoding.
fn char_vec(text: &str) -> (Vec<char>, Vec<usize>, ByteOffsets, String) {
    let matters = |b: u8| b == b'\n' || b == b'"' || b == b'\'';
    // At most one char per byte: one allocation.
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    // News copy has a newline or a quote mark, and a non-ASCII char, every 150 chars or
    // so: room for twice that saves growing the vectors a few times over.
    let mut matter: Vec<usize> = Vec::with_capacity(text.len() / 64);
    let mut offsets = ByteOffsets {
        wide: Vec::with_capacity(text.len() / 64),
    };
    // Lower-cased at the end, in one pass over all of it.
    let mut low = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    // Always at a char boundary: the loop passes whole runs of ASCII or whole chars.
    let mut i = 0;
    while i < bytes.len() {
        // In a run of ASCII, byte offsets from `i` are char offsets from `chars.len()`.
        let mut j = i;
        while let Some(chunk) = bytes.get(j..).and_then(|rest| rest.first_chunk::<16>())
            && !normalize::any_byte(chunk, |b| !b.is_ascii())
        {
            // `(b | 5) == b'\''` for `"` and `'` (and `#`, `&`, rare and then filtered
            // out) compiles to plain compares, where testing both marks does not.
            if normalize::any_byte(chunk, |b| (b == b'\n') | (b | 5 == b'\'')) {
                let at = chars.len() + j - i;
                matter.extend((0..16).filter(|&k| matters(chunk[k])).map(|k| at + k));
            }
            j += 16;
        }
        while j < bytes.len() && bytes[j].is_ascii() {
            if matters(bytes[j]) {
                matter.push(chars.len() + j - i);
            }
            j += 1;
        }
        // One copy per run: long enough for the copy loop's fast path.
        chars.extend(bytes[i..j].iter().map(|&b| char::from(b)));
        low.push_str(&text[i..j]);
        i = j;
        if let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) {
            if quotes::may_matter(c) {
                matter.push(chars.len());
            }
            let extra = offsets.wide.last().map_or(0, |w| w.1) + c.len_utf8() - 1;
            offsets.wide.push((chars.len(), extra));
            chars.push(c);
            low.push(char::from(low_byte(c)));
            i += c.len_utf8();
        }
    }
    low.make_ascii_lowercase();
    (chars, matter, offsets, low)
}

/// Offsets outside a unit that its attributions may hold: the ends of quotation regions
/// the rules reach through or next to it. In the cache each is a symbol, so that a unit
/// repeated next to quotations of other lengths (an earlier sentence of the quote was
/// reworded) is still the same unit; see [`Around::encode`].
#[derive(Debug)]
struct Around {
    start: usize,
    end: usize,
    /// The first region not ending at or before `start`: where the regions meeting the
    /// unit begin.
    first: usize,
    /// Start of the region crossing `start`.
    crossing_start: Option<usize>,
    /// Start of the closed region ending right before `start`, past spaces (a quote the
    /// segmenter split from its `Kerry asked.`), and where it ends.
    prev: Option<(usize, usize)>,
    /// End of the region crossing `end`.
    crossing_end: Option<usize>,
    /// Start and end of the region a closing `Kerry said:` introduces, when it starts at
    /// or past `end`, past spaces.
    next: Option<(usize, usize)>,
}

/// Cached offsets past a unit's length: each stands for one of [`Around`]'s offsets.
const CROSSING_START: usize = usize::MAX;
const PREV_START: usize = usize::MAX - 1;
const PREV_END: usize = usize::MAX - 2;
const CROSSING_END: usize = usize::MAX - 3;
const NEXT_START: usize = usize::MAX - 4;
const NEXT_END: usize = usize::MAX - 5;

/// Where [`Around::at`]'s searches over the regions ended for the unit asked last: for
/// units in ascending order (a document's) each resumes there, a few regions on at most,
/// instead of searching all of them anew.
#[derive(Debug, Default)]
struct Cursor {
    first: usize,
    last: usize,
    prev: usize,
}

/// `items.partition_point(pred)`, for a `pred` that holds of the items up to some point
/// and of none after, walked forward from `*at` or searched for anew when `*at` is past
/// the answer; `*at` is set to the answer.
fn partition_from<T>(items: &[T], at: &mut usize, pred: impl Fn(&T) -> bool) -> usize {
    if *at > items.len() || at.checked_sub(1).is_some_and(|k| !pred(&items[k])) {
        *at = items.partition_point(&pred);
    } else {
        while items.get(*at).is_some_and(&pred) {
            *at += 1;
        }
    }
    *at
}

impl Around {
    /// [`Around::at`] searching all the regions (the reading the cursor is tested against).
    #[cfg(test)]
    fn new(chars: &[char], regions: &[Region], start: usize, end: usize) -> Self {
        Around::at(chars, regions, start, end, &mut Cursor::default())
    }

    fn at(chars: &[char], regions: &[Region], start: usize, end: usize, cur: &mut Cursor) -> Self {
        let first = partition_from(regions, &mut cur.first, |r| r.end <= start);
        let crossing_start = regions
            .get(first)
            .filter(|r| r.start < start)
            .map(|r| r.start);
        // Every region before `first` starts before `end`, so this is where those from
        // `first` on stop starting before it.
        let last = partition_from(regions, &mut cur.last, |r| r.start < end).max(first);
        let crossing_end = last
            .checked_sub(1)
            .map(|i| regions[i])
            .filter(|r| r.end > end)
            .map(|r| r.end);
        let mut q = start;
        while q > 0 && chars[q - 1].is_whitespace() {
            q -= 1;
        }
        let prev = regions
            .get(partition_from(regions, &mut cur.prev, |r| r.end < q))
            .filter(|r| r.end == q && r.closed)
            .map(|r| (r.start, r.end));
        // The rules look past the unit only after a closing colon, whose token is the
        // colon alone.
        let next = chars[start..end]
            .iter()
            .rposition(|c| !c.is_whitespace())
            .filter(|&k| chars[start + k] == ':')
            .and_then(|k| {
                let after = start + k + 1;
                regions
                    .get(regions.partition_point(|r| r.start < after))
                    .filter(|r| {
                        r.start >= end && chars[after..r.start].iter().all(|c| c.is_whitespace())
                    })
            })
            .map(|r| (r.start, r.end));
        Around {
            start,
            end,
            first,
            crossing_start,
            prev,
            crossing_end,
            next,
        }
    }

    /// `pos` relative to the unit start when it lies in the unit or at its end, else the
    /// symbol of the outside offset it is; `None` for any other offset.
    fn encode_pos(&self, pos: usize) -> Option<usize> {
        if (self.start..=self.end).contains(&pos) {
            return Some(pos - self.start);
        }
        self.outside()
            .into_iter()
            .find(|&(at, _)| at == Some(pos))
            .map(|(_, symbol)| symbol)
    }

    /// The offset `rel` stands for here; `None` for a symbol with nothing here to stand
    /// for.
    fn decode_pos(&self, rel: usize) -> Option<usize> {
        if rel <= self.end - self.start {
            return Some(self.start + rel);
        }
        self.outside()
            .into_iter()
            .find(|&(_, symbol)| symbol == rel)
            .and_then(|(at, _)| at)
    }

    fn outside(&self) -> [(Option<usize>, usize); 6] {
        [
            (self.crossing_start, CROSSING_START),
            (self.prev.map(|p| p.0), PREV_START),
            (self.prev.map(|p| p.1), PREV_END),
            (self.crossing_end, CROSSING_END),
            (self.next.map(|n| n.0), NEXT_START),
            (self.next.map(|n| n.1), NEXT_END),
        ]
    }

    /// `a` with its offsets as [`Around::encode_pos`] gives them; `None` when one is
    /// neither in the unit nor one of the outside offsets.
    fn encode(&self, a: &Attribution) -> Option<Attribution> {
        self.map(a, |p| self.encode_pos(p))
    }

    /// The attribution `a`, cached for a unit with the same key, stands for here.
    fn decode(&self, a: &Attribution) -> Option<Attribution> {
        self.map(a, |p| self.decode_pos(p))
    }

    fn map(&self, a: &Attribution, f: impl Fn(usize) -> Option<usize>) -> Option<Attribution> {
        let span = |s: Span| {
            Some(Span {
                start: f(s.start)?,
                end: f(s.end)?,
            })
        };
        let opt = |s: Option<Span>| s.map_or(Some(None), |s| span(s).map(Some));
        Some(Attribution {
            kind: a.kind,
            source: opt(a.source)?,
            antecedent: opt(a.antecedent)?,
            cue: span(a.cue)?,
            content: all_or_none(&a.content, |&s| span(s))?,
            sentence: a.sentence,
            quoted: a.quoted,
        })
    }
}

/// `f` of each item of `list`, or `None` where `f` gives `None` for any: what collecting
/// into `Option<Vec<_>>` gives, with the vector made at its size at once (and none made
/// for an empty list, as most units' lists of attributions are).
fn all_or_none<T, U>(list: &[T], f: impl Fn(&T) -> Option<U>) -> Option<Vec<U>> {
    let mut out = Vec::with_capacity(list.len());
    for x in list {
        out.push(f(x)?);
    }
    Some(out)
}

/// Byte offsets of char offsets in the text [`char_vec`] decoded: each char is one byte
/// plus the extra bytes of the non-ASCII chars before it, recorded as they were decoded.
/// News copy has few of those (`’ “ ” —`), so counting those before an offset is much
/// cheaper than summing the UTF-8 lengths of the chars in between.
#[derive(Debug, Default)]
struct ByteOffsets {
    /// For each non-ASCII char in order: its char offset and the extra bytes (beyond one
    /// per char) of it and all those before it.
    wide: Vec<(usize, usize)>,
}

impl ByteOffsets {
    /// The byte offset of the char offset `c` (at most the number of chars): the reading
    /// [`ByteOffsets::byte_of_from`] is tested against.
    #[cfg(test)]
    fn byte_of(&self, c: usize) -> usize {
        let n = self.wide.partition_point(|&(at, _)| at < c);
        c + n.checked_sub(1).map_or(0, |k| self.wide[k].1)
    }

    /// The byte offset of the char offset `c` (at most the number of chars), for offsets
    /// asked mostly in ascending order, as the units' ends are: `n` (0 at first, then
    /// kept between calls) is how many wide chars lie before the offset asked last,
    /// walked forward from there (a unit's ends are few wide chars apart in news copy:
    /// fewer steps than a binary search over all of them) or searched for anew when `c`
    /// is behind it.
    fn byte_of_from(&self, c: usize, n: &mut usize) -> usize {
        if n.checked_sub(1).is_some_and(|k| self.wide[k].0 >= c) {
            *n = self.wide.partition_point(|&(at, _)| at < c);
        } else {
            while self.wide.get(*n).is_some_and(|&(at, _)| at < c) {
                *n += 1;
            }
        }
        c + n.checked_sub(1).map_or(0, |k| self.wide[k].1)
    }
}

/// Writes into `key` what the rules' results for the unit `around` describes depend on:
/// its chars (`utf8`, the unit's text as UTF-8); whether the char after it is `'` (which
/// makes a last `'` a quote mark); the quotation regions meeting it, relative to its
/// start, with an end outside it only marked as such; and which of the regions next to
/// it that the rules look at exist, and whether they touch it; all after eight bytes of
/// [`key_hash`] of the rest. Returns false, and leaves `key` alone, for a unit too long
/// to key.
///
/// Outside the unit the rules read no chars, and of those regions only their ends, which
/// go into the attributions as they are: [`Around::encode`] keeps them as symbols. (A
/// content span reaching outside the unit holds a region's opening mark, so whether it is
/// quoted does not depend on the chars outside.)
fn unit_key(
    utf8: &[u8],
    chars: &[char],
    regions: &[Region],
    around: &Around,
    key: &mut Vec<u8>,
) -> bool {
    // Not an offset in the unit: separates the parts of the key and marks the region
    // ends outside the unit.
    const SEP: u32 = u32::MAX;
    const BEFORE: u32 = u32::MAX - 1;
    const AFTER: u32 = u32::MAX - 2;
    let (start, end) = (around.start, around.end);
    if u32::try_from(end - start).map_or(true, |len| len >= AFTER) {
        return false;
    }
    key.clear();
    key.extend_from_slice(&[0; 8]);
    // The chars as UTF-8 (a quarter of their size as u32s: a long input keeps a key per
    // sentence), ended by a byte UTF-8 never holds; fixed-width numbers after it.
    key.extend_from_slice(utf8);
    key.push(0xFF);
    key.extend_from_slice(&u32::from(chars.get(end) == Some(&'\'')).to_le_bytes());
    // Three numbers at a time: one capacity check for the three.
    let mut push = |xs: [u32; 3]| {
        let mut bytes = [0; 12];
        for (to, x) in bytes.chunks_exact_mut(4).zip(xs) {
            to.copy_from_slice(&x.to_le_bytes());
        }
        key.extend_from_slice(&bytes);
    };
    for r in regions[around.first..].iter().take_while(|r| r.start < end) {
        push([
            // An offset in the unit is at most its length, which is below `AFTER`.
            r.start.checked_sub(start).map_or(BEFORE, |s| s as u32),
            if r.end > end {
                AFTER
            } else {
                (r.end - start) as u32
            },
            // Whether a region is closed is read only where its closing mark is in the
            // unit.
            u32::from(r.closed && r.end <= end),
        ]);
    }
    push([
        SEP,
        around.prev.map_or(0, |p| 1 + u32::from(p.1 == start)),
        around.next.map_or(0, |n| 1 + u32::from(n.0 == end)),
    ]);
    let hash = key_hash(&key[8..]);
    key[..8].copy_from_slice(&hash.to_le_bytes());
    true
}

/// The hash of a key's bytes after its hash (`rest`): all of them, sixteen at a time.
/// (A hash of some of them only would give every unit alike in those a hash of their
/// own, and a story of many such units, a table's rows, quadratic look-ups.)
fn key_hash(rest: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(rest);
    h.finish()
}

/// The char ranges the rules run over: the sentences, except that a sentence ending in
/// a title or an initial (`Mr.`, `Sen.`, `John F.`) is rejoined with the next one in the
/// same paragraph, since no attribution sentence ends there.
#[cfg(test)]
fn units(chars: &[char], sentences: &[Sentence]) -> Vec<(usize, usize)> {
    units_of(chars, sentences, 0)
}

/// [`units`] of a window of the document's chars starting at char `w0`, which `sentences`
/// (the window's) are offsets into the document from: the units are in the window's.
fn units_of(chars: &[char], sentences: &[Sentence], w0: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(sentences.len());
    // The sentence before, in chars, and its paragraph.
    let mut before = (0, 0);
    let mut paragraph = usize::MAX;
    for s in sentences {
        let end = s.end.saturating_sub(w0).min(chars.len());
        let start = s.start.saturating_sub(w0).min(end);
        // The title test last: a paragraph's last sentence (often its only one) is not
        // read for one.
        match out.last_mut() {
            Some(last)
                if s.paragraph == paragraph
                    && start >= last.1
                    && ends_with_title(&chars[before.0..before.1]) =>
            {
                last.1 = end
            }
            _ => out.push((start, end)),
        }
        paragraph = s.paragraph;
        before = (start, end);
    }
    out
}

fn ends_with_title(chars: &[char]) -> bool {
    let Some((&'.', rest)) = chars.split_last() else {
        return false;
    };
    // Most sentences end in a longer word, told after five letters: lower-casing never
    // makes a word fewer chars, so one of five letters or more is neither a title nor an
    // initial.
    let n = rest
        .iter()
        .rev()
        .take(LONGEST_TITLE + 1)
        .take_while(|c| c.is_alphabetic())
        .count();
    n <= LONGEST_TITLE && ends_in_title(rest, n)
}

/// Whether the last `n` chars of `rest` (letters) are an initial or a listed title.
fn ends_in_title(rest: &[char], n: usize) -> bool {
    let run = &rest[rest.len() - n..];
    if run.iter().all(char::is_ascii) {
        return (n == 1 && run[0].is_ascii_uppercase()) || in_packed(&TITLE_KEYS, run);
    }
    let word = run.iter().collect::<String>().to_lowercase();
    (word.chars().count() == 1 && rest.last().is_some_and(|c| c.is_uppercase()))
        || TITLE_ABBREVIATIONS.contains(&word.as_str())
}

/// Chars in the longest of [`TITLE_ABBREVIATIONS`].
const LONGEST_TITLE: usize = longest(TITLE_ABBREVIATIONS);

/// Bytes in the longest word of `list`.
const fn longest(list: &[&str]) -> usize {
    let mut out = 0;
    let mut i = 0;
    while i < list.len() {
        if list[i].len() > out {
            out = list[i].len();
        }
        i += 1;
    }
    out
}

#[rustfmt::skip]
const TITLE_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sen", "rep", "reps", "sens", "gov", "gen", "lt", "col", "sgt",
    "st", "prof", "rev", "capt", "maj", "adm", "cmdr", "amb", "atty", "supt", "hon", "pres",
    "no", "vs", "ft", "mt", "jan", "feb", "aug", "sept", "oct", "nov", "dec",
];

/// Content spans already attributed, kept as sorted, disjoint, merged intervals so that
/// coverage and overlap are binary searches (a document has thousands of spans).
struct Claimed(Vec<Span>);

impl Claimed {
    fn new(mut spans: Vec<Span>) -> Self {
        spans.retain(|s| s.start < s.end);
        spans.sort();
        let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
        for s in spans {
            match merged.last_mut() {
                // Touching spans join: coverage runs on across them.
                Some(m) if s.start <= m.end => m.end = m.end.max(s.end),
                _ => merged.push(s),
            }
        }
        Claimed(merged)
    }

    /// The merged interval starting at or before `pos`, if any.
    fn at_or_before(&self, pos: usize) -> Option<usize> {
        self.0.partition_point(|s| s.start <= pos).checked_sub(1)
    }

    /// Whether every char of `start..end` lies in claimed spans.
    fn covers(&self, start: usize, end: usize) -> bool {
        self.at_or_before(start)
            .is_some_and(|i| self.0[i].end >= end && start < end)
    }

    /// Whether any claimed span shares a char with `span`.
    fn overlaps(&self, span: Span) -> bool {
        let i = self.0.partition_point(|s| s.start < span.end);
        i > 0 && self.0[i - 1].end > span.start
    }

    fn insert(&mut self, span: Span) {
        if span.start >= span.end {
            return;
        }
        let mut spans = std::mem::take(&mut self.0);
        let i = spans.partition_point(|s| s.start <= span.start);
        spans.insert(i, span);
        *self = Claimed::new(spans);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Word,
    Punct,
    QOpen,
    QClose,
}

#[derive(Debug, Clone)]
struct Tok<'a> {
    s: usize,
    e: usize,
    kind: TokKind,
    /// The token lower-cased, with `’` as `'`.
    lower: &'a str,
    cap: bool,
    /// Two or more letters, all capitals (`US`, `CNN`).
    acronym: bool,
    in_quote: bool,
}

impl Tok<'_> {
    fn is(&self, w: &str) -> bool {
        self.lower == w
    }
    fn word(&self) -> bool {
        self.kind == TokKind::Word
    }
}

#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "st", "jr",
    "sr", "prof", "rev", "capt", "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec",
    "no", "vs", "inc", "corp", "co", "ltd", "ft", "mt", "calif", "fla", "va", "wash",
    "mass", "pa", "tex", "ariz", "ky", "md", "mich", "minn", "ga", "ill", "ind", "conn",
];

/// The region opening at `start` (and ending at `end`, when given). Regions are disjoint
/// and sorted, so this and [`region_ending_at`] are binary searches.
fn region_at(regions: &[Region], start: usize, end: Option<usize>) -> Option<&Region> {
    let r = regions.get(regions.partition_point(|r| r.start < start))?;
    (r.start == start && end.is_none_or(|e| r.end == e)).then_some(r)
}

/// The region ending at `end`.
fn region_ending_at(regions: &[Region], end: usize) -> Option<&Region> {
    let r = regions.get(regions.partition_point(|r| r.end < end))?;
    (r.end == end).then_some(r)
}

fn region_of(regions: &[Region], pos: usize) -> Option<&Region> {
    let i = regions.partition_point(|r| r.start <= pos);
    let r = regions.get(i.checked_sub(1)?)?;
    (pos < r.end).then_some(r)
}

/// [`tokenize_into`] a new vector.
#[cfg(test)]
fn tokenize<'a>(
    chars: &[char],
    low: &'a str,
    start: usize,
    end: usize,
    regions: &[Region],
    buf: &'a mut Vec<u8>,
) -> Vec<Tok<'a>> {
    tokenize_into(Vec::new(), chars, low, start, end, regions, buf)
}

/// An empty vector of tokens for [`tokenize_into`], in the memory of `toks`: what
/// collecting into a vector of a type of the same size gives.
fn recycle(mut toks: Vec<Tok<'_>>) -> Vec<Tok<'static>> {
    toks.clear();
    toks.into_iter()
        .map(|_| unreachable!("the vector was emptied"))
        .collect()
}

/// Splits `start..end` into tokens, pushed onto `toks` (empty; [`recycle`] gives one in
/// the memory of the last unit's tokens). A token of ASCII chars and `’` only (most words
/// and punctuation) borrows its lower-case form from `low` (the chars' [`low_byte`]s) at
/// its own offsets, and a mark or dash that [`own_lower`] knows a static one; those of the
/// others are written one after another into `buf` (cleared first) so that the tokens
/// borrow them.
fn tokenize_into<'a>(
    mut toks: Vec<Tok<'a>>,
    chars: &[char],
    low: &'a str,
    start: usize,
    end: usize,
    regions: &[Region],
    buf: &'a mut Vec<u8>,
) -> Vec<Tok<'a>> {
    buf.clear();
    // About one token per four chars, so the vector seldom grows.
    toks.reserve((end - start) / 4 + 4);
    // The lower-case form of a token written into `buf` is filled in once `buf` is
    // complete: it is the bytes of `buf` from the end of the previous such token's to the
    // end of its own. Kept aside as (token, end) so that every token is smaller; few
    // units have such tokens, and those few.
    let mut written: Vec<(usize, usize)> = Vec::new();
    // The first region not ending before `i`: the one holding `i`, if any (regions are
    // sorted and disjoint); its ends at hand, as none past the last region.
    let mut held = regions.partition_point(|r| r.end <= start);
    let ends = |held: usize| {
        regions
            .get(held)
            .map_or((usize::MAX, usize::MAX), |r| (r.start, r.end))
    };
    let (mut held_start, mut held_end) = ends(held);
    let unit = &chars[..end];
    let low_unit = &low.as_bytes()[..end];
    let mut i = start;
    while let Some(&c) = unit.get(i) {
        // Most tokens are words starting with an ASCII letter or digit: tested first,
        // before the tests that words never pass. `lower` is the lower-case form unless
        // it is written into `buf`.
        let (e, kind, acronym, lower) = if c.is_ascii_alphanumeric() {
            let (e, plain) = scan_word(unit, low_unit, i);
            if plain {
                // A word starting with a lower-case letter (most words) is no acronym,
                // told without reading it again.
                let acronym = !c.is_ascii_lowercase() && is_plain_acronym(&unit[i..e]);
                (e, TokKind::Word, acronym, low.get(i..e))
            } else {
                (e, TokKind::Word, push_lower(&unit[i..e], buf), None)
            }
        } else if c == ' ' || c.is_whitespace() {
            i += 1;
            continue;
        } else if let Some(len) = quotes::mark_at(chars, i).filter(|l| i + l <= end) {
            let kind = if region_at(regions, i, None).is_some() {
                TokKind::QOpen
            } else if region_ending_at(regions, i + len).is_some_and(|r| r.closed) {
                TokKind::QClose
            } else {
                TokKind::Punct
            };
            // A mark is `"`, `''` or one non-ASCII char that is its own lower case.
            match if c.is_ascii() {
                low.get(i..i + len)
            } else {
                own_lower(c)
            } {
                Some(lower) => (i + len, kind, false, Some(lower)),
                None => (i + len, kind, push_lower(&unit[i..i + len], buf), None),
            }
        } else if is_alphanumeric(c) {
            let e = word_end(unit, i);
            (e, TokKind::Word, push_lower(&unit[i..e], buf), None)
        } else if c.is_ascii() || c == '’' {
            // ASCII punctuation or `’`: no letter.
            (i + 1, TokKind::Punct, false, low.get(i..i + 1))
        } else if let Some(lower) = own_lower(c) {
            (i + 1, TokKind::Punct, false, Some(lower))
        } else {
            (
                i + 1,
                TokKind::Punct,
                push_lower(&unit[i..i + 1], buf),
                None,
            )
        };
        while held_end <= i {
            held += 1;
            (held_start, held_end) = ends(held);
        }
        let in_quote = held_start < i;
        let lower = lower.unwrap_or_else(|| {
            written.push((toks.len(), buf.len()));
            ""
        });
        toks.push(Tok {
            s: i,
            e,
            kind,
            lower,
            cap: c.is_uppercase(),
            acronym,
            in_quote,
        });
        // Most tokens are followed by a space: passed here, not as a char of its own.
        i = e + usize::from(unit.get(e) == Some(&' '));
    }
    if written.is_empty() {
        return toks;
    }
    // `buf` holds whole chars' UTF-8 only, so this never fails (and if it did, the
    // tokens would be empty words, not a panic).
    let mut rest = std::str::from_utf8(buf).unwrap_or_default();
    let mut from = 0;
    for (k, lower_end) in written {
        // Cut off the front of what is left: one char-boundary check per token.
        (toks[k].lower, rest) = rest.split_at_checked(lower_end - from).unwrap_or_default();
        from = lower_end;
    }
    toks
}

/// Chars in the longest of [`ABBREVIATIONS`].
const LONGEST_ABBREVIATION: usize = longest(ABBREVIATIONS);

/// The lower case of `c` when `c` is a non-ASCII mark or dash of news copy, which is its
/// own lower case ([`push_lower`] of it, and no letter): a token of it need not be written
/// into the tokenizer's buffer.
fn own_lower(c: char) -> Option<&'static str> {
    Some(match c {
        '“' => "“",
        '”' => "”",
        '„' => "„",
        '‟' => "‟",
        '«' => "«",
        '»' => "»",
        '‘' => "‘",
        '—' => "—",
        '–' => "–",
        '…' => "…",
        _ => return None,
    })
}

/// The byte standing for `c` in [`char_vec`]'s lower-case chars: an ASCII char
/// lower-cased, `’` as `'` (as [`push_lower`] writes them), and NUL for any other char (a
/// token holding one is lower-cased by [`push_lower`] instead).
fn low_byte(c: char) -> u8 {
    if c.is_ascii() {
        (c as u8).to_ascii_lowercase()
    } else if c == '’' {
        b'\''
    } else {
        0
    }
}

/// End of the word starting at `i`, an alphanumeric char of `unit`: alphanumerics, with
/// `'`, `’`, `-`, `.` or `&` between two of them (`U.S`, `don’t`), and a period that
/// [`takes_period`].
fn word_end(unit: &[char], i: usize) -> usize {
    let mut j = i + 1;
    loop {
        // Most of a word: a run of ASCII letters and digits.
        while unit.get(j).is_some_and(char::is_ascii_alphanumeric) {
            j += 1;
        }
        let Some(&d) = unit.get(j) else {
            break;
        };
        if !d.is_ascii() && is_alphanumeric(d) {
            j += 1;
        } else if matches!(d, '\'' | '’' | '-' | '.' | '&')
            && unit.get(j + 1).is_some_and(|&n| is_alphanumeric(n))
        {
            j += 2;
        } else if d == '.' && takes_period(&unit[i..j]) {
            j += 1;
            break;
        } else {
            break;
        }
    }
    j
}

/// [`word_end`] of the word starting at `i`, an ASCII letter or digit of `unit`, read
/// from `low` (the [`low_byte`]s of `unit`), and whether the word is plain: of ASCII chars
/// and `’` only, so that its lower-case form is `low` at its offsets. Most words are.
fn scan_word(unit: &[char], low: &[u8], i: usize) -> (usize, bool) {
    // Whether every char so far is ASCII or `’`.
    let mut plain = true;
    let mut j = i;
    loop {
        // A run of ASCII letters and digits (a non-ASCII char's byte is NUL, no letter).
        j = alnum_run_end(low, j);
        let Some(&d) = unit.get(j) else {
            break;
        };
        // Most words end at a space, which none of the tests below passes.
        if d == ' ' {
            break;
        }
        // As in `word_end`, except that the alphanumeric char after a joining one is left
        // to the next round, which takes it whatever it is.
        let joining = matches!(d, '\'' | '’' | '-' | '.' | '&')
            && unit.get(j + 1).is_some_and(|&n| is_alphanumeric(n));
        if !d.is_ascii() && is_alphanumeric(d) {
            plain = false;
        } else if !joining {
            if d == '.' && takes_period(&unit[i..j]) {
                j += 1;
            }
            break;
        }
        j += 1;
    }
    (j, plain)
}

/// The end of the run of ASCII letters and digits in `low` from `j`: the first offset at
/// or after `j` whose byte is none (or `low.len()`). Words are a few bytes long: eight
/// bytes tested at once (all of a word, mostly) cost fewer instructions than one table
/// look-up and bounds check per byte; [`alnum_run_end_by_bytes`] is the reading.
fn alnum_run_end(low: &[u8], mut j: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    // The high bit of each byte of `y` (bytes below 0x80) at or past `b`: no carry
    // crosses a byte, as each sum stays below 0x100.
    let at_least = |y: u64, b: u8| (y + ONES * u64::from(0x80 - b)) & HIGH;
    while let Some(chunk) = low.get(j..).and_then(|rest| rest.first_chunk::<8>()) {
        let x = u64::from_le_bytes(*chunk);
        let y = x & !HIGH;
        // Setting 0x20 makes upper-case letters lower case and moves no other byte into
        // `a..=z` (those in it already have the bit).
        let folded = y | (ONES * 0x20);
        let digit = at_least(y, b'0') & !at_least(y, b'9' + 1);
        let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
        // A byte from 0x80 up is no ASCII letter or digit whatever its low bits.
        let stop = (!(digit | letter) | x) & HIGH;
        if stop != 0 {
            return j + (stop.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    alnum_run_end_by_bytes(low, j)
}

/// [`alnum_run_end`] one table look-up per byte: the reading it is tested against, and
/// its way through the last bytes.
fn alnum_run_end_by_bytes(low: &[u8], mut j: usize) -> usize {
    while low
        .get(j)
        .is_some_and(|&l| normalize::ASCII_ALNUM_LOWER[usize::from(l)] != 0)
    {
        j += 1;
    }
    j
}

/// Whether `word`, of ASCII chars and `’` only, is an acronym as [`push_lower`] tells
/// one. Most words start with a lower-case letter, which answers at once.
fn is_plain_acronym(word: &[char]) -> bool {
    // One pass (a number is read to its end): no lower-case letter, two letters or more.
    let mut letters = 0;
    for c in word {
        if c.is_ascii_lowercase() {
            return false;
        }
        letters += usize::from(c.is_ascii_uppercase());
    }
    letters >= 2
}

/// [`char::is_alphanumeric`], answered without the Unicode tables for ASCII and for the
/// General Punctuation block (`’ “ ” —`, U+2000 to U+206F, none of them alphanumeric), the
/// non-ASCII chars news copy is full of.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        !is_general_punctuation(c) && c.is_alphanumeric()
    }
}

/// Whether `c` is in the General Punctuation block (U+2000 to U+206F: `’ “ ” —` and
/// spaces), whose chars are no letters or digits and are their own lower case.
fn is_general_punctuation(c: char) -> bool {
    ('\u{2000}'..='\u{206F}').contains(&c)
}

/// Appends `word` lower-cased, with `’` as `'`, to `buf` as UTF-8: what
/// `word.to_lowercase().replace('’', "'")` gives on the word as a string. Returns whether
/// the word is an acronym: two or more letters, none lower-case (`US`, `CNN`).
fn push_lower(word: &[char], buf: &mut Vec<u8>) -> bool {
    let mut letters = 0;
    let mut lower = false;
    if word.iter().all(char::is_ascii) {
        // One byte per char, written without a capacity check each.
        buf.extend(word.iter().map(|&c| {
            let b = c as u8;
            letters += usize::from((b | 0x20).wrapping_sub(b'a') < 26);
            lower |= b.wrapping_sub(b'a') < 26;
            b.to_ascii_lowercase()
        }));
        return letters >= 2 && !lower;
    }
    let from = buf.len();
    for &c in word {
        if c == 'Σ' {
            // The one letter whose lower case depends on its neighbours (a final `ς`):
            // `str::to_lowercase` knows the rule.
            buf.truncate(from);
            let text: String = word.iter().collect();
            buf.extend_from_slice(text.to_lowercase().replace('’', "'").as_bytes());
            return word.iter().filter(|c| c.is_alphabetic()).count() >= 2
                && !word.iter().any(|c| c.is_lowercase());
        }
        if c == '’' {
            buf.push(b'\'');
        } else if is_general_punctuation(c) {
            // No letter, and its own lower case: the Unicode tables need not be asked.
            buf.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        } else {
            letters += usize::from(c.is_alphabetic());
            lower |= c.is_lowercase();
            for l in c.to_lowercase() {
                buf.extend_from_slice(l.encode_utf8(&mut [0; 4]).as_bytes());
            }
        }
    }
    letters >= 2 && !lower
}

/// Whether a period right after the word `word` belongs to it: the word already has one
/// (`U.S`), is an initial (`F`) or an abbreviation (`Sen`).
fn takes_period(word: &[char]) -> bool {
    // Most sentences end in a longer word, which takes the period only if it has one
    // already: lower-casing never makes a word fewer chars, so one longer than every
    // abbreviation is neither one nor an initial.
    if word.len() > LONGEST_ABBREVIATION {
        return word.contains(&'.');
    }
    takes_period_by_lists(word)
}

/// [`takes_period`] for a word of any length, by the lists.
fn takes_period_by_lists(word: &[char]) -> bool {
    if word.iter().all(char::is_ascii) {
        return word.contains(&'.')
            || (word.len() == 1 && word[0].is_ascii_uppercase())
            || in_packed(&ABBREVIATION_KEYS, word);
    }
    takes_period_wide(word)
}

/// [`takes_period_by_lists`] of a word with a non-ASCII char: out of line, so that the
/// ASCII words (most) save no registers for its string.
#[inline(never)]
fn takes_period_wide(word: &[char]) -> bool {
    let w: String = word.iter().collect::<String>().to_lowercase();
    w.contains('.')
        || (w.chars().count() == 1 && word[0].is_uppercase())
        || ABBREVIATIONS.contains(&w.as_str())
}

/// [`TITLE_ABBREVIATIONS`] for [`in_packed`].
const TITLE_KEYS: [u64; TITLE_ABBREVIATIONS.len()] = packed(TITLE_ABBREVIATIONS);

/// [`ABBREVIATIONS`] for [`in_packed`].
const ABBREVIATION_KEYS: [u64; ABBREVIATIONS.len()] = packed(ABBREVIATIONS);

/// The words of `list` (lower case, at most seven bytes each) as
/// [`normalize::pack_short`] packs them, sorted.
const fn packed<const N: usize>(list: &[&str]) -> [u64; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        out[i] = crate::normalize::pack_short(list[i].as_bytes());
        i += 1;
    }
    // Insertion sort: the lists are short, and `sort` is not `const`.
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && out[j - 1] > out[j] {
            let t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    out
}

/// Whether `word` is ASCII and, lower-cased, one of the words that `keys` holds (made by
/// [`packed`]): one binary search instead of comparing it with each word.
fn in_packed(keys: &[u64], word: &[char]) -> bool {
    if word.len() > 7 {
        return false;
    }
    let mut lower = [0u8; 7];
    for (b, &c) in lower.iter_mut().zip(word) {
        let Ok(l) = u8::try_from(c.to_ascii_lowercase()) else {
            return false;
        };
        *b = l;
    }
    let key = crate::normalize::pack_short(&lower[..word.len()]);
    keys.binary_search(&key).is_ok()
}

/// A source + cue found in a sentence, before its content is resolved.
#[derive(Debug, Clone)]
struct Frame {
    /// Token range of the cue.
    cue: (usize, usize),
    /// Token range of the source.
    source: Option<(usize, usize)>,
    according: bool,
    /// Whether the cue verb takes a hearer object (`told reporters`).
    object: bool,
    /// First token of the frame (source or cue).
    first: usize,
    /// Token after the cue.
    after: usize,
}

fn is_adverb(t: &Tok) -> bool {
    t.word() && !t.cap && t.lower.len() > 4 && t.lower.ends_with("ly") && t.lower != "only"
}

fn is_verb_form(t: &Tok) -> bool {
    !t.cap
        && lexicon::lookup(t.lower)
            .is_some_and(|v| matches!(v.form, Form::Past | Form::Third | Form::Ing))
}

/// Token range of a noun phrase ending at token `j` (walking left, not before `lo`).
fn left_np(toks: &[Tok], j: usize, lo: usize) -> Option<(usize, usize)> {
    let t = toks.get(j)?;
    if j < lo {
        return None;
    }
    if t.word() && PRONOUNS.contains(t.lower) {
        return Some((j, j + 1));
    }
    if t.is(",") {
        // Apposition: `Lavrov, Russia's foreign minister, said`.
        let k = (lo..j).rev().take(24).find(|&k| toks[k].is(","))?;
        // Possessives and compounds may sit in the apposition: `Sanders’ campaign manager`.
        let inner = |t: &Tok| t.word() || ["(", ")", "’", "'", "-", "&", "/"].contains(&t.lower);
        if !(k + 1..j).all(|m| inner(&toks[m]) && !toks[m].in_quote) {
            return None;
        }
        let (mut a, _) = np_core(toks, k.checked_sub(1)?, lo)?;
        // An age or a second apposition before this one: `Ann Lee, 21, a student, said`.
        if toks[a..k]
            .iter()
            .all(|t| t.lower.starts_with(|c: char| c.is_ascii_digit()))
            && a > lo + 1
            && toks[a - 1].is(",")
        {
            a = np_core(toks, a - 2, lo)?.0;
        }
        if !toks[a..k].iter().any(|t| t.cap) {
            return None;
        }
        return Some((a, j + 1));
    }
    if t.is(")") {
        let open = (lo..j).rev().take(8).find(|&k| toks[k].is("("))?;
        let (a, _) = np_core(toks, open.checked_sub(1)?, lo)?;
        return Some((a, j + 1));
    }
    np_core(toks, j, lo)
}

fn np_core(toks: &[Tok], j: usize, lo: usize) -> Option<(usize, usize)> {
    if j < lo {
        return None;
    }
    let mut a = j + 1;
    let mut k = j;
    loop {
        let t = &toks[k];
        // The cheap tests first: the walk's length before any look-up.
        let ok = j + 1 - k <= 9
            && t.word()
            && !t.in_quote
            && (!NP_STOP.contains(t.lower) || is_acronym(t) || t.lower == "i")
            && !(TIME.contains(t.lower) && t.lower != "state")
            && !is_adverb(t)
            && !is_verb_form(t);
        if !ok {
            break;
        }
        a = k;
        if k == lo || k == 0 {
            break;
        }
        k -= 1;
    }
    // Trim leading words that cannot start a noun phrase.
    while a <= j && (toks[a].is("of") || toks[a].is("and")) {
        a += 1;
    }
    if a > j {
        return None;
    }
    if toks[a..=j].iter().all(|t| DETERMINERS.contains(t.lower)) {
        return None;
    }
    Some((a, j + 1))
}

/// Token range of a noun phrase starting at `i` (inverted `said Kerry`).
fn right_np(toks: &[Tok], i: usize, hi: usize) -> Option<(usize, usize)> {
    let first = toks.get(i).filter(|_| i < hi)?;
    if !first.word() || first.in_quote {
        return None;
    }
    // A lower-case start is fine when a name follows (`former governor Ed Rendell`).
    let name_follows = toks[i..hi.min(i + 5)]
        .iter()
        .take_while(|t| t.word() && !NP_STOP.contains(t.lower) && !is_verb_form(t))
        .any(|t| t.cap);
    if !(first.cap
        || name_follows
        || ["the", "a", "an", "he", "she", "they"].contains(&first.lower))
    {
        return None;
    }
    let mut b = i;
    while b < hi && b - i < 8 {
        let t = &toks[b];
        let ok = t.word()
            && (t.cap
                || ["the", "a", "an", "of"].contains(&t.lower)
                || (!NP_STOP.contains(t.lower)
                    && !TIME.contains(t.lower)
                    && !is_adverb(t)
                    && !is_verb_form(t)));
        if !ok || (b > i && TIME.contains(t.lower) && t.cap) {
            break;
        }
        b += 1;
    }
    if b == i {
        return None;
    }
    // An apposition after the name runs to the end of the sentence: `said Will Doyle, a
    // professor at Vanderbilt University.`
    if toks.get(b).is_some_and(|t| t.is(","))
        && toks.get(b + 1).is_some_and(|t| {
            t.word()
                && !t.in_quote
                && (["the", "a", "an", "who"].contains(&t.lower)
                    || t.lower.ends_with("'s")
                    || (!t.cap
                        && !NP_STOP.contains(t.lower)
                        && !is_verb_form(t)
                        && !t.lower.ends_with("ing")
                        && t.lower != "according"))
        })
    {
        let mut e = hi;
        while e > b && !toks[e - 1].word() {
            e -= 1;
        }
        if e > b + 1
            && toks[b..e]
                .iter()
                .all(|t| !t.in_quote && t.kind != TokKind::QOpen)
        {
            return Some((i, e));
        }
    }
    Some((i, b))
}

fn is_acronym(t: &Tok) -> bool {
    t.word() && t.acronym
}

/// The subject at the start of a sentence: a run of capitalised words (`Secretary of
/// State John Kerry`), or a determiner and a few words (`The senator`).
fn subject_np(toks: &[Tok], hi: usize) -> Option<(usize, usize)> {
    let first = toks.first().filter(|t| t.word() && !t.in_quote)?;
    let mut b = 1;
    if first.cap && !DETERMINERS.contains(first.lower) {
        while b < hi && toks[b].word() && (toks[b].cap || toks[b].is("of")) {
            b += 1;
        }
    } else if DETERMINERS.contains(first.lower) || PRONOUNS.contains(first.lower) {
        if PRONOUNS.contains(first.lower) {
            return Some((0, 1));
        }
        while b < hi
            && b < 5
            && toks[b].word()
            && !toks[b].in_quote
            && (toks[b].cap
                || !(NP_STOP.contains(toks[b].lower)
                    || toks[b].lower.ends_with("ed")
                    || is_verb_form(&toks[b])))
        {
            b += 1;
        }
        // Stop before the verb: the last word taken is the noun only if another follows.
        if b > 2 && b < hi && toks[b].word() && !toks[b - 1].cap {
            b -= 1;
        }
    } else {
        return None;
    }
    while b > 1 && toks[b - 1].is("of") {
        b -= 1;
    }
    Some((0, b))
}

/// Finds the frames (source + cue) of one sentence, into `out` (cleared first: one
/// vector serves the sentences one after another).
fn frames(toks: &[Tok], out: &mut Vec<Frame>) {
    frames_from::<true>(toks, out);
}

/// [`frames`], turning away up front the words no rule takes (`SKIP`), or sending every
/// word outside quotes through the rules (the tests' reference for the shortcut).
fn frames_from<const SKIP: bool>(toks: &[Tok], out: &mut Vec<Frame>) {
    out.clear();
    let verbs = lexicon::verbs();
    let mut i = 0;
    // The words no rule takes are passed in a loop of their own: merged with the rules'
    // loop, the skip paid for the rules' bookkeeping on every token.
    while let Some((at, t)) = toks
        .iter()
        .enumerate()
        .skip(i)
        .find(|&(k, t)| may_start_frame::<SKIP>(verbs, t, k == 0))
    {
        i = at;
        let lo = out.last().map_or(0, |f| f.after);
        if i == 0
            && let Some(f) = colon_frame(toks)
                .or_else(|| in_frame(toks))
                .or_else(|| asked_frame(toks))
        {
            i = f.after;
            out.push(f);
            continue;
        }
        if t.is("according") && toks.get(i + 1).is_some_and(|n| n.is("to")) {
            let src = according_source(toks, i + 2);
            let after = src.map_or(i + 2, |s| s.1);
            out.push(Frame {
                cue: (i, i + 2),
                source: src,
                according: true,
                object: false,
                first: i,
                after,
            });
            i = after.max(i + 1);
            continue;
        }
        let earlier = out.last().and_then(|f| f.source).filter(|s| s.0 < lo);
        if let Some(f) = verb_frame(toks, i, lo, earlier) {
            i = f.after.max(i + 1);
            out.push(f);
            continue;
        }
        i += 1;
    }
}

/// Whether the token `t` (the sentence's `first` or not) may start a frame: a word
/// outside quotes and, with `SKIP`, only the first word (which the sentence-level frames
/// look at), `according` and a lower-case word of the lexicon ([`verb_frame`] turns any
/// other word away at once). Most words are no cue.
fn may_start_frame<const SKIP: bool>(verbs: lexicon::Verbs, t: &Tok, first: bool) -> bool {
    t.word()
        && !t.in_quote
        && (!SKIP || first || !t.cap && verbs.lookup(t.lower).is_some() || t.is("according"))
}

/// `In a Gallup poll released Monday, 52 percent ...`: a sentence opening with `In` and
/// a noun phrase headed by a claim-bearing noun ([`lexicon::CLAIM_NOUNS`]) up to a comma
/// attributes the rest to that noun phrase, with `In` as the cue.
fn in_frame(toks: &[Tok]) -> Option<Frame> {
    let first = toks.first().filter(|t| t.is("in") && !t.in_quote)?;
    let comma = (2..toks.len().min(16)).find(|&m| toks[m].is(","))?;
    let np = &toks[1..comma];
    if !np
        .iter()
        .all(|t| (t.word() && !t.in_quote) || t.is("/") || t.is("-") || t.is("’") || t.is("'"))
        || !DETERMINERS.contains(np[0].lower) && !np[0].lower.ends_with("'s") && !np[0].cap
    {
        return None;
    }
    // The claim noun heads the phrase: it is the last word or is followed by a
    // participle (`poll released Monday`) or `of`/`by`/`from`.
    let head = np.iter().enumerate().position(|(n, t)| {
        lexicon::CLAIM_NOUNS.contains(t.lower)
            && np.get(n + 1).is_none_or(|x| {
                x.lower.ends_with("ed")
                    || ["of", "by", "from", "for", "conducted", "taken", "out"].contains(&x.lower)
                    || x.lower.ends_with("ing")
            })
    });
    head?;
    let _ = first;
    // `In other words, ...` is no source; a cue verb later in the sentence (`In a
    // statement, the senator dismissed ...`) makes its own, fuller attribution.
    if np.iter().any(|t| t.is("other"))
        || toks[comma..]
            .iter()
            .any(|t| t.word() && !t.in_quote && !t.cap && is_verb_form(t))
    {
        return None;
    }
    Some(Frame {
        cue: (0, 1),
        source: Some((1, comma)),
        according: true,
        object: false,
        first: 0,
        after: comma,
    })
}

/// `Asked whether the plan would pass, the senator ...`: a sentence opening with a cap
/// `Asked` and a question clause up to a comma is a sourceless attribution of that
/// question (the answer that follows is its own attribution).
fn asked_frame(toks: &[Tok]) -> Option<Frame> {
    let first = toks.first().filter(|t| t.is("asked") && !t.in_quote)?;
    let next = toks.get(1).filter(|t| t.word() && !t.in_quote)?;
    if ![
        "whether", "if", "what", "why", "how", "who", "when", "where", "about", "to",
    ]
    .contains(&next.lower)
    {
        return None;
    }
    let comma = (2..toks.len().min(40)).find(|&m| toks[m].is(",") && !toks[m].in_quote)?;
    let _ = first;
    Some(Frame {
        cue: (0, 1),
        source: None,
        according: false,
        object: false,
        first: 0,
        after: comma + 1,
    })
}

/// `Graham: Trump's rhetoric is hurting us`: a sentence (often a headline) opening with
/// a short name-like noun phrase and a colon attributes what follows to that phrase, with
/// the colon as the cue. Labels (`Update:`, `Note:`), times and verbs rule it out.
fn colon_frame(toks: &[Tok]) -> Option<Frame> {
    let colon = (1..toks.len().min(7)).find(|&m| toks[m].is(":"))?;
    let np = &toks[..colon];
    let first = &np[0];
    let ok_tok = |t: &Tok| {
        (t.word()
            && !t.in_quote
            && !t.lower.starts_with(|c: char| c.is_ascii_digit())
            && lexicon::lookup(t.lower).is_none()
            && !NP_STOP.contains(t.lower)
            && !TIME.contains(t.lower))
            || t.is("’")
            || t.is("'")
            || t.is("-")
            || t.is(".")
    };
    // A dateline (`NEREA:`, `NEW YORK:`) is all capitals; agencies (`AP:`) are short.
    let dateline = np.iter().filter(|t| t.word()).all(|t| t.acronym)
        && np.iter().map(|t| t.e - t.s).sum::<usize>() > 3;
    if !first.cap
        || dateline
        || lexicon::COLON_LABELS.contains(first.lower)
        || PRONOUNS.contains(first.lower)
        || !np.iter().all(ok_tok)
        || !np
            .iter()
            .filter(|t| t.word())
            .all(|t| t.cap || ["of", "the"].contains(&t.lower))
        || colon + 1 >= toks.len()
    {
        return None;
    }
    // A sentence must follow the colon, not a figure (`Clinton: 1,769.`); and the last
    // word before it must not be a label (`Editor's Note:`, `Delegate Update:`).
    let last = np.iter().rev().find(|t| t.word())?;
    let last = last.lower.trim_end_matches("'s");
    if !toks[colon + 1..]
        .iter()
        .any(|t| t.word() && t.lower.chars().any(char::is_alphabetic))
        || toks[colon + 1..].iter().filter(|t| t.word()).count() < 3
        || lexicon::COLON_LABELS.contains(last)
        || ["poll", "daily", "weekly", "live", "blog"].contains(&last)
    {
        return None;
    }
    Some(Frame {
        cue: (colon, colon + 1),
        source: Some((0, colon)),
        according: false,
        object: false,
        first: 0,
        after: colon + 1,
    })
}

fn according_source(toks: &[Tok], i: usize) -> Option<(usize, usize)> {
    let mut b = i;
    while b < toks.len() && b - i < 30 {
        let t = &toks[b];
        if !(t.word() || t.is("-") || t.is("(") || t.is(")") || t.is("/")) || t.in_quote {
            break;
        }
        b += 1;
    }
    (b > i).then_some((i, b))
}

fn verb_frame(toks: &[Tok], i: usize, lo: usize, earlier: Option<(usize, usize)>) -> Option<Frame> {
    let t = &toks[i];
    if t.cap {
        return None;
    }
    let v = lexicon::lookup(t.lower)?;
    let next = toks.get(i + 1);
    let mut cue_end = i + 1;
    // Walk left over auxiliaries and adverbs to the subject.
    let mut j = i;
    let mut be = false;
    while j > lo {
        let p = &toks[j - 1];
        if p.word() && !p.cap && (AUX.contains(p.lower) || is_adverb(p)) {
            be |= BE.contains(&p.lower);
            j -= 1;
        } else {
            break;
        }
    }
    // A time adjunct between subject and verb (`Kerry on Monday said`) belongs to
    // neither; the cue starts after it.
    let cue_from = j;
    let j = j - time_before(toks, j, lo);
    let prev = j.checked_sub(1).filter(|&p| p >= lo).map(|p| &toks[p]);
    // A verb that is also a noun needs a clear subject: a pronoun, a name or an auxiliary.
    // Nor when a verb follows it (`the Geneva talks will resume`), nor `of`, `between`,
    // `among` (`Ceasefire talks between the two sides began`).
    if v.noun_like
        && matches!(v.form, Form::Base | Form::Third)
        && (j == i
            && !prev.is_some_and(|p| {
                p.cap || PRONOUNS.contains(p.lower) || lexicon::CLAIM_NOUNS.contains(p.lower)
            })
            || next.is_some_and(|n| n.is("of") || n.is("between") || n.is("among"))
            || (j == i && next.is_some_and(|n| !n.cap && FINITE.contains(&n.lower))))
    {
        return None;
    }
    let mut source = None;
    match v.form {
        // Only `X was quoted as saying` and progressives (`X is saying`).
        // `..., saying that`: the speaker is the subject of the clause before.
        Form::Ing if !be && i > 0 && toks[i - 1].is(",") && (i < 2 || !toks[i - 2].is("who")) => {
            let source = earlier.or_else(|| subject_np(toks, i - 1))?;
            if source.1 > i {
                return None;
            }
            return Some(Frame {
                cue: (i, i + 1),
                source: Some(source),
                according: false,
                object: v.takes_object,
                first: i,
                after: i + 1,
            });
        }
        Form::Ing if !be => return None,
        Form::Past if be => {
            if t.is("quoted")
                && next.is_some_and(|n| n.is("as"))
                && toks.get(i + 2).is_some_and(|n| n.is("saying"))
            {
                cue_end = i + 3;
            } else if prev.is_some_and(|p| p.is("it")) {
                // `it was reported that`: no source.
                return Some(Frame {
                    cue: (i, i + 1),
                    source: None,
                    according: false,
                    object: false,
                    first: j - 1,
                    after: i + 1,
                });
            } else {
                return None;
            }
        }
        _ => {}
    }
    if let Some(p) = j.checked_sub(1).filter(|&p| p >= lo)
        && !prev.is_some_and(|p| p.is("it") && t.lower != "says")
    {
        source = left_np(toks, p, lo);
    }
    // A particle belongs to the verb: `pointed out that`.
    if toks.get(cue_end).is_some_and(|n| n.is("out")) {
        cue_end += 1;
    }
    // `a program called Safe Streets`, `what she called a disgrace`: naming, not speech.
    if ["call", "dub", "name", "label", "brand", "term"].contains(&v.base)
        && v.form == Form::Past
        && j == i
        && !toks
            .get(cue_end)
            .is_some_and(|n| lexicon::governs(v.base, n.lower))
        && (source
            .is_some_and(|(a, _)| a > 0 && ["what", "whom", "which"].contains(&toks[a - 1].lower))
            || source.is_some_and(|(a, b)| {
                toks[a..b]
                    .iter()
                    .any(|t| ["a", "an", "one"].contains(&t.lower))
            }))
    {
        return None;
    }
    cue_end = cue_tail(toks, v.base, cue_end);
    let mut first = source.map_or(i, |s| s.0);
    let mut after = cue_end;
    // `He said X and said Y`: a coordinated verb shares the earlier subject.
    if source.is_none()
        && prev.is_some_and(|p| p.is("and") || p.is("but"))
        && let Some(e) = earlier
    {
        return Some(Frame {
            cue: (j, cue_end),
            source: Some(e),
            according: false,
            object: v.takes_object,
            first: j,
            after,
        });
    }
    if source.is_none() {
        // Inverted: `..., said Kerry.` / `” said Kerry`.
        let inverted_ok = j == i
            && (i == lo
                || toks
                    .get(i.wrapping_sub(1))
                    .is_some_and(|p| p.is(",") || p.kind == TokKind::QClose));
        if !inverted_ok || !matches!(v.form, Form::Past | Form::Third) {
            return None;
        }
        let s = right_np(toks, cue_end, toks.len())?;
        source = Some(s);
        first = i;
        after = s.1;
    }
    // PolNeAR and PARC count auxiliaries and adverbs between source and verb as part of
    // the cue (`has said`, `also told`).
    let cue_start = if source.is_some_and(|s| s.1 <= j) {
        cue_from
    } else {
        i
    };
    Some(Frame {
        cue: (cue_start, cue_end),
        source,
        according: false,
        object: v.takes_object,
        first,
        after,
    })
}

/// Finite verbs and auxiliaries that show the word before them is a noun subject.
#[rustfmt::skip]
const FINITE: &[&str] = &[
    "is", "was", "are", "were", "will", "would", "could", "should", "may", "might", "must",
    "can", "have", "has", "had", "broke", "ended", "collapsed", "resumed", "began", "stalled",
    "continue", "continued", "failed",
];

/// Number of tokens before `j` (not before `lo`) that form a time adjunct: `Monday`,
/// `on Tuesday`, `last week`, `this morning`, `yesterday`.
fn time_before(toks: &[Tok], j: usize, lo: usize) -> usize {
    const DAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "yesterday",
        "today",
        "tonight",
    ];
    const PARTS: &[&str] = &[
        "week",
        "month",
        "year",
        "morning",
        "afternoon",
        "evening",
        "night",
    ];
    let at = |k: usize| toks.get(k).filter(|t| k >= lo && t.word() && !t.in_quote);
    let Some(last) = j.checked_sub(1).and_then(at) else {
        return 0;
    };
    let before = j.checked_sub(2).and_then(at);
    if DAYS.contains(&last.lower) {
        // Only after a subject: the word before must not be the sentence start.
        return match before {
            Some(b) if b.is("on") && j >= 3 && j - 2 > lo => 2,
            Some(_) => 1,
            None => 0,
        };
    }
    if PARTS.contains(&last.lower)
        && before.is_some_and(|b| ["last", "this", "earlier"].contains(&b.lower))
        && j >= 3
        && j - 2 > lo
    {
        return 2;
    }
    0
}

/// End of a cue verb's cue after token `k`: a governed preposition (`called for`, `said
/// of`), a medium (`said in a statement`, `wrote on Twitter`) and a colon (`said:`) all
/// belong to the cue, as PolNeAR annotates them.
fn cue_tail(toks: &[Tok], base: &str, mut k: usize) -> usize {
    let plain = |t: &Tok| t.word() && !t.in_quote;
    if let Some(n) = toks.get(k).filter(|n| plain(n) && !n.cap)
        && lexicon::governs(base, n.lower)
        // `said about 40 people` is a number, not a topic.
        && !toks
            .get(k + 1)
            .is_some_and(|m| m.lower.starts_with(|c: char| c.is_ascii_digit()))
        && toks.get(k + 1).is_some_and(|m| m.word())
    {
        k += 1;
    }
    if let Some(p) = toks.get(k).filter(|p| plain(p))
        && ["in", "on", "via"].contains(&p.lower)
    {
        let mut m = k + 1;
        while m < toks.len() && m <= k + 4 && plain(&toks[m]) {
            if lexicon::MEDIA.contains(toks[m].lower) {
                k = m + 1;
                break;
            }
            if NP_STOP.contains(toks[m].lower) || PREPOSITIONS.contains(toks[m].lower) {
                break;
            }
            m += 1;
        }
    }
    if toks.get(k).is_some_and(|t| t.is(":")) {
        k += 1;
    }
    k
}

/// Index of the first content token after a frame, skipping a hearer object and
/// time or place adjuncts; `None` when what follows is only an adjunct.
fn skip_after(toks: &[Tok], f: &Frame, hi: usize) -> usize {
    let mut k = f.after;
    // `said of the plan, “...”`: the topic after the preposition is not the content.
    if k > 0
        && (toks[k - 1].is("of") || toks[k - 1].is("about"))
        && let Some(m) = (k..hi.min(k + 12))
            .find(|&m| toks[m].is(",") || toks[m].is(":") || toks[m].kind == TokKind::QOpen)
        && (k..m).all(|x| toks[x].word())
    {
        k = m;
    }
    if f.object && k < hi && toks[k].word() && !toks[k].is("that") {
        // `told reporters (Monday) that`, `told The Post:`
        let stop =
            (k..hi.min(k + 7)).find(|&m| toks[m].is("that") || !toks[m].word() || toks[m].in_quote);
        k = match stop {
            Some(m) => m,
            None => {
                let mut m = k + 1;
                if toks[k].cap {
                    while m < hi && toks[m].cap {
                        m += 1;
                    }
                } else if DETERMINERS.contains(toks[k].lower) {
                    m = (k + 2).min(hi);
                }
                m
            }
        };
    }
    // Time adjuncts: `said Tuesday`, `said last week`, `said on Monday`.
    while let Some(t) = toks.get(k).filter(|_| k < hi) {
        let n = toks.get(k + 1).filter(|_| k + 1 < hi);
        if t.word() && TIME.contains(t.lower) && t.lower != "this" && t.lower != "last" {
            k += 1;
        } else if (t.is("last") || t.is("this") || t.is("on") || t.is("early") || t.is("late"))
            && n.is_some_and(|n| TIME.contains(n.lower))
        {
            k += 2;
        } else {
            break;
        }
    }
    // A prepositional adjunct up to a comma, `that` or a quote.
    if k < hi
        && PREPOSITIONS.contains(toks[k].lower)
        && let Some(m) = (k + 1..hi.min(k + 12)).find(|&m| {
            toks[m].is(",")
                || toks[m].is("that")
                || toks[m].is(":")
                || toks[m].kind == TokKind::QOpen
        })
        && (k..m).all(|x| toks[x].word())
    {
        k = m;
    }
    while k < hi && (toks[k].is(",") || toks[k].is(":") || toks[k].is("—") || toks[k].is("-")) {
        k += 1;
    }
    k
}

fn span_of(toks: &[Tok], a: usize, b: usize) -> Option<Span> {
    (a < b && b <= toks.len()).then(|| Span {
        start: toks[a].s,
        end: toks[b - 1].e,
    })
}

/// Content span of tokens `a..b`, widened to whole quotation regions at either end and
/// without the sentence's closing punctuation.
fn content_span(toks: &[Tok], regions: &[Region], a: usize, mut b: usize) -> Option<Span> {
    while b > a
        && matches!(
            toks[b - 1].lower,
            "." | "!" | "?" | "," | ";" | ":" | "and" | "but" | "-" | "—"
        )
    {
        b -= 1;
    }
    let mut s = span_of(toks, a, b)?;
    if let Some(r) = region_of(regions, s.start) {
        s.start = s.start.min(r.start);
        if toks[a].kind == TokKind::QOpen && r.end > s.end && b == toks.len() {
            s.end = r.end;
        }
    }
    if let Some(r) = region_of(regions, s.end - 1)
        && r.end > s.end
        && b == toks.len()
    {
        s.end = r.end;
    }
    Some(s)
}

/// Whether a quote mark ([`quotes::mark_at`]) starts in `span`: asked only of the
/// chars in `matter` (the offsets of those that [`quotes::may_matter`], in order), the
/// only ones that can start one.
fn has_mark(chars: &[char], matter: &[usize], span: Span) -> bool {
    let first = matter.partition_point(|&p| p < span.start);
    matter[first..]
        .iter()
        .take_while(|&&p| p < span.end)
        .any(|&p| quotes::mark_at(chars, p).is_some())
}

fn sentence_rules(
    chars: &[char],
    matter: &[usize],
    toks: &[Tok],
    regions: &[Region],
    sent_start: usize,
    frames_buf: &mut Vec<Frame>,
) -> Vec<Attribution> {
    frames(toks, frames_buf);
    let frames = &*frames_buf;
    // At most one attribution per frame, and none made for a sentence with no frame.
    let mut out = Vec::with_capacity(frames.len());
    // One vector for the content spans of every frame, as they are gathered.
    let mut content: Vec<Span> = Vec::new();
    for (fi, f) in frames.iter().enumerate() {
        // A credit closing the sentence (`..., AP reported.`) covers everything before it,
        // earlier attributions included.
        let closes = fi > 0
            && fi + 1 == frames.len()
            && toks[f.after..].iter().all(|t| !t.word())
            && f.first > 0
            && toks[f.first - 1].is(",");
        let lo = if fi == 0 || closes {
            0
        } else {
            frames[fi - 1].after
        };
        let mut hi = frames.get(fi + 1).map_or(toks.len(), |n| n.first);
        // `X said he believed that ...`: the next attribution is this one's content.
        if frames
            .get(fi + 1)
            .is_some_and(|n| skip_after(toks, f, hi) >= n.first)
        {
            hi = frames.get(fi + 2).map_or(toks.len(), |n| n.first);
        }
        content.clear();
        let asked = f.cue == (0, 1) && f.source.is_none() && toks[0].is("asked");

        // What stands before the frame: `“...,” Kerry said` or `The deal is done, Kerry said`.
        let left = if f.first > lo {
            let p = f.first - 1;
            let before = &toks[p];
            if before.kind == TokKind::QClose {
                region_of(regions, before.s).map(|r| {
                    (
                        Span {
                            start: r.start,
                            end: r.end,
                        },
                        true,
                    )
                })
            } else if before.is(",") || before.is(":") {
                if p > lo && toks[p - 1].kind == TokKind::QClose {
                    region_of(regions, toks[p - 1].s).map(|r| {
                        (
                            Span {
                                start: r.start,
                                end: r.end,
                            },
                            true,
                        )
                    })
                } else if p - lo >= 3 && !PREPOSITIONS.contains(toks[lo].lower) {
                    content_span(toks, regions, lo, p).map(|s| (s, false))
                } else {
                    None
                }
            } else {
                None
            }
        } else if f.first == 0 && sent_start > 0 {
            // `“Will it work?”` split from `Kerry asked.` by the segmenter.
            let mut q = sent_start;
            while q > 0 && chars[q - 1].is_whitespace() {
                q -= 1;
            }
            // A binary search: a scan of all the regions made long texts quadratic.
            region_ending_at(regions, q)
                .filter(|r| r.closed)
                .filter(|_| frames.len() == 1 && f.after + 1 >= toks.len())
                .map(|r| {
                    (
                        Span {
                            start: r.start,
                            end: r.end,
                        },
                        true,
                    )
                })
        } else {
            None
        };

        let k = skip_after(toks, f, hi);
        let right_is_comma = toks.get(f.after).is_some_and(|t| t.is(","));
        let right = if k < hi {
            content_span(toks, regions, k, hi)
        } else {
            None
        };
        let right_is_quote = toks.get(k).is_some_and(|t| t.kind == TokKind::QOpen);
        let right_adjunct = toks
            .get(f.after)
            .is_some_and(|t| PREPOSITIONS.contains(t.lower) || t.lower.ends_with("ing"));

        if asked {
            content.extend(content_span(toks, regions, 1, f.after - 1));
        } else if f.according {
            let at_start = f.first == lo
                || (f.first == lo + 1 && ["but", "and", "yet", "so"].contains(&toks[lo].lower));
            if at_start {
                content.extend(right);
            } else if f.first > lo {
                let mut p = f.first;
                if toks[p - 1].is(",") {
                    p -= 1;
                }
                content.extend(content_span(toks, regions, lo, p));
            }
        } else {
            match left {
                Some((l, true)) => {
                    content.push(l);
                    if right_is_comma && right_is_quote {
                        content.extend(right);
                    }
                }
                Some((l, false)) if right.is_none() || right_is_comma || right_adjunct => {
                    content.push(l);
                    if right_is_comma && !right_adjunct {
                        content.extend(right);
                    }
                }
                _ => content.extend(right),
            }
        }
        // `Kerry said:` closing a sentence introduces the quotation that follows it,
        // often as its own paragraph.
        if content.is_empty()
            && fi + 1 == frames.len()
            && toks.last().is_some_and(|t| t.is(":"))
            && let Some(r) = toks.last().and_then(|t| {
                regions
                    .get(regions.partition_point(|r| r.start < t.e))
                    .filter(|r| chars[t.e..r.start].iter().all(|c| c.is_whitespace()))
            })
        {
            content.push(Span {
                start: r.start,
                end: r.end,
            });
        }
        content.retain(|s| !s.is_empty());
        content.sort();
        content.dedup();
        // Keep content spans disjoint.
        let mut merged: Vec<Span> = Vec::with_capacity(content.len());
        for &s in &content {
            match merged.last_mut() {
                Some(m) if s.start < m.end => m.end = m.end.max(s.end),
                _ => merged.push(s),
            }
        }
        // `The minister, who said the talks had failed, left`: the relative clause ends
        // at the comma that closes it, and so does what was said.
        if let Some((a, b)) = f.source
            && b == a + 1
            && a > 0
            && toks[a - 1].is(",")
            && (toks[a].is("who") || toks[a].is("which"))
            && let Some(close) = toks[f.after..]
                .iter()
                .find(|t| t.is(",") && !t.in_quote && region_of(regions, t.s).is_none())
        {
            for m in &mut merged {
                m.end = m.end.min(close.s);
            }
            merged.retain(|m| m.start < m.end);
        }
        if merged.is_empty() {
            continue;
        }
        let quote_only = lexicon::lookup(toks[f.cue.1 - 1].lower)
            .is_some_and(|v| lexicon::QUOTE_ONLY.contains(&v.base));
        if quote_only
            && !merged
                .iter()
                .all(|s| region_at(regions, s.start, Some(s.end)).is_some())
        {
            continue;
        }
        let source = f.source.and_then(|(a, b)| span_of(toks, a, b));
        let Some(cue) = span_of(toks, f.cue.0, f.cue.1) else {
            continue;
        };
        let quoted = merged.iter().any(|&s| has_mark(chars, matter, s));
        let kind = if f.according {
            Kind::AccordingTo
        } else if source.is_some_and(|s| source::is_organisation_chars(&chars[s.start..s.end])) {
            Kind::OrganisationCredit
        } else if merged
            .iter()
            .all(|s| region_at(regions, s.start, Some(s.end)).is_some())
        {
            Kind::DirectQuote
        } else if quoted {
            Kind::Mixed
        } else {
            Kind::Indirect
        };
        let antecedent = f.source.and_then(|(a, b)| {
            let rel = b == a + 1 && ["who", "which", "that"].contains(&toks[a].lower);
            let end = if a > 0 && toks[a - 1].is(",") {
                a - 1
            } else {
                a
            };
            let (x, y) = (rel && end > 0)
                .then(|| np_core(toks, end - 1, 0))
                .flatten()?;
            span_of(toks, x, y)
        });
        out.push(Attribution {
            kind,
            source,
            antecedent,
            cue,
            content: merged,
            sentence: 0,
            quoted,
        });
    }
    out
}

#[cfg(test)]
mod tests;
