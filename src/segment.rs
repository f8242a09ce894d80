//! Segment: splits a document's text into sentences with character offsets.
//!
//! Promises: sentences are in order, never overlap, are trimmed, and together with the
//! whitespace between them make up the whole text; offsets count Unicode scalar values;
//! the cost is linear in the text.
//!
//! Rules, in the order they are tried, for the gap between two words of a paragraph
//! (every line is a paragraph, so a line break always ends a sentence):
//! - **Lists.** A paragraph that opens with a marker (`1.`, `1)`, `1.)`, `a.`, `•`, `⁃9.`)
//!   starts a new sentence at each following marker of the same kind; a marker itself
//!   never ends a sentence.
//! - **Ellipses.** `. . .` inside a sentence continues it; four dots (`that....`,
//!   `. . . .`) end it before a capitalised word; a sentence that ends with a period and
//!   is followed by `. . .` and a capitalised word ends before the dots.
//! - **Terminators.** Only a word ending in `.`, `!`, `?` or `…` (before any closing
//!   quotes or brackets) can end a sentence, and only before a word that does not start
//!   in lower case.
//! - **Quotes.** `“Will it work?” Kerry asked.` stays one sentence: a quotation closed
//!   after its terminator, followed by a name and a speech verb, is the verb's object.
//! - **Abbreviations.** Titles before names (`Sen.`, `Gov.`, `Dr.`, `St.`) never end a
//!   sentence; `p.`/`No.` before a number never do; initials (`John F. Kennedy`) do not;
//!   other abbreviations (`Co.`, `Inc.`, `Jan.`, `U.S.`, `E.U.`, `a.m.`) end one only
//!   before a word that typically starts sentences (`It`, `The`, `How`, `Mr.`), and
//!   `a.m.`/`p.m.` not after a short opening phrase (`At 5 a.m. Mr. Smith went`) nor
//!   before a day or month (`at 5 p.m. Friday`).
//! - **Tokens with inner dots** (`3.5`, `example.com`, e-mail addresses, `U.S.-Russian`)
//!   are single words, so nothing splits inside them.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// One sentence of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence text, exactly as in the input (a slice of it).
    pub text: String,
    /// Start offset in Unicode scalar values (chars) into the document text.
    pub start: usize,
    /// End offset in chars, exclusive.
    pub end: usize,
    /// Start offset in bytes into the document text.
    pub byte_start: usize,
    /// End offset in bytes, exclusive.
    pub byte_end: usize,
    /// 0-based paragraph index (paragraphs are separated by line breaks).
    pub paragraph: usize,
}

/// Titles that precede a name: never the end of a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "prof", "sen", "sens", "rep", "reps", "gov", "govs", "gen",
    "lt", "col", "sgt", "capt", "cmdr", "adm", "maj", "rev", "hon", "pres", "supt", "det", "insp",
    "cpl", "pvt", "gens", "atty", "amb", "fr", "sr", "jr", "st", "mt", "ft", "mme", "mlle", "msgr",
    "sec", "secs", "lt.gen", "brig",
];

/// Abbreviations that can end a sentence, but usually do not.
const ABBREVIATIONS: &[&str] = &[
    "co", "corp", "inc", "ltd", "llc", "bros", "plc", "etc", "vs", "v", "no", "nos", "p", "pp",
    "vol", "vols", "fig", "figs", "approx", "est", "dept", "div", "univ", "assn", "ave", "blvd",
    "rd", "hwy", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "cf", "al",
    "ca", "ed", "eds", "min", "max", "mln", "bln", "tel", "ext", "op", "cit", "ibid", "e.g", "i.e",
    "a.m", "p.m", "n°", "ph.d", "u.s", "u.k", "u.n", "d.c", "e.u",
];

/// US states as wire datelines abbreviate them (`MADISON, Wis. (Reuters) -`). Many are
/// also words (`ill.`, `wash.`), so they hold a sentence together only before a
/// dateline's bracketed agency or dash.
const STATES: &[&str] = &[
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky",
    "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "n.h", "n.j", "n.m",
    "n.y", "n.c", "n.d", "okla", "ore", "pa", "r.i", "s.c", "s.d", "tenn", "vt", "va", "wash",
    "w.va", "wis", "wyo",
];

/// Abbreviations that are followed by a number, never by a new sentence.
const BEFORE_NUMBERS: &[&str] = &["p", "pp", "no", "nos", "vol", "fig", "figs", "n°", "art"];

/// Capitalised words that typically open a sentence; after an abbreviation, only these
/// make the abbreviation's period a sentence end.
const STARTERS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "there",
    "here",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "however",
    "meanwhile",
    "in",
    "on",
    "at",
    "for",
    "after",
    "before",
    "when",
    "while",
    "if",
    "as",
    "since",
    "although",
    "though",
    "what",
    "who",
    "why",
    "how",
    "where",
    "which",
    "did",
    "does",
    "do",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "not",
    "no",
    "yes",
    "some",
    "many",
    "most",
    "all",
    "both",
    "each",
    "other",
    "another",
    "then",
    "now",
    "still",
    "also",
    "even",
    "only",
    "according",
    "officials",
    "police",
    "mr",
    "mrs",
    "ms",
    "dr",
    "asked",
    "last",
    "next",
    "one",
    "two",
    "three",
    "a.m",
    "until",
    "because",
    "with",
];

/// Speech verbs that make `“...?” Kerry asked.` one sentence.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "asks",
    "told",
    "tells",
    "added",
    "adds",
    "replied",
    "shouted",
    "wrote",
    "writes",
    "tweeted",
    "explained",
    "noted",
    "insisted",
    "claimed",
    "admitted",
    "continued",
    "recalled",
    "warned",
    "argued",
    "declared",
    "stated",
    "responded",
    "answered",
    "wondered",
    "exclaimed",
    "cried",
    "whispered",
    "laughed",
    "concluded",
    "conceded",
    "acknowledged",
    "demanded",
    "urged",
    "yelled",
    "chanted",
    "quipped",
    "joked",
    "remarked",
    "observed",
    "suggested",
    "countered",
    "pleaded",
];

/// Days and months: after `a.m.`/`p.m.` they continue the sentence.
const CALENDAR: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "tomorrow",
    "yesterday",
    "tonight",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "et",
    "est",
    "edt",
    "pt",
    "pst",
    "pdt",
    "gmt",
    "utc",
    "local",
];

/// Marks of [`listed`]: the lists a lower-case word is on.
const TITLE: u8 = 1;
const ABBREVIATION: u8 = 2;
const STATE: u8 = 4;
const BEFORE_NUMBER: u8 = 8;
const STARTER: u8 = 16;
const DAY_OR_MONTH: u8 = 32;
const SPEECH_VERB: u8 = 64;

/// Each list above with its mark in [`listed`].
const MARKED: [(&[&str], u8); 7] = [
    (TITLES, TITLE),
    (ABBREVIATIONS, ABBREVIATION),
    (STATES, STATE),
    (BEFORE_NUMBERS, BEFORE_NUMBER),
    (STARTERS, STARTER),
    (CALENDAR, DAY_OR_MONTH),
    (SPEECH_VERBS, SPEECH_VERB),
];

/// The lists above that lower-case `word` is on, as a set of marks: one hash look-up
/// instead of a scan of each list.
fn listed(word: &str) -> u8 {
    static MARKS: OnceLock<FxHashMap<&'static str, u8>> = OnceLock::new();
    let marks = MARKS.get_or_init(|| {
        let mut marks = FxHashMap::default();
        for (list, mark) in MARKED {
            for &w in list {
                *marks.entry(w).or_insert(0) |= mark;
            }
        }
        marks
    });
    marks.get(word).copied().unwrap_or(0)
}

/// `s` lower-cased: in `buf` when it is short ASCII (the usual case, no allocation),
/// else in `heap`.
fn lowered<'a>(s: &str, buf: &'a mut [u8; 24], heap: &'a mut String) -> &'a str {
    if s.is_ascii() && s.len() <= buf.len() {
        let b = &mut buf[..s.len()];
        b.copy_from_slice(s.as_bytes());
        b.make_ascii_lowercase();
        std::str::from_utf8(b).expect("ASCII stays UTF-8")
    } else {
        *heap = s.to_lowercase();
        heap
    }
}

const CLOSERS: &[char] = &['"', '\'', '\u{201D}', '\u{2019}', ')', ']', '}', '\u{00BB}'];
const OPENERS: &[char] = &['"', '\'', '\u{201C}', '\u{2018}', '(', '[', '{', '\u{00AB}'];
const BULLETS: &[char] = &['•', '⁃', '‣', '◦', '▪', '·', '-', '*', '–', '—'];

/// A whitespace-separated word of a paragraph: byte range into the paragraph.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

/// How the items of a list paragraph are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListStyle {
    /// `1.`, `1)`, `1.)`, optionally after a bullet.
    Number,
    /// `a.`, `b)`.
    Letter,
    /// A bullet word of its own (`•`).
    Bullet,
}

/// Splits `text` into sentences. To segment several texts that share paragraphs, such as
/// the versions of one story, use a [`Segmenter`].
pub fn segment(text: &str) -> Vec<Sentence> {
    Segmenter::default().segment(text)
}

/// Segments texts that share paragraphs, such as the versions of one story: a paragraph
/// met before, in the same text or an earlier one, takes the sentences found in it then
/// instead of being split again. A paragraph's sentences depend on its text alone, so
/// every text gets what [`segment`] gives it. It keeps the paragraphs of the texts it
/// split as slices of them: the texts must outlive it.
#[derive(Default)]
pub struct Segmenter<'t> {
    /// Paragraph text (the line without its break) → its sentences, a range of `spans`,
    /// and its length in chars.
    seen: FxHashMap<&'t str, Paragraph>,
    spans: Vec<Span>,
    words: Vec<Word>,
    wide: Vec<WideChunk>,
    maybe_ends: Vec<usize>,
}

/// A paragraph met before: its id (how many were met before it), its sentences,
/// `spans[from..to]`, and its length in chars.
#[derive(Debug, Clone, Copy)]
struct Paragraph {
    id: usize,
    from: usize,
    to: usize,
    chars: usize,
}

/// A sentence of one paragraph, offsets relative to the paragraph's start.
#[derive(Debug, Clone, Copy)]
struct Span {
    byte_start: usize,
    byte_end: usize,
    start: usize,
    end: usize,
}

impl<'t> Segmenter<'t> {
    /// Splits `text` into sentences, as [`segment`] does.
    pub fn segment(&mut self, text: &'t str) -> Vec<Sentence> {
        self.segment_noting(text, |_| {}, |_| {})
    }

    /// [`Segmenter::segment`], and for each paragraph (as [`Sentence::paragraph`] numbers
    /// them) an id: paragraphs of the same text, in this text or one this segmenter split
    /// before, have the same id, and different texts different ids. Ids count up from 0
    /// in the order texts are first met.
    pub fn segment_with_ids(&mut self, text: &'t str) -> (Vec<Sentence>, Vec<usize>) {
        self.segment_with_ids_reading(text, |_| {})
    }

    /// [`Segmenter::segment_with_ids`], telling `read` the byte offset past each line of
    /// `text` once the line is split (or found met before), in order: what else reads a
    /// long text through reads each line while it is in cache.
    pub fn segment_with_ids_reading(
        &mut self,
        text: &'t str,
        read: impl FnMut(usize),
    ) -> (Vec<Sentence>, Vec<usize>) {
        // No more paragraphs than sentences: one allocation, as for the sentences.
        let mut ids = Vec::with_capacity(text.len() / 128 + 1);
        let sentences = self.segment_noting(text, |id| ids.push(id), read);
        (sentences, ids)
    }

    /// [`Segmenter::segment`], telling `note` each paragraph's id and `read` the byte
    /// offset past each line, in order.
    fn segment_noting(
        &mut self,
        text: &'t str,
        mut note: impl FnMut(usize),
        mut read: impl FnMut(usize),
    ) -> Vec<Sentence> {
        // News sentences average well over 100 bytes: one allocation in the usual case.
        let mut out = Vec::with_capacity(text.len() / 128 + 1);
        if self.seen.is_empty() {
            // A story's versions hold some hundred distinct paragraphs, of a sentence or
            // two, of up to a hundred words or so: room for them at once rather than by
            // doubling. A long text has room for a paragraph per 256 bytes (news
            // paragraphs run longer): a table of a hundred thousand paragraphs rehashed
            // through some ten doublings is read and written over again each time.
            self.seen.reserve((text.len() / 256).max(128));
            self.spans.reserve((text.len() / 128).max(256));
            self.words.reserve(128);
        }
        let mut paragraph = 0;
        let mut offset = 0;
        // Chars before `offset`: a paragraph met before adds the length it had then, so
        // only blank lines are counted again.
        let mut chars = 0;
        for line in lines_of(text) {
            let body = line.trim_end_matches(['\n', '\r']);
            // Blank when all whitespace: trimming one end tells, and the start of a
            // paragraph is the cheaper end (it is seldom a quotation mark).
            if body.trim_start().is_empty() {
                chars += line.chars().count();
            } else {
                let p = self.paragraph(body);
                note(p.id);
                out.extend(self.spans[p.from..p.to].iter().map(|s| Sentence {
                    text: body[s.byte_start..s.byte_end].to_string(),
                    start: chars + s.start,
                    end: chars + s.end,
                    byte_start: offset + s.byte_start,
                    byte_end: offset + s.byte_end,
                    paragraph,
                }));
                paragraph += 1;
                // The line break after the paragraph is ASCII: a char a byte.
                chars += p.chars + (line.len() - body.len());
            }
            offset += line.len();
            read(offset);
        }
        out
    }

    /// Paragraph `body`: its sentences (split now if it was not met before) and length.
    fn paragraph(&mut self, body: &'t str) -> Paragraph {
        if let Some(&p) = self.seen.get(body) {
            return p;
        }
        let from = self.spans.len();
        words_into(body, &mut self.words, &mut self.wide, &mut self.maybe_ends);
        let chars = split_paragraph(
            body,
            &self.words,
            &self.wide,
            &self.maybe_ends,
            &mut self.spans,
        );
        let p = Paragraph {
            id: self.seen.len(),
            from,
            to: self.spans.len(),
            chars,
        };
        self.seen.insert(body, p);
        p
    }
}

/// The lines of `text`, each with its line break, as `text.split_inclusive('\n')` gives
/// them; the breaks are found sixteen or more bytes at a time.
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|nl| nl + 1)
        .chain(std::iter::once(text.len()));
    let mut start = 0;
    // Only the last piece, after a final line break or of an empty text, can be empty.
    ends.filter_map(move |end| {
        let line = &text[start..end];
        start = end;
        (!line.is_empty()).then_some(line)
    })
}

/// Builds sentences from byte ranges given by the input, one paragraph each.
pub fn from_ranges(text: &str, ranges: &[(usize, usize)]) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(ranges.len());
    let mut cursor = Cursor::default();
    for (i, &(s, e)) in ranges.iter().enumerate() {
        push(text, s, e, i, &mut cursor, &mut out);
    }
    out
}

/// Converts increasing byte offsets to char offsets in linear total time.
#[derive(Default)]
struct Cursor {
    byte: usize,
    chars: usize,
}

impl Cursor {
    fn chars_at(&mut self, text: &str, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

fn push(
    text: &str,
    byte_start: usize,
    byte_end: usize,
    paragraph: usize,
    cursor: &mut Cursor,
    out: &mut Vec<Sentence>,
) {
    let slice = &text[byte_start..byte_end];
    let byte_start = byte_start + (slice.len() - slice.trim_start().len());
    let slice = slice.trim();
    if slice.is_empty() {
        return;
    }
    let byte_end = byte_start + slice.len();
    let start = cursor.chars_at(text, byte_start);
    let end = cursor.chars_at(text, byte_end);
    out.push(Sentence {
        text: slice.to_string(),
        start,
        end,
        byte_start,
        byte_end,
        paragraph,
    });
}

/// Splits paragraph `body`, given its words, its chunks with non-ASCII chars and the
/// words a sentence may end after (see [`words_into`]), onto `out`; returns its length
/// in chars.
fn split_paragraph(
    body: &str,
    words: &[Word],
    wide: &[WideChunk],
    maybe_ends: &[usize],
    out: &mut Vec<Span>,
) -> usize {
    let mut cursor = CharCursor {
        wide,
        next: 0,
        continuations: 0,
    };
    // Words hold no whitespace, so a span from a word's start to a word's end is trimmed.
    let mut push = |byte_start: usize, byte_end: usize| {
        let start = cursor.chars_at(byte_start);
        let end = cursor.chars_at(byte_end);
        out.push(Span {
            byte_start,
            byte_end,
            start,
            end,
        });
    };
    let list = list_style(body, words);
    let mut start = 0;
    let Some(style) = list else {
        // Only after the words [`is_boundary`]'s shortcut lets through can a sentence
        // end: the rules are asked about those alone, not every word, and not before a
        // word in lower case, which always continues the sentence.
        for &k in maybe_ends {
            if k + 1 < words.len()
                && !body.as_bytes()[words[k + 1].start].is_ascii_lowercase()
                && boundary_by_rules(body, words, k, start)
            {
                push(words[start].start, words[k].end);
                start = k + 1;
            }
        }
        if let Some(last) = words.last() {
            push(words[start].start, last.end);
        }
        return cursor.chars_at(body.len());
    };
    // The number (or letter) the next item should carry: one past the first marker's.
    let mut expected = marker_value(body, words, style).map(|v| v + 1);
    for k in 0..words.len().saturating_sub(1) {
        let boundary = if is_marker(body, words, k + 1, style, expected) {
            expected = expected.map(|e| e + 1);
            true
        } else {
            // An item's own marker (after its bullet, if any) never ends it.
            !is_item_marker(body, words, k, start) && is_boundary(body, words, k, start)
        };
        if boundary {
            push(words[start].start, words[k].end);
            start = k + 1;
        }
    }
    if let Some(last) = words.last() {
        push(words[start].start, last.end);
    }
    cursor.chars_at(body.len())
}

/// A chunk of a paragraph that holds non-ASCII chars, as [`words_into`] read it: where
/// it starts, and its continuation bytes (bit k for the chunk's byte k).
#[derive(Debug, Clone, Copy)]
struct WideChunk {
    start: usize,
    continuations: u32,
}

/// Converts increasing byte offsets of a paragraph to char offsets: the byte offset less
/// the continuation bytes before it, counted from the paragraph's wide chunks (ASCII
/// chunks have none), so that the text itself is never read again.
struct CharCursor<'a> {
    wide: &'a [WideChunk],
    /// The first chunk not wholly before the last offset asked for.
    next: usize,
    /// Continuation bytes in `wide[..next]`.
    continuations: usize,
}

impl CharCursor<'_> {
    fn chars_at(&mut self, byte: usize) -> usize {
        while let Some(c) = self.wide.get(self.next)
            && c.start + 16 <= byte
        {
            self.continuations += c.continuations.count_ones() as usize;
            self.next += 1;
        }
        let partial = match self.wide.get(self.next) {
            Some(c) if c.start < byte => {
                (c.continuations & ((1 << (byte - c.start)) - 1)).count_ones() as usize
            }
            _ => 0,
        };
        byte - self.continuations - partial
    }
}

/// Fills `out` with the whitespace-separated words of `body` (as `char::is_whitespace`
/// separates them). The text is read sixteen bytes at a time: one vector test marks the
/// chunk's ASCII whitespace and its non-ASCII bytes, and the words' starts and ends are
/// where the whitespace marks change. Only a non-ASCII character is decoded; the chunks
/// that hold one go to `wide`, in order, with their continuation bytes marked. The
/// words after which [`is_boundary`]'s shortcut asks the rules go to `maybe_ends`, in
/// order (see [`note_end`]).
fn words_into(
    body: &str,
    out: &mut Vec<Word>,
    wide: &mut Vec<WideChunk>,
    maybe_ends: &mut Vec<usize>,
) {
    out.clear();
    wide.clear();
    maybe_ends.clear();
    let bytes = body.as_bytes();
    let n = bytes.len();
    // Where the chunk begins: always at a char boundary.
    let mut i = 0;
    // Whether the byte before `i` is whitespace (the text's start counts as such).
    let mut after_space = true;
    // The start of the word whose end is not found yet, if any: at most one is open.
    let mut open = None;
    while i < n {
        let (mut space, mut high) = match bytes.get(i..i + 16) {
            Some(chunk) => chunk_marks(chunk.try_into().expect("sixteen bytes")),
            None if n >= 16 => {
                // The last chunk: the text's last sixteen bytes, their marks shifted so
                // that bit 0 is byte `i`, and the places past the end marked as spaces,
                // as padding would mark them (no copy into a padded chunk).
                let last = bytes[n - 16..].try_into().expect("sixteen bytes");
                let (space, high) = chunk_marks(last);
                let shift = 16 - (n - i);
                (
                    (space >> shift) | ((0xFFFF << (n - i)) & 0xFFFF),
                    high >> shift,
                )
            }
            None => {
                // The last chunk, padded with spaces: they end a word open at the end.
                let mut chunk = [b' '; 16];
                chunk[..n - i].copy_from_slice(&bytes[i..]);
                chunk_marks(&chunk)
            }
        };
        // How many of the chunk's bytes this step covers: all, unless a character runs
        // past its end, which is then left to the next step.
        let mut len = 16;
        let mut continuations = 0;
        while high != 0 {
            let at = high.trailing_zeros() as usize;
            let c = body[i + at..].chars().next().expect("a char starts here");
            let c_len = c.len_utf8();
            if at + c_len > 16 {
                len = at;
                break;
            }
            let bits = ((1u32 << c_len) - 1) << at;
            if c.is_whitespace() {
                space |= bits;
            }
            continuations |= bits & !(1 << at);
            high &= !bits;
        }
        if continuations != 0 {
            wide.push(WideChunk {
                start: i,
                continuations,
            });
        }
        let covered = (1u32 << len) - 1;
        // Bit k: byte k - 1 is whitespace (bit 0: the byte before the chunk).
        let before = space << 1 | u32::from(after_space);
        let mut starts = !space & before & covered;
        let mut ends = space & !before & covered;
        // Starts and ends alternate: each end closes the open word, or else the word of
        // the chunk's next start, and a word is pushed whole once its end is found.
        while ends != 0 {
            let end = i + ends.trailing_zeros() as usize;
            let start = open.take().unwrap_or_else(|| {
                let start = i + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                start
            });
            note_end(bytes, Word { start, end }, out.len(), maybe_ends);
            out.push(Word { start, end });
            ends &= ends - 1;
        }
        // A start left over opens a word that runs past the chunk.
        if starts != 0 {
            open = Some(i + starts.trailing_zeros() as usize);
        }
        after_space = space >> (len - 1) & 1 != 0;
        i += len;
    }
    if let Some(start) = open {
        note_end(bytes, Word { start, end: n }, out.len(), maybe_ends);
        out.push(Word { start, end: n });
    }
}

/// Notes word `k`, `w`, just closed, in `maybe_ends` when [`is_boundary`]'s shortcut would
/// ask the rules about it: its last byte is in [`MAY_END`]. A lone dot notes the word
/// before it too (the shortcut asks about a word a lone dot follows), so that every
/// word is noted at most once and in order.
#[inline(always)]
fn note_end(bytes: &[u8], w: Word, k: usize, maybe_ends: &mut Vec<usize>) {
    // Words are never empty.
    let last = bytes[w.end - 1];
    if MAY_END[usize::from(last)] {
        if last == b'.' && w.end - w.start == 1 && k > 0 && maybe_ends.last() != Some(&(k - 1)) {
            maybe_ends.push(k - 1);
        }
        maybe_ends.push(k);
    }
}

/// The marks of a sixteen-byte chunk (bit k for byte k): its ASCII whitespace (space,
/// and tab to carriage return as `char::is_whitespace` has them, the vertical tab
/// included), and its non-ASCII bytes.
#[inline]
fn chunk_marks(chunk: &[u8; 16]) -> (u32, u32) {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 target enables it, so
        // the feature `chunk_marks_sse2` is compiled for is always present.
        unsafe { chunk_marks_sse2(chunk) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    chunk_marks_bytewise(chunk)
}

/// [`chunk_marks`] with SSE2 compares: the marks are the compares' byte masks.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn chunk_marks_sse2(chunk: &[u8; 16]) -> (u32, u32) {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
        _mm_set1_epi8, _mm_sub_epi8,
    };
    let low = i64::from_le_bytes(chunk[..8].try_into().expect("eight bytes"));
    let high = i64::from_le_bytes(chunk[8..].try_into().expect("eight bytes"));
    let x = _mm_set_epi64x(high, low);
    let space = _mm_cmpeq_epi8(x, _mm_set1_epi8(b' ' as i8));
    // Tab to carriage return: the byte less 9 is at most 4 (unsigned, so bytes below 9
    // wrap above it).
    let d = _mm_sub_epi8(x, _mm_set1_epi8(9));
    let control = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(4)), d);
    let white = _mm_movemask_epi8(_mm_or_si128(space, control)) as u32;
    let non_ascii = _mm_movemask_epi8(x) as u32;
    (white & 0xFFFF, non_ascii & 0xFFFF)
}

/// [`chunk_marks`] a byte at a time: the reference the vector version is tested against,
/// and the version other targets use.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn chunk_marks_bytewise(chunk: &[u8; 16]) -> (u32, u32) {
    let mut marks = (0, 0);
    for (k, &b) in chunk.iter().enumerate() {
        marks.0 |= u32::from(matches!(b, b' ' | b'\t'..=b'\r')) << k;
        marks.1 |= u32::from(!b.is_ascii()) << k;
    }
    marks
}

fn word<'a>(body: &'a str, words: &[Word], k: usize) -> &'a str {
    &body[words[k].start..words[k].end]
}

/// The list style a paragraph opens with, if it opens with a list marker.
fn list_style(body: &str, words: &[Word]) -> Option<ListStyle> {
    if words.len() < 2 {
        return None;
    }
    let first = word(body, words, 0);
    if is_bullet(first) {
        return Some(ListStyle::Bullet);
    }
    let core = first.trim_start_matches(BULLETS);
    let (label, _) = split_marker(core)?;
    if label.chars().all(|c| c.is_ascii_digit()) {
        Some(ListStyle::Number)
    } else if label == "a" || label == "A" {
        Some(ListStyle::Letter)
    } else {
        None
    }
}

/// Splits a list marker word into its label and punctuation (`1.)` → (`1`, `.)`)).
fn split_marker(w: &str) -> Option<(&str, &str)> {
    // Every marker ends in `.` or `)`; most words (each paragraph's first is asked) do not.
    if !matches!(w.as_bytes().last(), Some(b'.' | b')')) {
        return None;
    }
    marker_parts(w)
}

/// [`split_marker`] without its first test: each punctuation tried in turn.
fn marker_parts(w: &str) -> Option<(&str, &str)> {
    for suffix in [".)", ")", "."] {
        if let Some(label) = w.strip_suffix(suffix) {
            let ok = (!label.is_empty()
                && label.len() <= 3
                && label.chars().all(|c| c.is_ascii_digit()))
                || (label.len() == 1 && label.chars().all(|c| c.is_ascii_alphabetic()));
            if ok {
                return Some((label, suffix));
            }
        }
    }
    None
}

fn is_bullet(w: &str) -> bool {
    w.chars().count() == 1 && w.starts_with(BULLETS)
}

/// Whether word `k` is the marker of the item that began at word `start`: the item's
/// first word, or the word after its lone bullet.
fn is_item_marker(body: &str, words: &[Word], k: usize, start: usize) -> bool {
    let at_start = k == start || (k == start + 1 && is_bullet(word(body, words, start)));
    at_start && split_marker(word(body, words, k).trim_start_matches(BULLETS)).is_some()
}

/// The number (letters count from 1) of a list paragraph's first marker.
fn marker_value(body: &str, words: &[Word], style: ListStyle) -> Option<u32> {
    let k = usize::from(is_bullet(word(body, words, 0)));
    let (label, _) =
        split_marker(word(body, words, k.min(words.len() - 1)).trim_start_matches(BULLETS))?;
    match style {
        ListStyle::Number => label.parse().ok(),
        ListStyle::Letter => label
            .chars()
            .next()
            .map(|c| u32::from(c.to_ascii_lowercase()) - u32::from('a') + 1),
        ListStyle::Bullet => None,
    }
}

/// Whether word `k` is a list marker of `style`, numbered `expected` when given.
fn is_marker(
    body: &str,
    words: &[Word],
    k: usize,
    style: ListStyle,
    expected: Option<u32>,
) -> bool {
    let w = word(body, words, k);
    match style {
        ListStyle::Bullet => is_bullet(w),
        ListStyle::Number | ListStyle::Letter => {
            let core = w.trim_start_matches(BULLETS);
            let Some((label, _)) = split_marker(core) else {
                // A bullet word before the marker (`• 10.`) also starts the item.
                return is_bullet(w)
                    && k + 1 < words.len()
                    && is_marker(body, words, k + 1, style, expected);
            };
            let value = match style {
                ListStyle::Number => label.parse::<u32>().ok(),
                _ => label
                    .chars()
                    .next()
                    .map(|c| u32::from(c.to_ascii_lowercase()) - u32::from('a') + 1),
            };
            match (value, expected) {
                (Some(v), Some(e)) => v == e,
                (Some(_), None) => true,
                (None, _) => false,
            }
        }
    }
}

/// Strips closing quotes and brackets from the end of a word.
fn strip_closers(w: &str) -> &str {
    // Most words end in ASCII that closes nothing: no search for the closers.
    match w.as_bytes().last() {
        Some(&b) if b.is_ascii() && !matches!(b, b'"' | b'\'' | b')' | b']' | b'}') => w,
        _ => w.trim_end_matches(CLOSERS),
    }
}

/// Strips opening quotes and brackets from the start of a word.
fn trim_openers(w: &str) -> &str {
    // Most words start in ASCII that opens nothing: no search for the openers.
    match w.as_bytes().first() {
        Some(&b) if b.is_ascii() && !matches!(b, b'"' | b'\'' | b'(' | b'[' | b'{') => w,
        _ => w.trim_start_matches(OPENERS),
    }
}

fn is_dot_word(w: &str) -> bool {
    w == "."
}

/// Whether the first letter of `w` (after opening marks) is lower case.
fn starts_lower(w: &str) -> bool {
    match w.as_bytes().first() {
        // An ASCII letter or digit opens nothing: its own case, without the trim.
        Some(b) if b.is_ascii_alphanumeric() => b.is_ascii_lowercase(),
        _ => trim_openers(w)
            .chars()
            .next()
            .is_some_and(char::is_lowercase),
    }
}

fn starts_upper_or_digit(w: &str) -> bool {
    trim_openers(w)
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// `w` without surrounding punctuation, to be lower-cased for list look-ups.
fn bare_cased(w: &str) -> &str {
    trim_openers(w).trim_end_matches(|c: char| !c.is_alphanumeric())
}

/// `w` lower-cased without surrounding punctuation, for list look-ups.
fn bare(w: &str) -> String {
    bare_cased(w).to_lowercase()
}

/// The lists (see [`listed`]) that `w`, bare and lower-cased, is on.
fn listed_bare(w: &str) -> u8 {
    listed_lower(bare_cased(w))
}

/// The lists (see [`listed`]) that `w` lower-cased is on.
fn listed_lower(w: &str) -> u8 {
    match packed_lower(w) {
        Some(packed) => packed_marks(packed),
        None => {
            let (mut buf, mut heap) = ([0; 24], String::new());
            listed(lowered(w, &mut buf, &mut heap))
        }
    }
}

/// `w` lower-cased and packed into a word when it is ASCII of at most eight bytes: byte
/// k of the word is byte k of `w`, and the high bit of its last byte is set, so that
/// words of different lengths differ (ASCII leaves every high bit free).
fn packed_lower(w: &str) -> Option<u64> {
    let b = w.as_bytes();
    let n = b.len();
    // Two reads that overlap unless the length is twice theirs: the overlap holds the
    // same bytes in both, so or-ing them is exact.
    let word = match n {
        // No list word is empty, and every other packing has a high bit set.
        0 => return Some(0),
        1 => u64::from(b[0]),
        2..=3 => {
            let low = u16::from_le_bytes([b[0], b[1]]);
            let high = u16::from_le_bytes([b[n - 2], b[n - 1]]);
            u64::from(low) | u64::from(high) << (8 * (n - 2))
        }
        4..=8 => {
            let low = u32::from_le_bytes(b[..4].try_into().expect("four bytes"));
            let high = u32::from_le_bytes(b[n - 4..].try_into().expect("four bytes"));
            u64::from(low) | u64::from(high) << (8 * (n - 4))
        }
        _ => return None,
    };
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    if word & HIGH != 0 {
        return None;
    }
    // A byte of 'A' (0x41) or more reaches the high bit when 0x3F is added, one past
    // 'Z' (0x5B) when 0x25 is; ASCII bytes carry nothing into their neighbours.
    let upper = word.wrapping_add(ONES * 0x3F) & !word.wrapping_add(ONES * 0x25) & HIGH;
    Some((word | upper >> 2) | 0x80 << (8 * (n - 1)))
}

/// [`listed`] for a word packed by [`packed_lower`].
fn packed_marks(packed: u64) -> u8 {
    static MARKS: OnceLock<FxHashMap<u64, u8>> = OnceLock::new();
    let marks = MARKS.get_or_init(|| {
        let mut marks = FxHashMap::default();
        for (list, mark) in MARKED {
            for &w in list {
                if let Some(packed) = packed_lower(w) {
                    *marks.entry(packed).or_insert(0) |= mark;
                }
            }
        }
        marks
    });
    marks.get(&packed).copied().unwrap_or(0)
}

fn is_starter(w: &str) -> bool {
    listed_bare(w) & STARTER != 0
}

/// Decides whether a sentence ends after word `k` (the sentence began at word `start`).
#[inline(always)]
fn is_boundary(body: &str, words: &[Word], k: usize, start: usize) -> bool {
    // Most words end in a letter, digit or comma: not a terminator, a closing mark or a
    // lone dot, so (unless dots follow) the rules let them continue the sentence.
    let bytes = body.as_bytes();
    if !MAY_END[usize::from(bytes[words[k].end - 1])] {
        // Words are never empty: a lone dot is one byte long.
        let next = words[k + 1];
        if next.end - next.start != 1 || bytes[next.start] != b'.' {
            return false;
        }
    }
    boundary_by_rules(body, words, k, start)
}

/// The last bytes of a word after which [`is_boundary`] asks the rules: a terminator, a
/// closing mark, or part of a non-ASCII char. One table look-up instead of a test each.
const MAY_END: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x80;
    while b < 256 {
        table[b] = true;
        b += 1;
    }
    let marks = b".!?\"')]}";
    let mut i = 0;
    while i < marks.len() {
        table[marks[i] as usize] = true;
        i += 1;
    }
    table
};

/// [`is_boundary`] without its shortcut: the rules of the module docs, in order.
#[inline(never)]
fn boundary_by_rules(body: &str, words: &[Word], k: usize, start: usize) -> bool {
    let w = word(body, words, k);
    let n = word(body, words, k + 1);

    // Spaced ellipses: `. . .` continues, `. . . .` ends before a capital.
    if is_dot_word(w) {
        let mut run = 1;
        while run <= k && is_dot_word(word(body, words, k - run)) {
            run += 1;
        }
        if is_dot_word(n) {
            return false;
        }
        return run >= 4 && starts_upper_or_digit(n);
    }
    if is_dot_word(n) {
        // `compounds. . . . The`: the sentence ends before a dot run led by a capital.
        let mut j = k + 1;
        while j < words.len() && is_dot_word(word(body, words, j)) {
            j += 1;
        }
        let run = j - (k + 1);
        let ends = strip_closers(w).ends_with('.') && !strip_closers(w).ends_with("..");
        return ends && run == 3 && j < words.len() && starts_upper_or_digit(word(body, words, j));
    }

    let core = strip_closers(w);
    let closed_quote = core.len() < w.len();
    let Some(last) = core.chars().last() else {
        return false;
    };
    if !matches!(last, '.' | '!' | '?' | '…' | '‽') {
        return false;
    }
    // Lower case continues; so does a following mark that is not a word, unless it
    // opens one. One test of the next word's first char, which is its first letter
    // when it opens nothing.
    let first = n.chars().next().expect("words are never empty");
    if (first.is_lowercase() || !first.is_alphanumeric()) && !is_opener(first) {
        return false;
    }

    // `“Will it work?” Kerry asked.` / `“It is over,” said Kerry.`
    if closed_quote && quote_then_speech_verb(body, words, k + 1) {
        return false;
    }

    if last != '.' {
        return true;
    }
    // Ellipses attached to the word: four dots end a sentence, three only before a
    // clear new start.
    if core.ends_with("...") || core.ends_with('…') {
        let dots = core.chars().rev().take_while(|&c| c == '.').count();
        return dots >= 4 || (dots == 3 || core.ends_with('…')) && is_starter(n) && bare(n) != "i";
    }

    let stem = &core[..core.len() - 1];
    let bare_stem = trim_openers(stem);
    // A quotation that closed after its period: the period ended the quoted sentence.
    if bare_stem.is_empty() || closed_quote {
        return true;
    }
    // Most sentences end in a word longer than any abbreviation: no lower-casing and
    // look-up for those.
    if past_the_lists(bare_stem) {
        return true;
    }
    let (mut buf, mut heap) = ([0; 24], String::new());
    // The stem lower-cased, or as it is when it is short ASCII (looked up packed): the
    // tests of `key` below do not tell ASCII cases apart.
    let (key, marks) = match packed_lower(bare_stem) {
        Some(packed) => (bare_stem, packed_marks(packed)),
        None => {
            let key = lowered(bare_stem, &mut buf, &mut heap);
            (key, listed(key))
        }
    };
    if marks & TITLE != 0 {
        return false;
    }
    if marks & BEFORE_NUMBER != 0 && n.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    if marks & STATE != 0
        && stem.starts_with(char::is_uppercase)
        && n.starts_with(['(', '-', '\u{2014}', '\u{2013}'])
    {
        return false;
    }
    // Few stems hold a dot: no call for the others.
    let initialism = key.bytes().any(|b| b == b'.') && is_initialism(key);
    if key.eq_ignore_ascii_case("a.m") || key.eq_ignore_ascii_case("p.m") {
        let intro = k - start < 4 && !starts_lower(word(body, words, start));
        return !intro
            && listed_bare(n) & DAY_OR_MONTH == 0
            && starts_upper_or_digit(n)
            && !n.starts_with(|c: char| c.is_ascii_digit());
    }
    if marks & ABBREVIATION != 0 || initialism {
        return is_starter(n);
    }
    // A single capital: an initial (`John F. Kennedy`), except the pronoun `I` before a
    // sentence opener (`you and I. Did you`).
    let mut chars = key.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_alphabetic()
    {
        return key.eq_ignore_ascii_case("i") && is_starter(n);
    }
    true
}

/// The most chars of a word on the lists a period after a word is looked up on
/// (titles, abbreviations, states and those before numbers).
const LONGEST_ABBREVIATION: usize = 6;

/// Whether `stem`, a word before its period, is ASCII without dots and longer than
/// [`LONGEST_ABBREVIATION`]: lower-cased, it is on none of those lists, and it is neither
/// an initialism nor an initial, so [`boundary_by_rules`] ends the sentence after it.
fn past_the_lists(stem: &str) -> bool {
    stem.len() > LONGEST_ABBREVIATION && stem.bytes().all(|b| b.is_ascii() && b != b'.')
}

/// Whether `c` is one of the [`OPENERS`].
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201C}' | '\u{2018}' | '(' | '[' | '{' | '\u{00AB}'
    )
}

/// `u.s`, `e.u`, `u.s.a`, `j.r.r`: single letters joined by dots.
fn is_initialism(key: &str) -> bool {
    // Keys are short: a plain loop, not the searcher `contains` sets up.
    key.bytes().any(|b| b == b'.')
        && key
            .split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
}

/// Whether the words from `k` are a speaker followed by a speech verb: `Kerry asked`,
/// `said Kerry`, `Secretary of State John Kerry said`, `the minister said`.
fn quote_then_speech_verb(body: &str, words: &[Word], k: usize) -> bool {
    for j in k..(k + 6).min(words.len()) {
        let w = word(body, words, j);
        let b = bare_cased(w);
        let marks = listed_lower(b);
        if marks & SPEECH_VERB != 0 {
            return true;
        }
        let name_like = w.starts_with(char::is_uppercase) || {
            let (mut buf, mut heap) = ([0; 24], String::new());
            let b = lowered(b, &mut buf, &mut heap);
            matches!(b, "of" | "the" | "de" | "al" | "van" | "von")
        };
        if !name_like
            || (j > k
                && w.trim_end_matches(CLOSERS).ends_with(['.', '!', '?'])
                && marks & TITLE == 0)
        {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(s: &str) -> Vec<String> {
        segment(s).into_iter().map(|x| x.text).collect()
    }

    #[test]
    fn paragraph_ids_follow_paragraph_texts() {
        let mut segmenter = Segmenter::default();
        let (sentences, ids) = segmenter.segment_with_ids("A. B.\n\nC.\nA. B.\n");
        assert_eq!(sentences, segment("A. B.\n\nC.\nA. B.\n"));
        assert_eq!(ids, vec![0, 1, 0]);
        let (_, ids) = segmenter.segment_with_ids("C.\nD. E.\nA. B.");
        assert_eq!(ids, vec![1, 2, 0]);
    }

    #[test]
    fn news_abbreviations_do_not_split() {
        for s in [
            "U.S. Secretary of State John Kerry said at 5 p.m. Friday that talks went on.",
            "Sen. Maria Ortiz and Gov. Tom Reyes met in St. Louis on Jan. 5 with Dr. Ann Lee.",
            "The U.S.-Russian plan costs $3.5 billion, or 2.5% of the budget.",
            "John F. Kennedy visited Pitt, Briggs & Co. at noon.",
            "He lives at No. 10 and was born in Sept. 1970.",
        ] {
            assert_eq!(texts(s), vec![s.to_string()], "{s}");
        }
    }

    #[test]
    fn regression_state_abbreviation_in_a_dateline_does_not_split() {
        let s = "MADISON, Wis. (Reuters) - The Senate approved the budget on Thursday.";
        assert_eq!(texts(s), vec![s.to_string()]);
        assert_eq!(
            texts("He moved to Portland, Ore. It rained every day."),
            vec!["He moved to Portland, Ore.", "It rained every day."]
        );
    }

    #[test]
    fn ordinary_sentences_split() {
        assert_eq!(
            texts("The talks ended. Both sides left! Was it over? Nobody knew."),
            vec![
                "The talks ended.",
                "Both sides left!",
                "Was it over?",
                "Nobody knew."
            ]
        );
    }

    #[test]
    fn abbreviation_at_the_end_of_a_sentence_splits_before_an_opener() {
        assert_eq!(
            texts("I have lived in the U.S. How about you?"),
            vec!["I have lived in the U.S.", "How about you?"]
        );
        assert_eq!(
            texts("The deal went to Briggs & Co. It closed Friday."),
            vec!["The deal went to Briggs & Co.", "It closed Friday."]
        );
    }

    #[test]
    fn quote_then_speaker_and_verb_stays_whole() {
        for s in [
            "“Will it work?” Kerry asked.",
            "“It is over!” Secretary of State John Kerry said on Friday.",
            "“The results will not be tomorrow,” Kerry said.",
            "“We are ready.” she said.",
        ] {
            assert_eq!(texts(s), vec![s.to_string()], "{s}");
        }
        assert_eq!(
            texts("“We are ready.” The minister then left the room."),
            vec!["“We are ready.”", "The minister then left the room."]
        );
    }

    #[test]
    fn dateline_and_headline_lines() {
        let s = "Talks Stall in Moscow\nMOSCOW (AP) — The talks stalled. Officials left.\n";
        assert_eq!(
            texts(s),
            vec![
                "Talks Stall in Moscow",
                "MOSCOW (AP) — The talks stalled.",
                "Officials left."
            ]
        );
        let p: Vec<usize> = segment(s).iter().map(|x| x.paragraph).collect();
        assert_eq!(p, vec![0, 1, 1]);
    }

    #[test]
    fn a_m_after_an_opening_phrase_continues_but_ends_a_long_clause() {
        assert_eq!(
            texts(
                "At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went to the store."
            ),
            vec![
                "At 5 a.m. Mr. Smith went to the bank.",
                "He left the bank at 6 P.M.",
                "Mr. Smith then went to the store."
            ]
        );
    }

    #[test]
    fn numbered_and_lettered_lists() {
        assert_eq!(
            texts("1. The first item 2. The second item"),
            vec!["1. The first item", "2. The second item"]
        );
        assert_eq!(
            texts("a. One thing b. Another thing"),
            vec!["a. One thing", "b. Another thing"]
        );
    }

    #[test]
    fn offsets_count_chars() {
        let s = "Ça va. “Oui,” dit-il.";
        let got = segment(s);
        assert_eq!(got[0].start, 0);
        assert_eq!(got[0].end, 6);
        assert_eq!(got[1].start, 7);
        assert_eq!(got[1].end, s.chars().count());
    }

    /// Words as `char::is_whitespace` splits them, decoding every character.
    fn words_by_chars(body: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in body.char_indices() {
            if c.is_whitespace() {
                if let Some(s) = start.take() {
                    out.push((s, i));
                }
            } else if start.is_none() {
                start = Some(i);
            }
        }
        out.extend(start.map(|s| (s, body.len())));
        out
    }

    fn word_spans(body: &str) -> Vec<(usize, usize)> {
        let mut words = Vec::new();
        words_into(body, &mut words, &mut Vec::new(), &mut Vec::new());
        words.iter().map(|w| (w.start, w.end)).collect()
    }

    /// Paragraphs that put every kind of word end and separator next to each other.
    const TRICKY: &[&str] = &[
        "U.S. officials said. . . The talks. . . . Then “Will it work?” Kerry asked.",
        "Ça va.\u{A0}Très bien!\u{2003}Dr.\u{3000}No? He said… Then‽ Yes.\u{2028}Go.",
        "\u{212A}elvin İstanbul (AP) — “Quote.” ‘Another.’ «Fin.» [Note.] {x.} “Yes!” she said.",
        "Tab\there.\x0BVertical tab.\x0CForm feed.\x01Control\x7F.\u{85}Next line. \u{200B}Zero width. \u{FEFF}BOM.",
        "1. The first item 2. The second item • Third. a.m. p.m. 5 P.M. Friday. No. 10. p. 5.",
        "compounds. . . . The end.... New start... And then. . . She left.",
    ];

    #[test]
    fn words_match_a_char_by_char_split() {
        for body in TRICKY {
            assert_eq!(word_spans(body), words_by_chars(body), "{body:?}");
        }
    }

    #[test]
    fn the_boundary_shortcut_agrees_with_the_rules() {
        for body in TRICKY {
            let mut words = Vec::new();
            words_into(body, &mut words, &mut Vec::new(), &mut Vec::new());
            for k in 0..words.len() - 1 {
                for start in 0..=k {
                    assert_eq!(
                        is_boundary(body, &words, k, start),
                        boundary_by_rules(body, &words, k, start),
                        "{body:?} after word {k}"
                    );
                }
            }
        }
    }

    /// `segment` without its cache: each line split on its own, every offset counted
    /// afresh from the start of the text.
    fn uncached(text: &str) -> Vec<Sentence> {
        let mut out = Vec::new();
        let mut offset = 0;
        let mut paragraph = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            let (mut words, mut wide) = (Vec::new(), Vec::new());
            words_into(body, &mut words, &mut wide, &mut Vec::new());
            if !words.is_empty() {
                let mut spans = Vec::new();
                // The rules asked after every word, not only those the shortcut lets
                // through.
                let every: Vec<usize> = (0..words.len()).collect();
                split_paragraph(body, &words, &wide, &every, &mut spans);
                for s in spans {
                    let (byte_start, byte_end) = (offset + s.byte_start, offset + s.byte_end);
                    out.push(Sentence {
                        text: text[byte_start..byte_end].to_string(),
                        start: text[..byte_start].chars().count(),
                        end: text[..byte_end].chars().count(),
                        byte_start,
                        byte_end,
                        paragraph,
                    });
                }
                paragraph += 1;
            }
            offset += line.len();
        }
        out
    }

    /// Paragraphs for versions to share: non-ASCII, lists, several sentences, and the
    /// same words with leading and trailing whitespace (a different paragraph text).
    const SHARED: &[&str] = &[
        "Ça va. Très bien! “Oui,” dit-il.",
        "MOSCOW (AP) — The talks stalled. Officials left.",
        "1. The first item 2. The second item",
        "  Ça va. Très bien! “Oui,” dit-il.\t",
        "İstanbul… Then‽ Yes.\u{2028}Go.",
        "One sentence only",
    ];

    #[test]
    fn a_segmenter_gives_each_text_what_segmenting_it_alone_gives() {
        let [a, b, c, d, e, f] = SHARED else {
            unreachable!()
        };
        let versions = [
            // A paragraph at the very start and end, one repeated within the text.
            format!("{a}\n{b}\n\n{a}\n{c}"),
            // Blank and whitespace lines first, a CRLF break, a final break.
            format!("\n  \n{b}\r\n{a}\n{e}\n"),
            // The only paragraph, without a break.
            a.to_string(),
            format!("{d}\n{f}\n\n\n{c}\n{b}\n{f}"),
            String::new(),
            "\n \n".to_string(),
        ];
        let mut segmenter = Segmenter::default();
        // Both ways round, so that every paragraph is met both first and again.
        for text in versions.iter().chain(versions.iter().rev()) {
            assert_eq!(segmenter.segment(text), uncached(text), "{text:?}");
        }
        assert_eq!(
            segmenter.seen.len(),
            SHARED.len(),
            "each paragraph split once"
        );
    }

    #[test]
    fn no_word_a_period_is_looked_up_for_is_past_the_longest() {
        for list in [TITLES, ABBREVIATIONS, STATES, BEFORE_NUMBERS] {
            for w in list {
                assert!(w.chars().count() <= LONGEST_ABBREVIATION, "{w}");
            }
        }
    }

    #[test]
    fn listed_marks_exactly_the_lists_a_word_is_on() {
        let all = MARKED.iter().flat_map(|(list, _)| list.iter().copied());
        let others = ["", "mrx", "m", "said.", "Mr", "n", "u.s.a", "ill", "the "];
        for w in all.chain(others) {
            for (list, mark) in MARKED {
                assert_eq!(listed(w) & mark != 0, list.contains(&w), "{w:?} {mark}");
            }
        }
    }

    proptest! {
        #[test]
        fn a_segmenter_gives_any_versions_what_segmenting_each_alone_gives(
            versions in prop::collection::vec(
                prop::collection::vec(
                    (
                        prop::sample::select(TRICKY.iter().chain(SHARED).copied().collect::<Vec<_>>()),
                        prop::sample::select(vec!["", "\n", "\r\n", "\n\n", "\n \t\n", " "]),
                    ),
                    0..8,
                ),
                1..6,
            )
        ) {
            let texts: Vec<String> = versions
                .iter()
                .map(|parts| parts.iter().flat_map(|&(p, sep)| [p, sep]).collect())
                .collect();
            let mut segmenter = Segmenter::default();
            for text in &texts {
                prop_assert_eq!(segmenter.segment(text), uncached(text));
            }
        }

        #[test]
        fn lines_of_splits_as_split_inclusive_does(
            parts in prop::collection::vec(
                prop::sample::select(vec!["", "\n", "\r\n", "a", "Ça va.", " ", "\n\n"]),
                0..12,
            )
        ) {
            let text = parts.concat();
            prop_assert_eq!(
                lines_of(&text).collect::<Vec<_>>(),
                text.split_inclusive('\n').collect::<Vec<_>>()
            );
        }

        #[test]
        fn chunk_marks_are_the_bytewise_marks(chunk in prop::array::uniform16(prop_oneof![
            Just(b' '), 8u8..15, 0x1Fu8..0x22, Just(0x7F), Just(0x80), Just(0x89), Just(0x8D),
            Just(0xA0), Just(0xE2), any::<u8>(),
        ])) {
            prop_assert_eq!(chunk_marks(&chunk), chunk_marks_bytewise(&chunk));
        }

        #[test]
        fn char_offsets_from_wide_chunks_count_the_chars(
            s in "([a-z.”’—]{0,14}[ \u{A0}\u{2003}\u{3000}é😀ß]{1,3}){0,24}",
            step in 1usize..8,
        ) {
            let (mut words, mut wide) = (Vec::new(), Vec::new());
            words_into(&s, &mut words, &mut wide, &mut Vec::new());
            let mut cursor = CharCursor { wide: &wide, next: 0, continuations: 0 };
            let boundaries = (0..=s.len()).filter(|&b| s.is_char_boundary(b));
            for b in boundaries.step_by(step) {
                prop_assert_eq!(cursor.chars_at(b), s[..b].chars().count(), "at byte {}", b);
            }
        }

        #[test]
        fn words_match_a_char_by_char_split_on_long_text(
            s in "([a-z.”’—]{0,14}[ \t\n\u{85}\u{A0}\u{1680}\u{2003}\u{2028}\u{202F}\u{3000}\u{200B}é😀]{1,3}){0,24}"
        ) {
            prop_assert_eq!(word_spans(&s), words_by_chars(&s));
        }

        #[test]
        fn lowered_is_to_lowercase(s in "[a-zA-Z.İ\u{212A}ẞÉ°]{0,30}") {
            let (mut buf, mut heap) = ([0; 24], String::new());
            prop_assert_eq!(lowered(&s, &mut buf, &mut heap), s.to_lowercase());
        }

        #[test]
        fn word_tests_agree_with_their_general_forms(w in "[\"'“(\\[a-zA-Z0-9.)é•É]{0,5}") {
            prop_assert_eq!(
                starts_lower(&w),
                trim_openers(&w).chars().next().is_some_and(char::is_lowercase)
            );
            prop_assert_eq!(split_marker(&w), marker_parts(&w));
            prop_assert_eq!(is_initialism(&w), w.contains('.') && w.split('.').all(|p| {
                p.chars().count() == 1 && p.chars().all(char::is_alphabetic)
            }));
        }

        #[test]
        fn packed_look_ups_are_look_ups_of_the_lower_case(
            w in "[a-zA-Z.\u{0}°é]{0,9}|(?i:mr|sen|said|a\\.m|n°|however|u\\.s|told|jan)"
        ) {
            prop_assert_eq!(listed_lower(&w), listed(&w.to_lowercase()));
            if let Some(packed) = packed_lower(&w) {
                prop_assert!(w.is_ascii() && w.len() <= 8);
                prop_assert_eq!(packed_marks(packed), listed(&w.to_lowercase()));
            }
        }

        #[test]
        fn packing_tells_words_apart(a in "[a-zA-Z.\u{0}]{0,8}", b in "[a-zA-Z.\u{0}]{0,8}") {
            prop_assert_eq!(
                packed_lower(&a) == packed_lower(&b),
                a.to_lowercase() == b.to_lowercase()
            );
        }

        #[test]
        fn a_word_past_the_lists_ends_a_sentence(
            stem in "[\"'“(]{0,2}[a-zA-Z0-9.é'İ\u{212A}]{0,10}"
        ) {
            let bare_stem = trim_openers(&stem);
            if past_the_lists(bare_stem) {
                let key = bare_stem.to_lowercase();
                let lists = TITLE | ABBREVIATION | STATE | BEFORE_NUMBER;
                prop_assert_eq!(listed(&key) & lists, 0);
                prop_assert!(!is_initialism(&key) && key != "a.m" && key != "p.m");
                prop_assert!(key.chars().count() != 1);
                let text = format!("Then {stem}. Ah it");
                prop_assert_eq!(segment(&text).len(), 2, "{:?}", text);
            }
        }

        #[test]
        fn the_first_char_test_agrees_with_the_openers_and_case(
            n in "[\"'“‘(\\[{«”’)a-zA-Z0-9.éÉ•-]{1,3}"
        ) {
            let first = n.chars().next().expect("not empty");
            let old = (starts_lower(&n)
                || !trim_openers(&n).starts_with(|c: char| c.is_alphanumeric()))
                && !n.starts_with(OPENERS);
            prop_assert_eq!(
                (first.is_lowercase() || !first.is_alphanumeric()) && !is_opener(first),
                old
            );
            prop_assert_eq!(is_opener(first), OPENERS.contains(&first));
        }

        #[test]
        fn trimming_marks_agrees_with_a_full_trim(w in "[\"'“‘(\\[{«”’)\\]}»a.é]{0,6}") {
            prop_assert_eq!(trim_openers(&w), w.trim_start_matches(OPENERS));
            prop_assert_eq!(strip_closers(&w), w.trim_end_matches(CLOSERS));
        }

        #[test]
        fn words_match_a_char_by_char_split_on_any_text(
            s in "(\\PC|[\x01\x1F\x7F \t\x0B\x0C\r\u{85}\u{A0}\u{2028}\u{3000}\u{200B}.!?”’)])*"
        ) {
            prop_assert_eq!(word_spans(&s), words_by_chars(&s));
        }

        #[test]
        fn maybe_ends_are_the_words_the_shortcut_lets_through(
            s in "([a-zA-Z0-9,;:…‽é]{1,4}[.!?”’\"')\\]}]{0,2}[ \u{A0}]{1,2}|\\. ){0,30}"
        ) {
            let (mut words, mut maybe_ends) = (Vec::new(), Vec::new());
            words_into(&s, &mut words, &mut Vec::new(), &mut maybe_ends);
            let lone_dot = |k: usize| words.get(k).is_some_and(|w| &s[w.start..w.end] == ".");
            let want: Vec<usize> = (0..words.len())
                .filter(|&k| MAY_END[usize::from(s.as_bytes()[words[k].end - 1])] || lone_dot(k + 1))
                .collect();
            prop_assert_eq!(&maybe_ends, &want);
            prop_assert_eq!(segment(&s), uncached(&s));
        }

        #[test]
        fn the_boundary_shortcut_agrees_with_the_rules_on_any_text(
            s in "([a-zA-Z0-9,;:İ\u{212A}…‽]{1,4}[.!?”’\"')\\]}]{0,2}[ \u{A0}])*"
        ) {
            let mut words = Vec::new();
            words_into(&s, &mut words, &mut Vec::new(), &mut Vec::new());
            for k in 0..words.len().saturating_sub(1) {
                prop_assert_eq!(
                    is_boundary(&s, &words, k, 0),
                    boundary_by_rules(&s, &words, k, 0)
                );
            }
        }

        #[test]
        fn no_sentence_ends_before_a_word_in_lower_case(
            s in "([a-zA-Z0-9,;:İ…‽“(]{1,4}[.!?”’\"')\\]}]{0,2}[ \u{A0}]|\\. )*"
        ) {
            let mut words = Vec::new();
            words_into(&s, &mut words, &mut Vec::new(), &mut Vec::new());
            for k in 0..words.len().saturating_sub(1) {
                if s.as_bytes()[words[k + 1].start].is_ascii_lowercase() {
                    for start in 0..=k {
                        prop_assert!(!boundary_by_rules(&s, &words, k, start));
                    }
                }
            }
        }

        #[test]
        fn sentences_rejoin_to_the_input(s in "(\\PC|[ .!?\n“”\"])*") {
            let got = segment(&s);
            let mut last_byte = 0;
            let mut last_char = 0;
            for x in &got {
                prop_assert!(x.byte_start >= last_byte);
                prop_assert!(x.byte_end > x.byte_start);
                prop_assert_eq!(&s[x.byte_start..x.byte_end], x.text.as_str());
                prop_assert_eq!(x.text.trim(), x.text.as_str());
                prop_assert!(s[last_byte..x.byte_start].trim().is_empty());
                prop_assert_eq!(x.start, s[..x.byte_start].chars().count());
                prop_assert_eq!(x.end, s[..x.byte_end].chars().count());
                prop_assert!(x.start >= last_char);
                last_byte = x.byte_end;
                last_char = x.end;
            }
            prop_assert!(s[last_byte..].trim().is_empty());
        }
    }
}
