//! Boilerplate: the parts of wire copy that say who wrote, filed and owns a story rather
//! than what happened. Datelines (`MOSCOW (AP) —`), bylines (`By Jane Doe`), credit and
//! contribution lines (`... contributed to this report.`, `Reporting by ...; Editing by
//! ...`), copyright lines, end marks (`-30-`, `###`, `(END)`), photo captions,
//! "Read more" or sign-up lines and pasted time stamps (`Updated 3:45 p.m. ET`).
//!
//! [`split`] takes a version's sentences and returns those that carry claims, plus the
//! boilerplate found. A dateline is cut off the front of its sentence (the rest of the
//! sentence stays a claim); every other kind is a whole paragraph. Offsets of the items
//! refer to the document text, as sentence offsets do. Detection is English and
//! deliberately narrow: a line is boilerplate only when its shape says so, because a claim
//! lost to this filter would never be compared.

use std::sync::OnceLock;

use memchr::memmem;
use rustc_hash::FxHashMap;

use crate::segment::Sentence;

/// Whether `s` starts with any of the phrases: each compared at a length known when
/// compiling, which a loop over a list of them is not, and only if its first byte is
/// the first byte of `s` (a compare of one byte rules out nearly every phrase).
macro_rules! starts_with_any {
    ($s:expr, [$($p:literal),* $(,)?]) => {{
        let s: &str = $s;
        let first = s.as_bytes().first().copied();
        $((first == Some($p.as_bytes()[0]) && s.starts_with($p)))||*
    }};
}

/// What a piece of boilerplate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Place (and agency) at the head of the first paragraph: `ROTTERDAM (AP) —`.
    Dateline,
    /// `By Jane Doe, Associated Press`.
    Byline,
    /// Contribution and editing credits: `Reporting by ...`, `... contributed to this report.`
    Credit,
    /// `© 2026 The Associated Press. All rights reserved.`
    Copyright,
    /// `-30-`, `###`, `(END)`.
    EndMark,
    /// A photo caption: `... (AP Photo/Jane Doe)`, `FILE - ...`, `Photo: ...`.
    Caption,
    /// `Read more: ...`, `Related: ...`, `Sign up for ...`, `Advertisement`.
    ReadMore,
    /// A page's time stamp pasted with the text: `Updated 3:45 p.m. ET, March 3, 2026`,
    /// `59 minutes ago`.
    Timestamp,
}

impl Kind {
    /// The snake-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Dateline => "dateline",
            Kind::Byline => "byline",
            Kind::Credit => "credit",
            Kind::Copyright => "copyright",
            Kind::EndMark => "end_mark",
            Kind::Caption => "caption",
            Kind::ReadMore => "read_more",
            Kind::Timestamp => "timestamp",
        }
    }
}

/// One piece of boilerplate found in a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boilerplate {
    /// What it is.
    pub kind: Kind,
    /// Its text, as in the input (a dateline without the dash after it).
    pub text: String,
    /// Start offset in chars into the document text.
    pub start: usize,
    /// End offset in chars, exclusive.
    pub end: usize,
    /// For a dateline, the agency in its brackets (`AP`, `Reuters`), if any.
    pub agency: Option<String>,
}

/// The dateline opens the story's first paragraph of running text: paragraphs before it
/// (a headline, a standfirst, page furniture) are short and do not end like sentences. A
/// paragraph of this many words, or one ending like a sentence, is running text.
const LEAD_WORDS: usize = 15;
/// Paragraphs from the top that may still hold the dateline, whatever their length.
const DATELINE_PARAGRAPHS: usize = 10;

/// Splits boilerplate off a version's sentences: returns the sentences that carry claims
/// (a dateline trimmed off its sentence) and the boilerplate in document order. With
/// `keep`, nothing is removed or trimmed and the boilerplate is still reported. To split
/// several versions of one story, use a [`Splitter`].
pub fn split(sentences: Vec<Sentence>, keep: bool) -> (Vec<Sentence>, Vec<Boilerplate>) {
    Splitter::default().split(sentences, keep)
}

/// Splits boilerplate off versions that share paragraphs, such as those of one story: a
/// paragraph met before takes the kind found for it then instead of being classified
/// again. Whether a paragraph is boilerplate, and of which kind, depends on its text
/// alone, so every version gets what [`split`] gives it.
#[derive(Default)]
pub struct Splitter {
    /// Paragraph text (its sentences joined by spaces) → its kind, if boilerplate.
    kinds: FxHashMap<Box<str>, Option<Kind>>,
    /// Reused for every paragraph: its text lower-cased.
    lower: String,
    /// Paragraph id (see [`Splitter::split_known`]) → its kind, if found yet.
    by_id: Vec<Option<Option<Kind>>>,
}

impl Splitter {
    /// Splits boilerplate off a version's sentences, as [`split`] does.
    pub fn split(
        &mut self,
        sentences: Vec<Sentence>,
        keep: bool,
    ) -> (Vec<Sentence>, Vec<Boilerplate>) {
        self.split_by(sentences, keep, |splitter, _, group, joined| {
            let text = paragraph_text(group, joined);
            if let Some(&kind) = splitter.kinds.get(text) {
                return kind;
            }
            let kind = paragraph_kind(text, &mut splitter.lower);
            splitter.kinds.insert(text.into(), kind);
            kind
        })
    }

    /// [`Splitter::split`] for sentences whose paragraph `p` has id `ids[p]`, as
    /// [`crate::segment::Segmenter::segment_with_ids`] gives them: a paragraph's kind is
    /// found by its id (paragraphs of one id have the same text, so the same kind)
    /// rather than by hashing its text. Use one segmenter's ids with one splitter.
    pub fn split_known(
        &mut self,
        sentences: Vec<Sentence>,
        ids: &[usize],
        keep: bool,
    ) -> (Vec<Sentence>, Vec<Boilerplate>) {
        self.split_by(sentences, keep, |splitter, p, group, joined| {
            let id = ids[p];
            if let Some(&Some(kind)) = splitter.by_id.get(id) {
                return kind;
            }
            let kind = paragraph_kind(paragraph_text(group, joined), &mut splitter.lower);
            if splitter.by_id.len() <= id {
                splitter.by_id.resize(id + 1, None);
            }
            splitter.by_id[id] = Some(kind);
            kind
        })
    }

    /// [`Splitter::split`], the kind of paragraph `p` given by `kind_of(self, p, its
    /// sentences, a buffer for their join)` (the paragraph's text is joined only when
    /// needed: see [`paragraph_text`]).
    fn split_by(
        &mut self,
        mut sentences: Vec<Sentence>,
        keep: bool,
        mut kind_of: impl FnMut(&mut Self, usize, &[Sentence], &mut String) -> Option<Kind>,
    ) -> (Vec<Sentence>, Vec<Boilerplate>) {
        if self.kinds.is_empty() {
            // A story's versions hold some hundred distinct paragraphs: room for them
            // at once rather than by doubling.
            self.kinds.reserve(128);
        }
        let mut found = Vec::new();
        // Kept sentences move down to `kept` in place (as `Vec::retain` moves them); those
        // of removed paragraphs end up past it and are dropped at the end.
        let mut kept = 0;
        let mut dateline_found = false;
        let mut body_paragraphs = 0;
        let mut past_lead = false;
        // Reused for every paragraph: its sentences joined.
        let mut joined = String::new();
        let mut i = 0;
        while i < sentences.len() {
            let para = sentences[i].paragraph;
            let j = sentences[i..]
                .iter()
                .position(|s| s.paragraph != para)
                .map_or(sentences.len(), |k| i + k);
            let group = &sentences[i..j];
            if let Some(kind) = kind_of(self, para, group, &mut joined) {
                found.push(Boilerplate {
                    kind,
                    text: paragraph_text(group, &mut joined).to_string(),
                    start: group[0].start,
                    end: group[group.len() - 1].end,
                    agency: None,
                });
                if keep {
                    keep_range(&mut sentences, &mut kept, i..j);
                }
                i = j;
                continue;
            }
            body_paragraphs += 1;
            let candidate_paragraph =
                !dateline_found && !past_lead && body_paragraphs <= DATELINE_PARAGRAPHS;
            if !past_lead {
                let last = group[group.len() - 1].text.trim_end();
                past_lead = group
                    .iter()
                    .flat_map(|s| s.text.split_whitespace())
                    .take(LEAD_WORDS)
                    .count()
                    >= LEAD_WORDS
                    || last
                        .trim_end_matches(['"', '\u{201D}', '\'', '\u{2019}'])
                        .ends_with(['.', '!', '?']);
            }
            let s = &mut sentences[i];
            if candidate_paragraph && let Some(d) = dateline(&s.text) {
                dateline_found = true;
                let prefix_chars = s.text[..d.cut].chars().count();
                found.push(Boilerplate {
                    kind: Kind::Dateline,
                    text: s.text[..d.len].to_string(),
                    start: s.start,
                    end: s.start + s.text[..d.len].chars().count(),
                    agency: d.agency,
                });
                if !keep {
                    s.text.drain(..d.cut);
                    s.start += prefix_chars;
                    s.byte_start += d.cut;
                }
            }
            keep_range(&mut sentences, &mut kept, i..j);
            i = j;
        }
        sentences.truncate(kept);
        (sentences, found)
    }
}

/// Moves the sentences of `range` (at or after `kept`) down to `kept` and on.
fn keep_range(sentences: &mut [Sentence], kept: &mut usize, range: std::ops::Range<usize>) {
    for k in range {
        sentences.swap(*kept, k);
        *kept += 1;
    }
}

/// A paragraph's sentences joined by single spaces; `buf` holds the join when there are
/// several.
fn paragraph_text<'a>(group: &'a [Sentence], buf: &'a mut String) -> &'a str {
    if let [one] = group {
        return &one.text;
    }
    buf.clear();
    buf.reserve(group.iter().map(|s| s.text.len() + 1).sum());
    for (k, s) in group.iter().enumerate() {
        if k > 0 {
            buf.push(' ');
        }
        buf.push_str(&s.text);
    }
    buf
}

/// A dateline found at the head of a sentence.
struct Dateline {
    /// Bytes of the dateline itself (place, date, agency).
    len: usize,
    /// Bytes to cut: the dateline, its dash or colon and the space after.
    cut: usize,
    agency: Option<String>,
}

/// `PLACE[, Region][, Month Day] [(AGENCY)] — ` or `PLACE: ` at the head of a sentence.
/// The place must be in capitals unless an agency in brackets follows it.
fn dateline(s: &str) -> Option<Dateline> {
    let head_end = s
        .char_indices()
        .nth(90)
        .map_or(s.len(), |(i, _)| i)
        .min(s.len());
    let head = &s[..head_end];
    let (sep_at, sep_len) = find_separator(head)?;
    let before = head[..sep_at].trim_end();
    if before.is_empty() {
        return None;
    }
    let (place, agency) = match before.strip_suffix(')') {
        Some(rest) => {
            let open = rest.rfind('(')?;
            let agency = rest[open + 1..].trim();
            if !is_agency(agency) {
                return None;
            }
            (rest[..open].trim_end(), Some(agency.to_string()))
        }
        None => (before, None),
    };
    // `(Newser) – ...`: an agency alone, no place.
    if place.is_empty() && agency.is_some() && head.starts_with('(') {
        let body = &s[sep_at + sep_len..];
        let cut = s.len() - body.trim_start().len();
        return (cut < s.len()).then_some(Dateline {
            len: before.len(),
            cut,
            agency,
        });
    }
    let first = place.split(',').next()?.trim();
    let letters: Vec<char> = first.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    let plausible_place = !first.is_empty()
        && first.split_whitespace().count() <= 4
        && first
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '-' | '\u{2019}'))
        && first
            .split_whitespace()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    // Words after the first comma: a region (`Netherlands`, `Wis.`) or a date
    // (`March 3`); never a clause with a verb, so keep them short.
    let rest_ok = place.split(',').skip(1).all(|part| {
        let p = part.trim();
        !p.is_empty()
            && p.split_whitespace().count() <= 3
            && p.chars().next().is_some_and(|c| c.is_uppercase())
    });
    if !(plausible_place && rest_ok && (capitals || agency.is_some())) {
        return None;
    }
    let body = &s[sep_at + sep_len..];
    let cut = s.len() - body.trim_start().len();
    if cut >= s.len() {
        return None;
    }
    Some(Dateline {
        len: before.len(),
        cut,
        agency,
    })
}

/// What may stand in a dateline's brackets: a known agency, or up to four capitalised
/// words (`AP`, `Xinhua`, `Arab News`).
fn is_agency(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && !s.contains(['(', ')'])
        && (crate::source::is_known(s)
            || words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase)))
}

/// The dash (`—`, `–`, ` - `, `--`) or colon ending a dateline: its byte offset and length.
fn find_separator(head: &str) -> Option<(usize, usize)> {
    for (i, c) in head.char_indices() {
        match c {
            '\u{2014}' | '\u{2013}' => return Some((i, c.len_utf8())),
            '-' if head[i..].starts_with("--") => return Some((i, 2)),
            '-' if head[..i].ends_with(' ') && head[i + 1..].starts_with(' ') => {
                return Some((i, 1));
            }
            ':' if head[i + 1..].starts_with(' ') => return Some((i, 1)),
            _ => {}
        }
    }
    None
}

/// The kind of a whole paragraph that is boilerplate, if it is: `text` is its sentences
/// joined by spaces; `lower` is a buffer for its lower case.
fn paragraph_kind(text: &str, lower: &mut String) -> Option<Kind> {
    let t = text.trim();
    // Every phrase looked for is ASCII, so lower-casing the ASCII letters finds the same
    // matches as full lower-casing, far more cheaply, unless the text holds one of the
    // two characters whose lower case is ASCII: KELVIN SIGN (k) and İ (i and a dot).
    lower.clear();
    if !t.is_ascii() && holds_kelvin_or_dotted_i(t) {
        lower.push_str(&t.to_lowercase());
    } else {
        lower.push_str(t);
        lower.make_ascii_lowercase();
    }
    let lower = lower.as_str();
    if is_end_mark(t) {
        return Some(Kind::EndMark);
    }
    if is_caption(t, lower) {
        return Some(Kind::Caption);
    }
    // The long phrase is looked for only where its short head is (a cheaper search).
    if starts_with_any!(lower, ["\u{a9}", "copyright ", "(c) "])
        || Phrase::AllRightsReserved.is_in(lower)
        || (Phrase::MayNotBePublished.is_in(lower)
            && lower.contains("may not be published, broadcast, rewritten or redistributed"))
    {
        return Some(Kind::Copyright);
    }
    if is_credit(lower) {
        return Some(Kind::Credit);
    }
    if is_byline(t) {
        return Some(Kind::Byline);
    }
    if is_read_more(lower) {
        return Some(Kind::ReadMore);
    }
    if is_timestamp(lower) {
        return Some(Kind::Timestamp);
    }
    None
}

/// `c.is_alphanumeric()`, answered without the Unicode tables for General Punctuation
/// (U+2000 to U+206F: spaces, dashes, curly quotes; no letter or digit among them), the
/// non-ASCII chars that open and close most paragraphs.
fn is_alphanumeric(c: char) -> bool {
    !('\u{2000}'..='\u{206F}').contains(&c) && c.is_alphanumeric()
}

/// Whether `t` holds KELVIN SIGN (U+212A, bytes E2 84 AA) or İ (U+0130, bytes C4 B0),
/// as `t.contains('\u{212A}') || t.contains('\u{130}')` tells: one search for the
/// bytes 84 and C4, both rare in text, instead of two searches for the whole chars.
fn holds_kelvin_or_dotted_i(t: &str) -> bool {
    let b = t.as_bytes();
    memchr::memchr2_iter(0x84, 0xC4, b).any(|i| {
        if b[i] == 0xC4 {
            b.get(i + 1) == Some(&0xB0)
        } else {
            i > 0 && b[i - 1] == 0xE2 && b.get(i + 1) == Some(&0xAA)
        }
    })
}

/// The phrases looked for in every paragraph met: found by `memchr`'s substring search,
/// which skips along many bytes a step (`str::contains` builds a searcher each call).
#[derive(Clone, Copy)]
enum Phrase {
    AllRightsReserved,
    MayNotBePublished,
    Contributed,
}

impl Phrase {
    const ALL: [Phrase; 3] = [
        Phrase::AllRightsReserved,
        Phrase::MayNotBePublished,
        Phrase::Contributed,
    ];

    fn text(self) -> &'static str {
        match self {
            Phrase::AllRightsReserved => "all rights reserved",
            Phrase::MayNotBePublished => "may not be published",
            Phrase::Contributed => "contributed ",
        }
    }

    /// Whether `s` contains the phrase, as `s.contains(self.text())` tells.
    fn is_in(self, s: &str) -> bool {
        static FINDERS: OnceLock<[memmem::Finder<'static>; 3]> = OnceLock::new();
        let finders = FINDERS.get_or_init(|| Phrase::ALL.map(|p| memmem::Finder::new(p.text())));
        finders[self as usize].find(s.as_bytes()).is_some()
    }
}

/// A list of words, as a constant (the reference the tests hold its test to) and as a
/// test of whether a word is on it. The test matches literal patterns, each compared at
/// a length known when compiling; `contains` on the list passed every word of the same
/// length to `memcmp`, and the first words of every new paragraph are looked up.
macro_rules! word_list {
    ($(#[$doc:meta])* $list:ident, $is:ident, [$($w:literal),* $(,)?]) => {
        $(#[$doc])*
        #[cfg(test)]
        const $list: &[&str] = &[$($w),*];

        $(#[$doc])*
        fn $is(w: &str) -> bool {
            matches!(w, $($w)|*)
        }
    };
}

/// Words that open a time stamp.
const STAMPS: [&str; 6] = [
    "last updated",
    "first published",
    "updated",
    "published",
    "posted",
    "last modified",
];

/// The first bytes of the [`STAMPS`].
const STAMP_HEADS: [u8; 4] = *b"lfup";

word_list!(
    /// Month names and their abbreviations.
    MONTHS, is_month, [
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun",
        "june", "jul", "july", "aug", "august", "sep", "sept", "september", "oct",
        "october", "nov", "november", "dec", "december",
    ]
);

word_list!(
    /// Day names, clock and zone words.
    DATE_WORDS, is_date_word, [
        "mon", "monday", "tue", "tuesday", "wed", "wednesday", "thu", "thursday", "fri",
        "friday", "sat", "saturday", "sun", "sunday", "a", "p", "m", "am", "pm", "et",
        "edt", "est", "gmt", "utc", "bst", "cet", "at", "on", "cdt", "cst", "mdt", "mst",
        "pdt", "pst", "pt", "cest",
    ]
);

word_list!(
    /// Units of `59 minutes ago`.
    AGO_UNITS, is_ago_unit, [
        "second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "hr",
        "hrs", "day", "days", "week", "weeks",
    ]
);

/// `Updated 3:45 p.m. ET, March 3, 2026`, `Published: 2026-03-03`, `59 minutes ago`: a
/// stamp word, then nothing but figures, dates, times and zones.
fn is_timestamp(lower: &str) -> bool {
    // The rules of `timestamp_by_rules` in one pass over the words, stopping at the first
    // word after which none of its three shapes can still match: in running text that
    // is the first or second word.
    // Every stamp word starts with one of these letters: most paragraphs need no look at
    // the list.
    let stamp = STAMP_HEADS
        .contains(&lower.as_bytes().first().copied().unwrap_or(0))
        .then(|| {
            STAMPS.iter().find(|s| {
                lower
                    .strip_prefix(*s)
                    .is_some_and(|r| r.starts_with([' ', ':']))
            })
        })
        .flatten();
    // Words of the stamp itself, not checked as date words.
    let skip = stamp.map_or(0, |s| s.split(' ').count());
    let (mut count, mut any_digit, mut any_month) = (0, false, false);
    // Whether each shape still holds: all date words; a stamp then date words;
    // `<figure> <unit> ago`.
    let (mut all_dates, mut stamp_dates, mut ago) = (true, stamp.is_some(), true);
    for w in lower.split(|c: char| !is_alphanumeric(c)) {
        if w.is_empty() {
            continue;
        }
        if count == 12 {
            return false;
        }
        let figure = w.bytes().all(|b| b.is_ascii_digit());
        any_digit |= w.bytes().any(|b| b.is_ascii_digit());
        let month = is_month(w);
        any_month |= month;
        let date = figure || month || is_date_word(w);
        all_dates &= date;
        if count >= skip {
            stamp_dates &= date;
        }
        ago &= match count {
            0 => figure,
            1 => is_ago_unit(w),
            2 => w == "ago",
            _ => false,
        };
        count += 1;
        if !(all_dates || stamp_dates || ago) {
            return false;
        }
    }
    // A third word `ago` is no date word, so only the `ago` shape can match then.
    any_digit
        && (ago && count == 3 || all_dates && (any_month || lower.contains(':')) || stamp_dates)
}

/// The rules [`is_timestamp`] applies in one pass, stated plainly: the reference its
/// tests hold it to.
#[cfg(test)]
fn timestamp_by_rules(lower: &str) -> bool {
    let mut words: Vec<&str> = Vec::with_capacity(12);
    for w in lower.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        if words.len() == 12 {
            // Running text, not a stamp: stop before splitting the whole paragraph.
            return false;
        }
        words.push(w);
    }
    if words.is_empty() || !words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())) {
        return false;
    }
    if let [n, unit, "ago"] = words[..] {
        return n.chars().all(|c| c.is_ascii_digit()) && AGO_UNITS.contains(&unit);
    }
    let date_word = |w: &&str| {
        w.chars().all(|c| c.is_ascii_digit()) || MONTHS.contains(w) || DATE_WORDS.contains(w)
    };
    // `Jun 10, 2021, 7:39 AM`: a date and time alone, with a month or a clock time.
    if words.iter().all(date_word)
        && (words.iter().any(|w| MONTHS.contains(w)) || lower.contains(':'))
    {
        return true;
    }
    let Some(rest) = STAMPS
        .iter()
        .find_map(|s| lower.strip_prefix(s).filter(|r| r.starts_with([' ', ':'])))
    else {
        return false;
    };
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| date_word(&w))
}

fn is_end_mark(t: &str) -> bool {
    // The longest mark is a few characters; most paragraphs are far longer.
    if t.len() > 32 {
        return false;
    }
    let core: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        core.to_lowercase().as_str(),
        "-30-" | "\u{2014}30\u{2014}" | "###" | "(end)" | "end" | "(ends)" | "-0-" | "xxx" | "#"
    )
}

fn is_credit(lower: &str) -> bool {
    let l = lower.trim_start_matches('(');
    // Each phrase holds "contributed ": most paragraphs are ruled out by one search.
    starts_with_any!(
        l,
        [
            "reporting by ",
            "additional reporting by ",
            "writing by ",
            "editing by ",
            "compiled by ",
            "reported by ",
            "this story was reported by ",
        ]
    ) || (Phrase::Contributed.is_in(lower)
        && (lower.contains("contributed to this report")
            || lower.contains("contributed to this story")
            || lower.contains("contributed reporting")))
}

/// `By Jane Doe`, `BY JANE DOE, Associated Press`, `By Jane Doe and John Roe`: short,
/// with no sentence ending, every word a name word.
fn is_byline(t: &str) -> bool {
    let Some(rest) = t.strip_prefix("By ").or_else(|| t.strip_prefix("BY ")) else {
        return false;
    };
    // Thirteen words are enough to tell that there are more than twelve.
    let words: Vec<&str> = rest.split_whitespace().take(13).collect();
    !words.is_empty()
        && words.len() <= 12
        && !rest.trim_end().ends_with(['.', '!', '?'])
        && words.iter().all(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.is_empty()
                || w.chars().next().is_some_and(char::is_uppercase)
                || matches!(
                    w,
                    "and" | "of" | "the" | "for" | "in" | "de" | "van" | "von"
                )
        })
}

/// `t` is trimmed (as [`paragraph_kind`] trims it).
fn is_caption(t: &str, lower: &str) -> bool {
    if starts_with_any!(
        lower,
        [
            "file - ",
            "file photo",
            "photo: ",
            "image: ",
            "photograph: "
        ]
    ) {
        return true;
    }
    // A bracketed photo credit closing the paragraph: `(AP Photo/Jane Doe)`,
    // `(Photo: Perth Local)`, `(Reuters/Jane Doe)`, `(Getty Images)`.
    let Some(open) = t.strip_suffix(')').and_then(|r| r.rfind('(')) else {
        return false;
    };
    // Cut from the text itself: lower-casing may move byte offsets (İ grows by a byte).
    let credit = t[open + 1..].to_lowercase();
    let credit = credit.trim_end().trim_end_matches(')');
    credit.contains("photo")
        || credit.contains("getty images")
        || credit.starts_with("image:")
        || (credit.contains('/') && credit.split('/').next().is_some_and(|a| a.len() <= 12))
}

fn is_read_more(lower: &str) -> bool {
    starts_with_any!(
        lower,
        [
            "read more:",
            "(read more",
            "[trending",
            "[related",
            "more from ",
            "read more ",
            "read also:",
            "also read:",
            "see also:",
            "related:",
            "more:",
            "sign up for ",
            "sign up to ",
            "subscribe to ",
            "follow us on ",
            "click here ",
            "download our app",
        ]
    ) || is_read_more_line(lower)
}

/// The read-more lines that stand alone, trimmed of everything but letters and digits
/// at both ends.
const READ_MORE_LINES: [&str; 13] = [
    "advertisement",
    "read more",
    "related stories",
    "related coverage",
    "recommended videos",
    "recommended",
    "skip to main content",
    "skip to content",
    "story continues below",
    "story continues below advertisement",
    "article continues below",
    "continue reading",
    "continue reading below",
];

/// The length of the longest of the [`READ_MORE_LINES`].
const READ_MORE_LONGEST: usize = "story continues below advertisement".len();

/// Whether `lower`, trimmed of everything but letters and digits at both ends, is one of
/// the [`READ_MORE_LINES`].
fn is_read_more_line(lower: &str) -> bool {
    // A line to match is short: an ASCII letter or digit further on than the longest,
    // past the first letter or digit, rules them all out without trimming the end.
    let core = lower.trim_start_matches(|c: char| !is_alphanumeric(c));
    !core
        .as_bytes()
        .get(READ_MORE_LONGEST..)
        .is_some_and(|far| far.iter().any(u8::is_ascii_alphanumeric))
        && READ_MORE_LINES.contains(&core.trim_end_matches(|c: char| !is_alphanumeric(c)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::{Segmenter, segment};

    #[test]
    fn a_splitter_gives_each_version_what_splitting_it_alone_gives() {
        // No paragraph repeats within a version, so `split` classifies each one anew.
        let versions = [
            "Talks Stall\nMOSCOW (AP) — The talks stalled. Officials left.\nBy Jane Doe\n-30-",
            "By Jane Doe\nThe opening paragraph ends like a sentence.\n\
             MOSCOW (AP) — The talks stalled. Officials left.\n\
             Reporting by Jane Doe; Editing by Tom Lee\n",
            "MOSCOW (AP) — The talks stalled. Officials left.\n\
             © 2026 The Associated Press. All rights reserved.\nRead more: Talks Stall",
        ];
        for keep in [false, true] {
            let mut splitter = Splitter::default();
            // The same by paragraph ids, as `compare` splits.
            let (mut segmenter, mut known) = (Segmenter::default(), Splitter::default());
            for text in versions.iter().chain(versions.iter().rev()) {
                let got = splitter.split(segment(text), keep);
                assert_eq!(got, split(segment(text), keep), "{text:?}");
                let (sentences, ids) = segmenter.segment_with_ids(text);
                assert_eq!(known.split_known(sentences, &ids, keep), got, "{text:?}");
                // The shared paragraph opens with a dateline only where it leads.
                let datelines = got.1.iter().filter(|b| b.kind == Kind::Dateline).count();
                assert_eq!(datelines, usize::from(!text.starts_with("By")), "{text:?}");
            }
            assert_eq!(splitter.kinds.len(), 8, "each paragraph classified once");
        }
    }

    type Found = Vec<(Kind, String, Option<String>)>;

    fn run(text: &str) -> (Vec<String>, Found) {
        let (kept, found) = split(segment(text), false);
        (
            kept.into_iter().map(|s| s.text).collect(),
            found
                .into_iter()
                .map(|b| (b.kind, b.text, b.agency))
                .collect(),
        )
    }

    #[test]
    fn datelines_of_the_main_agencies() {
        for (line, place, agency) in [
            (
                "MOSCOW (AP) — The talks stalled.",
                "MOSCOW (AP)",
                Some("AP"),
            ),
            (
                "MADISON, Wis. (Reuters) - The vote failed.",
                "MADISON, Wis. (Reuters)",
                Some("Reuters"),
            ),
            (
                "PERTH, Australia (AFP) -- Fires spread.",
                "PERTH, Australia (AFP)",
                Some("AFP"),
            ),
            (
                "GENEVA, March 3 (Reuters) - Talks began.",
                "GENEVA, March 3 (Reuters)",
                Some("Reuters"),
            ),
            ("NEREA: The talks began.", "NEREA", None),
            (
                "Nerea (Xinhua) — The talks began.",
                "Nerea (Xinhua)",
                Some("Xinhua"),
            ),
        ] {
            let (kept, found) = run(line);
            assert_eq!(found.len(), 1, "{line}");
            assert_eq!(found[0].0, Kind::Dateline);
            assert_eq!(found[0].1, place, "{line}");
            assert_eq!(found[0].2.as_deref(), agency, "{line}");
            assert!(!kept[0].contains(place), "{kept:?}");
        }
    }

    #[test]
    fn offsets_follow_the_trim() {
        let text = "Headline here\nBERLIN (dpa) — Prices rose 3%.\n";
        let (kept, found) = split(segment(text), false);
        let chars: Vec<char> = text.chars().collect();
        let s = &kept[1];
        assert_eq!(s.text, "Prices rose 3%.");
        assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
        assert_eq!(&text[s.byte_start..s.byte_end], s.text);
        let d = &found[0];
        assert_eq!(chars[d.start..d.end].iter().collect::<String>(), d.text);
    }

    #[test]
    fn sentences_that_look_like_datelines_are_not() {
        for line in [
            "Officials said: the talks stalled.",
            "The minister - who resigned - spoke.",
            "In Moscow, the talks stalled - again.",
            "US officials (who asked not to be named) — said nothing.",
        ] {
            let (kept, found) = run(line);
            assert!(found.is_empty(), "{line}: {found:?}");
            assert_eq!(kept.join(" "), line);
        }
        // Only at the top of the story.
        let (_, found) = run("One.\nTwo.\nThree.\nFour.\nMOSCOW (AP) — Late.\n");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn whole_paragraph_kinds() {
        let text = "By JANE DOE and Carl Roe, Associated Press\n\
            WASHINGTON (AP) — The bill passed 51-49.\n\
            Senators debated for 14 hours.\n\
            FILE - The Capitol in Washington on Jan. 3, 2026. (AP Photo/Sam Poe)\n\
            Read more: How the Senate works\n\
            Updated 3:45 p.m. ET, March 3, 2026\n\
            59 minutes ago\n\
            Associated Press writer Ann Lee in New York contributed to this report.\n\
            (Reporting by Ann Lee; Editing by Tom Hall)\n\
            Copyright 2026 The Associated Press. All rights reserved. This material may not be published.\n\
            -30-\n";
        let (kept, found) = run(text);
        assert_eq!(
            kept,
            vec!["The bill passed 51-49.", "Senators debated for 14 hours."]
        );
        let kinds: Vec<Kind> = found.iter().map(|f| f.0).collect();
        assert_eq!(
            kinds,
            vec![
                Kind::Byline,
                Kind::Dateline,
                Kind::Caption,
                Kind::ReadMore,
                Kind::Timestamp,
                Kind::Timestamp,
                Kind::Credit,
                Kind::Credit,
                Kind::Copyright,
                Kind::EndMark
            ]
        );
    }

    #[test]
    fn regression_dotted_capital_i_before_a_photo_credit_does_not_panic() {
        // İ lower-cases to three bytes from two: the credit was once cut from the
        // lower-cased copy at the original text's offset, inside a character.
        for n in 1..16 {
            let caption = format!("{} KÖPRÜSÜ (AP Photo/Ali Öz)", "İ".repeat(n));
            let (kept, found) = run(&format!("{caption}\nThe bridge reopened on Monday.\n"));
            assert_eq!(kept, vec!["The bridge reopened on Monday."], "{caption}");
            assert_eq!(found.len(), 1, "{caption}: {found:?}");
            assert_eq!(found[0].0, Kind::Caption, "{caption}");
        }
        // The Kelvin sign lower-cases to an ASCII k: still found as the word it spells.
        let (_, found) = run("Photo: \u{212A}yiv at dawn\nThe city woke.\n");
        assert_eq!(
            found.iter().map(|f| f.0).collect::<Vec<_>>(),
            vec![Kind::Caption]
        );
    }

    #[test]
    fn claims_that_start_like_boilerplate_stay() {
        for line in [
            "By Tuesday, officials had left the city.",
            "By the end of the day, 40 people were dead.",
            "Photos of the crash spread online (the police asked people to stop).",
            "Reporters were told the plant would close.",
            "Updated figures show that 40 people died.",
            "Published in 2019, the report found 12 cases.",
        ] {
            let (kept, found) = run(line);
            assert!(found.is_empty(), "{line}: {found:?}");
            assert_eq!(kept.len(), 1);
        }
    }

    #[test]
    fn pasted_page_furniture() {
        let text = "Skip to main content\n\
            Bridge shut after cracks found\n\
            Engineers found cracks\n\
            FILE - The bridge in 2025. (AP Photo/Sam Poe, File) (Copyright 2025 The Associated Press. All rights reserved.)\n\
            Jun 10, 2026, 7:39 AM\n\
            Posted Jun 10, 2026 4:48 AM CDT\n\
            KALVIK – Engineers closed the Storvik Bridge to all traffic on Friday after inspectors found cracks in two cables.\n\
            Recommended Videos\n\
            [TRENDING: Three other stories]\n\
            story continues below\n\
            (Read more bridge stories.)\n";
        let (kept, found) = run(text);
        let kinds: Vec<Kind> = found.iter().map(|f| f.0).collect();
        assert_eq!(
            kinds,
            vec![
                Kind::ReadMore,
                Kind::Caption,
                Kind::Timestamp,
                Kind::Timestamp,
                Kind::Dateline,
                Kind::ReadMore,
                Kind::ReadMore,
                Kind::ReadMore,
                Kind::ReadMore
            ]
        );
        assert_eq!(kept.len(), 3, "{kept:?}");
        let (_, found) = run("(Newser) – The bridge closed on Friday after cracks were found.");
        assert_eq!(found[0].1, "(Newser)");
        assert_eq!(found[0].2.as_deref(), Some("Newser"));
        // Past the first paragraph of running text, no dateline.
        let (_, found) = run(
            "The bridge closed on Friday after inspectors found cracks in two of its cables.\n\
             OSLO – Officials said repairs would take weeks.\n",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn the_timestamp_shortcut_agrees_with_the_rules() {
        for line in [
            "updated 3:45 p.m. et, march 3, 2026",
            "last updated: 2026-03-03",
            "last modified 12 jan",
            "first published at 7:39 am",
            "posted jun 10, 2026 4:48 am cdt",
            "59 minutes ago",
            "3 days ago",
            "jun 10, 2021, 7:39 am",
            "(monday) 10:15",
            "at 10:15 on friday",
            "a 5 p m",
            "\u{212a}elvin 5 minutes ago",
            "— 12 march 2026 —",
            "2026-03-03",
            "updatedx 5",
            "lastupdated 5 march",
            "the 40 people were hurt at 5 p.m. on march 3",
            "officials said 12 minutes ago",
            "published in 2019, the report found 12 cases.",
            "5 may 5 may 5 may 5 may 5 may 5 may",
            "5 may 5 may 5 may 5 may 5 may 5 may 5",
            "updated 5 may 5 may 5 may 5 may 5 may 5",
            "",
            "…",
        ] {
            assert_eq!(is_timestamp(line), timestamp_by_rules(line), "{line:?}");
        }
    }

    /// A stamp word (or none, or another word), then date words with a few others.
    fn stamp_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let head = prop::sample::select(vec![
            "",
            "updated",
            "last updated",
            "first published",
            "posted",
            "last modified",
            "last",
            "the",
            "5",
            "(updated",
        ]);
        let word = prop_oneof![
            8 => prop::sample::select(vec![
                "5", "12", "2026", "jun", "may", "march", "monday", "a", "p", "m", "at", "on",
                "et", "gmt",
            ]),
            2 => prop::sample::select(vec!["minutes", "min", "hour", "ago", "mins"]),
            1 => prop::sample::select(vec!["the", "said", "1a", "\u{e9}t\u{e9}", "updated"]),
        ];
        let sep = prop::sample::select(vec![" ", " ", " ", ":", ", ", "-", "", ".", " \u{2014} "]);
        let parts = prop_oneof![
            prop::collection::vec((word.clone(), sep.clone()), 0..4),
            prop::collection::vec((word, sep.clone()), 0..16),
        ];
        (head, sep, parts).prop_map(|(head, first, parts)| {
            let mut line = format!("{head}{first}");
            line.extend(parts.iter().flat_map(|&(w, sep)| [w, sep]));
            line
        })
    }

    #[test]
    fn word_tests_answer_as_their_lists() {
        /// A list and the test of whether a word is on it.
        type WordTest = (&'static [&'static str], fn(&str) -> bool);
        let tests: [WordTest; 3] = [
            (MONTHS, is_month),
            (DATE_WORDS, is_date_word),
            (AGO_UNITS, is_ago_unit),
        ];
        let all: Vec<&str> = tests
            .iter()
            .flat_map(|(list, _)| list.iter().copied())
            .collect();
        for (list, is) in tests {
            for w in &all {
                // Each word, and near misses: cut short, grown, in capitals.
                let cut = &w[..w.len() - 1];
                let (grown, upper) = (format!("{w}s"), w.to_uppercase());
                for v in [*w, cut, grown.as_str(), upper.as_str(), ""] {
                    assert_eq!(is(v), list.contains(&v), "{v:?}");
                }
            }
        }
        assert!(starts_with_any!("read more: x", ["more", "read more:"]));
        assert!(!starts_with_any!("read", ["more", "read more:"]));
        assert!(starts_with_any!("\u{a9} 2026", ["(c)", "\u{a9}"]));
        assert!(!starts_with_any!("", ["(c)", "\u{a9}"]));
        for stamp in STAMPS {
            assert!(STAMP_HEADS.contains(&stamp.as_bytes()[0]), "{stamp}");
        }
    }

    #[test]
    fn the_longest_read_more_line_is_the_longest() {
        let longest = READ_MORE_LINES.iter().map(|l| l.len()).max();
        assert_eq!(longest, Some(READ_MORE_LONGEST));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn read_more_lines_are_found_as_trimming_both_ends_finds_them(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "advertisement", "story continues below", " ", " advertisement", "\u{2014}",
                    "*", "x", "1", "\u{e9}", "read more", "...",
                ]),
                0..8,
            ),
        ) {
            let line: String = parts.concat();
            let core = line.trim_matches(|c: char| !c.is_alphanumeric());
            proptest::prop_assert_eq!(is_read_more_line(&line), READ_MORE_LINES.contains(&core), "{:?}", line);
        }

        #[test]
        fn the_timestamp_shortcut_agrees_with_the_rules_on_any_words(line in stamp_like()) {
            proptest::prop_assert_eq!(is_timestamp(&line), timestamp_by_rules(&line), "{:?}", line);
        }

        #[test]
        fn case_traps_are_found_where_contains_finds_them(
            s in "[a \u{212A}\u{130}\u{2104}\u{0104}\u{2130}\u{C4}İK“”ńĄ]{0,40}"
        ) {
            proptest::prop_assert_eq!(
                holds_kelvin_or_dotted_i(&s),
                s.contains('\u{212A}') || s.contains('\u{130}')
            );
        }

        #[test]
        fn phrases_are_found_where_contains_finds_them(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "all rights", " reserved", "all rights reserved", "may not", " be published",
                    "may not be published", "contributed", " ", "contributed ", "\u{e9}", "a",
                    "all rights reserve", "reserved.",
                ]),
                0..12,
            ),
        ) {
            let s: String = parts.concat();
            for p in Phrase::ALL {
                proptest::prop_assert_eq!(p.is_in(&s), s.contains(p.text()), "{:?} in {:?}", p.text(), s);
            }
        }
    }

    #[test]
    fn alphanumeric_is_the_std_test_on_every_char() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn kept_sentences_keep_their_order_and_offsets() {
        let text = "MOSCOW (AP) — One. Two.\n-30-\nThree. Four.\nBy Ann Lee\nFive.\n###\n";
        for keep in [false, true] {
            let all = segment(text);
            let (kept, found) = split(all.clone(), keep);
            assert_eq!(found.len(), 4, "{found:?}");
            if keep {
                assert_eq!(kept, all);
                continue;
            }
            let texts: Vec<&str> = kept.iter().map(|s| s.text.as_str()).collect();
            assert_eq!(texts, vec!["One.", "Two.", "Three.", "Four.", "Five."]);
            for s in &kept {
                assert_eq!(&text[s.byte_start..s.byte_end], s.text);
            }
        }
    }

    #[test]
    fn keep_reports_without_removing() {
        let segs = segment("ROME (AP) — It rained.\n-30-\n");
        let (kept, found) = split(segs.clone(), true);
        assert_eq!(kept, segs);
        assert_eq!(found.len(), 2);
    }
}
