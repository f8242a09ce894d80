//! Detectors for meaning-bearing edits between two texts of one claim: numbers,
//! negation, names and the words inside quotation marks. Each returns what differs, or
//! nothing; none of them cares about typography (curly vs straight quotes, dashes).

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::diff::{self, Pieces};
use crate::normalize;

/// Words written in lower case somewhere in the texts of a comparison (see
/// [`lowercase_vocabulary`]): a capitalised word found here is a sentence opener, not a
/// name. Borrowed from the texts where the word is its own normal form.
pub type LowercaseWords<'t> = FxHashSet<Cow<'t, str>>;

/// The value of a number word (its bytes). Kept to what news writes out in words. A
/// `match`, not a table search: it runs for every word of every changed claim.
#[inline(never)]
fn number_word(word: &[u8]) -> Option<f64> {
    Some(match word {
        b"zero" => 0.0,
        b"one" => 1.0,
        b"two" => 2.0,
        b"three" => 3.0,
        b"four" => 4.0,
        b"five" => 5.0,
        b"six" => 6.0,
        b"seven" => 7.0,
        b"eight" => 8.0,
        b"nine" => 9.0,
        b"ten" => 10.0,
        b"eleven" => 11.0,
        b"twelve" => 12.0,
        b"thirteen" => 13.0,
        b"fourteen" => 14.0,
        b"fifteen" => 15.0,
        b"sixteen" => 16.0,
        b"seventeen" => 17.0,
        b"eighteen" => 18.0,
        b"nineteen" => 19.0,
        b"twenty" => 20.0,
        b"thirty" => 30.0,
        b"forty" => 40.0,
        b"fifty" => 50.0,
        b"sixty" => 60.0,
        b"seventy" => 70.0,
        b"eighty" => 80.0,
        b"ninety" => 90.0,
        b"dozen" => 12.0,
        b"half" => 0.5,
        b"quarter" => 0.25,
        _ => return None,
    })
}

/// Scale words that multiply the number before them.
const SCALES: &[(&str, f64)] = &[
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
];

/// One number found in a text: its value and the words that wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The value, with scale words applied (`half-million` is 500000).
    pub value: f64,
    /// The text that expressed it, as written.
    pub text: String,
}

/// Reads the numbers in `text`: digits (`5,000`, `3.5`), number words (`ten`), and either
/// followed by scale words (`1.5 million`, `half-million`, `two dozen`).
pub fn numbers(text: &str) -> Vec<Number> {
    numbers_in(&Words::new(text))
}

/// The word tokens of a text (as [`normalize::tokens`] finds them) with their normal
/// forms in one buffer: no string per word.
struct Words<'t> {
    text: &'t str,
    norms: String,
    /// Per token: its byte span in `text`, and that of its normal form in `norms`.
    toks: Vec<Tok>,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    norm_start: usize,
    norm_end: usize,
}

impl<'t> Words<'t> {
    fn new(text: &'t str) -> Self {
        // About one word per six bytes of English news text.
        let mut spans = Vec::with_capacity(text.len() / 6 + 1);
        diff::word_spans(text, &mut spans);
        Words::of_spans(text, &spans)
    }

    /// The words of `text` at `spans`, as [`normalize::token_spans`] gives them.
    fn of_spans(text: &'t str, spans: &[(usize, usize)]) -> Self {
        let mut norms = Words::lowercased(text);
        let ascii = text.is_ascii();
        let toks = spans
            .iter()
            .map(|&(start, end)| Words::tok(text, &mut norms, ascii, start, end))
            .collect();
        Words { text, norms, toks }
    }

    /// The buffer of normal forms for `text`, before any word's: its lower-cased copy.
    fn lowercased(text: &str) -> String {
        // The normal form of an ASCII word is its lower case, but for a number's
        // thousands separators: most words' normal forms are where they stand in a
        // lower-cased copy of the text. The others are normalized one by one after it.
        let mut norms = String::with_capacity(text.len() + text.len() / 4);
        norms.push_str(text);
        norms.make_ascii_lowercase();
        norms
    }

    /// The token at `start..end` of `text` (`ascii`: whether it is known to be ASCII), its
    /// normal form pushed onto `norms` (begun by [`Words::lowercased`]) unless it stands
    /// in the lower-cased copy.
    // Always inlined: a call per word cost more than the rest of its reading.
    #[inline(always)]
    fn tok(text: &str, norms: &mut String, ascii: bool, start: usize, end: usize) -> Tok {
        // Its bytes tell whether a token is its own lower case: no `str` to cut unless it
        // is not. (A token is never empty.)
        let raw = &text.as_bytes()[start..end];
        let number = raw[0].is_ascii_digit() && raw.contains(&b',');
        if (ascii || raw.is_ascii()) && !number {
            return Tok {
                start,
                end,
                norm_start: start,
                norm_end: end,
            };
        }
        let norm_start = norms.len();
        // (A number loses its commas, which the quick form keeps.)
        if number || !diff::push_apostrophe_fold(&text[start..end], true, norms) {
            normalize::push_norm_token(&text[start..end], norms);
        }
        Tok {
            start,
            end,
            norm_start,
            norm_end: norms.len(),
        }
    }

    fn len(&self) -> usize {
        self.toks.len()
    }

    /// Token `k` as written.
    #[cfg(test)]
    fn raw(&self, k: usize) -> &'t str {
        &self.text[self.toks[k].start..self.toks[k].end]
    }

    /// The normal form of token `k`.
    fn norm(&self, k: usize) -> &str {
        &self.norms[self.toks[k].norm_start..self.toks[k].norm_end]
    }
}

/// [`numbers`] over the words of a text.
fn numbers_in(words: &Words) -> Vec<Number> {
    let starts: Vec<(usize, f64)> = (0..words.len())
        .filter_map(|k| number_value(words.norm(k).as_bytes()).map(|value| (k, value)))
        .collect();
    numbers_from(words, &starts)
}

/// [`numbers_in`] given the words that have a number value, `(index, value)` in order:
/// a number starts at each that an earlier number does not take in.
fn numbers_from(words: &Words, starts: &[(usize, f64)]) -> Vec<Number> {
    let mut out = Vec::new();
    let value_at = |j: usize| (j < words.len()).then(|| number_value(words.norm(j).as_bytes()))?;
    // The first word the last number read did not take.
    let mut next = 0;
    for &(i, mut value) in starts {
        if i < next {
            continue;
        }
        let start = words.toks[i].start;
        let mut end = words.toks[i].end;
        let mut j = i + 1;
        // Tens and units written as two words: `twenty five`, `twenty-five`.
        let tens = (20.0..100.0).contains(&value) && value % 10.0 == 0.0;
        if let Some(u) = value_at(j)
            && tens
            && (1.0..10.0).contains(&u)
            && u.fract() == 0.0
        {
            value += u;
            end = words.toks[j].end;
            j += 1;
        }
        while let Some(scale) = (j < words.len())
            .then(|| scale_value(words.norm(j)))
            .flatten()
        {
            value *= scale;
            end = words.toks[j].end;
            j += 1;
        }
        // A lone `one`, `half` or `quarter` is more often a pronoun or a phrase
        // (`one of the`, `half of them`) than a figure; keep it only with a scale.
        let bare_word = j == i + 1 && !words.norm(i).starts_with(|c: char| c.is_ascii_digit());
        if !(bare_word && value <= 1.0) {
            out.push(Number {
                value,
                text: words.text[start..end].to_string(),
            });
        }
        next = j;
    }
    out
}

// Inlined: it is asked about every word, and most are told apart by a byte or two
// without the call.
// Bytes, not a `str`: no char boundaries to check when a word is cut from its buffer.
#[inline]
fn number_value(norm: &[u8]) -> Option<f64> {
    let &first = norm.first()?;
    if first.is_ascii_digit() {
        return figure_value(norm);
    }
    // Most words are no number word by their length or first letter: no match to run.
    if !(3..=9).contains(&norm.len())
        || !matches!(
            first,
            b'd' | b'e' | b'f' | b'h' | b'n' | b'o' | b'q' | b's' | b't' | b'z'
        )
    {
        return None;
    }
    number_word(norm)
}

/// The value of a normal form that starts with a digit: its leading digits and points.
#[inline(never)]
fn figure_value(norm: &[u8]) -> Option<f64> {
    let digits = norm
        .iter()
        .position(|&b| !(b.is_ascii_digit() || b == b'.'))
        .unwrap_or(norm.len());
    // (ASCII digits and points: always a `str`.)
    std::str::from_utf8(&norm[..digits]).ok()?.parse().ok()
}

fn scale_value(norm: &str) -> Option<f64> {
    let singular = norm.strip_suffix('s').unwrap_or(norm);
    SCALES.iter().find(|(w, _)| *w == singular).map(|&(_, v)| v)
}

/// Whether deleting or inserting the pieces `range` of `pieces`, a text cut plain with no
/// double quotation mark (`!pieces.may_quote()`), leaves what [`changes`] and
/// [`Facts::negations`] read as it was: its words are written in lower-case ASCII, are no
/// number, scale or negating word, and stand beside no word that may be one. (Its marks
/// move no figure, name or negation, and there is no quote to change.) `false` is no
/// answer: the texts must be read.
pub fn plain_edit(pieces: &Pieces, range: std::ops::Range<usize>) -> bool {
    let (bytes, spans) = (pieces.text().as_bytes(), pieces.spans());
    // (In a plain text a word starts with an ASCII letter or digit, a mark never does.)
    let is_word = |k: usize| bytes[spans[k].0].is_ascii_alphanumeric();
    for k in range.clone().filter(|&k| is_word(k)) {
        let word = &bytes[spans[k].0..spans[k].1];
        // (Such a word is its own normal form.)
        let lower = word.iter().all(|&b| b.is_ascii_lowercase() || b == b'\'');
        if !lower || is_negator(word) || may_be_figure(word) {
            return false;
        }
    }
    // A figure reads the words after it (`twenty five`, `two million`): an edit beside
    // one may change it. (The words inside the edit are no figures, as just seen.)
    let before = (0..range.start).rev().find(|&j| is_word(j));
    let after = (range.end..spans.len()).find(|&j| is_word(j));
    !before
        .into_iter()
        .chain(after)
        .any(|j| may_be_figure(&bytes[spans[j].0..spans[j].1]))
}

/// Whether a word of a plain text (its bytes, as written) may be part of a figure: its
/// normal form has a number value or is a scale word.
fn may_be_figure(word: &[u8]) -> bool {
    if word[0].is_ascii_digit() {
        return true;
    }
    // No number or scale word is longer than nine letters, holds an apostrophe (the only
    // char outside ASCII a plain word may hold) or starts with another letter than these.
    let first = word[0].to_ascii_lowercase();
    if word.len() > 9 || !word.is_ascii() || !b"bdefhmnoqstz".contains(&first) {
        return false;
    }
    let mut lower = [0u8; 9];
    let lower = &mut lower[..word.len()];
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    let singular = lower.strip_suffix(b"s").unwrap_or(lower);
    number_value(lower).is_some() || SCALES.iter().any(|(w, _)| w.as_bytes() == singular)
}

/// Numbers whose values appear in one text and not the other (as multisets):
/// `(only in a, only in b)`, each as written. Empty when the figures agree.
pub fn number_changes(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    number_changes_in(&numbers(a), &numbers(b))
}

/// The key two figures agree by: their value to a thousandth.
fn number_key(value: f64) -> i64 {
    (value * 1000.0).round() as i64
}

/// [`number_changes`] over numbers already read.
fn number_changes_in(na: &[Number], nb: &[Number]) -> (Vec<String>, Vec<String>) {
    // Most versions keep the reference's figures in its order: the same values, nothing
    // to count.
    if na.len() == nb.len()
        && na
            .iter()
            .zip(nb)
            .all(|(x, y)| number_key(x.value) == number_key(y.value))
    {
        return (Vec::new(), Vec::new());
    }
    counted_number_changes(na, nb)
}

/// [`number_changes_in`] by counting every value.
fn counted_number_changes(na: &[Number], nb: &[Number]) -> (Vec<String>, Vec<String>) {
    let mut count: BTreeMap<i64, i64> = BTreeMap::new();
    for n in na {
        *count.entry(number_key(n.value)).or_default() += 1;
    }
    for n in nb {
        *count.entry(number_key(n.value)).or_default() -= 1;
    }
    let mut only_a = Vec::new();
    let mut only_b = Vec::new();
    for n in na {
        let c = count.get_mut(&number_key(n.value)).expect("counted above");
        if *c > 0 {
            only_a.push(n.text.clone());
            *c -= 1;
        }
    }
    for n in nb {
        let c = count.get_mut(&number_key(n.value)).expect("counted above");
        if *c < 0 {
            only_b.push(n.text.clone());
            *c += 1;
        }
    }
    (only_a, only_b)
}

/// How many negating words a text holds (`not`, `n't`, `never`, `no`, ...).
pub fn negations(text: &str) -> usize {
    normalize::words(text)
        .iter()
        .filter(|w| is_negator(w.as_bytes()))
        .count()
}

/// Whether the word `w` (its bytes, as [`number_value`]) turns a statement around. A
/// `match`, not a table search: it runs for every word of every changed claim.
#[inline(always)]
fn is_negator(w: &[u8]) -> bool {
    // Every negating word but a `n't` form starts with `n`, `w` or `c`: most words are
    // told by their first byte.
    // A slice pattern for `n't`: three byte tests in line, where `ends_with` compared
    // slices (a hundred thousand words on 100 stories).
    let nt = matches!(w, [.., b'n', b'\'', b't']);
    if !matches!(w.first(), Some(b'n' | b'w' | b'c')) {
        return nt;
    }
    matches!(
        w,
        b"not"
            | b"no"
            | b"never"
            | b"none"
            | b"nobody"
            | b"nothing"
            | b"neither"
            | b"nor"
            | b"without"
            | b"cannot"
            | b"nowhere"
            | b"noone"
    ) || nt
}

/// Capitalised words in `text` that are names: not a sentence's first word unless that
/// word never appears in lower case in `lowercase_vocab`. Returned lower-cased.
pub fn names(text: &str, lowercase_vocab: &LowercaseWords<'_>) -> Vec<String> {
    let words = Words::new(text);
    names_in(&words, lowercase_vocab)
        .into_iter()
        .map(|k| words.norm(k).to_string())
        .collect()
}

/// [`names`] over the words of a text, as word indices: a text's names stay in its
/// buffer of normal forms, with no string each.
fn names_in(words: &Words, lowercase_vocab: &LowercaseWords<'_>) -> Vec<usize> {
    let bytes = words.text.as_bytes();
    (0..words.len())
        .filter(|&k| {
            // Most words start with an ASCII char other than a capital: no char to decode.
            let first = bytes[words.toks[k].start];
            (first.is_ascii_uppercase() || !first.is_ascii())
                && is_name(
                    words.text,
                    &words.toks[..=k],
                    words.norm(k),
                    lowercase_vocab,
                )
        })
        .collect()
}

/// Whether the last of `toks` (words of `text`), whose normal form is `norm`, is a name
/// as [`names`] tells them.
fn is_name(text: &str, toks: &[Tok], norm: &str, lowercase_vocab: &LowercaseWords<'_>) -> bool {
    let (k, tok) = (toks.len() - 1, toks[toks.len() - 1]);
    let raw = &text[tok.start..tok.end];
    // (Most names start with an ASCII capital, told without decoding a char. Fewer than
    // two chars: no second one, found without counting them all; five bytes hold two.)
    let capital = raw.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        || raw.starts_with(char::is_uppercase);
    if !capital || (norm.len() < 5 && norm.chars().nth(1).is_none()) {
        return false;
    }
    let sentence_initial = k == 0 || starts_sentence(&text.as_bytes()[toks[k - 1].end..tok.start]);
    !((sentence_initial || is_all_caps(raw)) && lowercase_vocab.contains(norm))
}

fn is_all_caps(raw: &str) -> bool {
    // (The lower-case ASCII chars are `a` to `z`.) Most words are capitalised ASCII,
    // told by their second byte; a char outside ASCII sends the rest to the chars.
    for b in raw.bytes() {
        if b.is_ascii_lowercase() {
            return false;
        }
        if !b.is_ascii() {
            return raw.chars().all(|c| !c.is_lowercase());
        }
    }
    true
}

/// Whether the bytes between two words (whole chars) end a sentence or open a quotation,
/// after which any word is capitalised.
fn starts_sentence(between: &[u8]) -> bool {
    // Mostly a space or `, `: its bytes tested, no char decoded (U+201C and U+2018 are
    // E2 80 9C and E2 80 98, bytes no other char's encoding holds in a row).
    between.iter().enumerate().any(|(i, &b)| match b {
        b'.' | b'!' | b'?' | b':' | b'"' | b'\n' => true,
        0xE2 => matches!(between.get(i + 1..i + 3), Some([0x80, 0x9C | 0x98])),
        _ => false,
    })
}

/// Names in one text whose word does not appear at all in the other:
/// `(only in a, only in b)`. A name that is merely lower-cased or moved in the other
/// text is not reported.
pub fn name_changes(
    a: &str,
    b: &str,
    lowercase_vocab: &LowercaseWords<'_>,
) -> (Vec<String>, Vec<String>) {
    let (fa, fb) = (
        Facts::new(a, lowercase_vocab),
        Facts::new(b, lowercase_vocab),
    );
    name_changes_in(&fa, &fb)
}

/// [`name_changes`] over facts already read.
fn name_changes_in(a: &Facts, b: &Facts) -> (Vec<String>, Vec<String>) {
    // Most versions name the same people in the same order: every name is found.
    if a.names().eq(b.names()) {
        return (Vec::new(), Vec::new());
    }
    searched_name_changes(a, b)
}

/// [`name_changes_in`] by looking every name up in the other text.
fn searched_name_changes(a: &Facts, b: &Facts) -> (Vec<String>, Vec<String>) {
    let only = |this: &Facts, other: &Facts| {
        let mut v: Vec<String> = Vec::new();
        for n in this.names() {
            // A name the other text also names is one of its words, root and all: found
            // among a handful of names without reading every word.
            if other.names().any(|m| m == n) || other.has_root(possessive_root(n)) {
                continue;
            }
            // Runs of one name are reported once.
            if v.last().is_none_or(|last| last != n) {
                v.push(n.to_string());
            }
        }
        v
    };
    (only(a, b), only(b, a))
}

/// What the detectors read from one text, read once: a reference text compared with
/// several versions is not read again for each.
#[derive(Debug, Clone)]
pub struct Facts {
    numbers: Vec<Number>,
    negations: usize,
    /// A buffer holding its words' normal forms, and per word the span of its normal form
    /// in it (kept from its [`Words`]): a text names a handful of people, so looking
    /// their roots up word by word costs less than a set of every word.
    norms: String,
    toks: Vec<Tok>,
    /// The words that are names (see [`names`]), as indices into `toks`.
    names: Vec<usize>,
    quotes: Vec<Quote>,
    /// Per quote, the byte span of the passage between its marks.
    quote_spans: Vec<(usize, usize)>,
    /// Per quote, the words it holds, as indices into `toks`: the words of the passage
    /// alone are the text's words inside it, since a quotation mark neither belongs to
    /// a word nor joins two.
    quote_words: Vec<std::ops::Range<usize>>,
}

impl Facts {
    /// Reads `text`; `lowercase_vocab` as for [`names`].
    pub fn new(text: &str, lowercase_vocab: &LowercaseWords<'_>) -> Facts {
        let mut spans = Vec::with_capacity(text.len() / 6 + 1);
        diff::word_spans(text, &mut spans);
        Facts::of_words(text, &spans, quote_spans(text), lowercase_vocab)
    }

    /// [`Facts::new`] for a text already cut for a word diff.
    pub fn of_pieces(pieces: &Pieces, lowercase_vocab: &LowercaseWords<'_>) -> Facts {
        let text = pieces.text();
        // Most texts quote nobody, as their cut already saw: no search for the marks. A
        // mark is a piece of its own, so the others are found among the pieces.
        let quotes = if pieces.may_quote() {
            quote_spans_at(text, pieces.quote_marks())
        } else {
            Vec::new()
        };
        Facts::of_words(text, pieces.word_spans(), quotes, lowercase_vocab)
    }

    /// The facts of the words at `word_spans` of `text` (as [`normalize::token_spans`]
    /// finds them), which quotes the passages at `spans` (as [`quote_spans`] finds them).
    fn of_words(
        text: &str,
        word_spans: &[(usize, usize)],
        spans: Vec<(usize, usize)>,
        lowercase_vocab: &LowercaseWords<'_>,
    ) -> Facts {
        // One pass over the words reads them, their names and negations, and the words
        // a number starts at (as [`numbers_in`] would walk to them): the numbers, with
        // their look-ahead, are read from those alone.
        let mut norms = Words::lowercased(text);
        let bytes = text.as_bytes();
        // The next byte that is not ASCII, at or after the last word read: a word ends
        // before it is ASCII without reading its bytes (most words of a text with curly
        // quotes are).
        let mut wide = normalize::next_wide(bytes, 0);
        let mut toks = Vec::with_capacity(word_spans.len());
        // Room for the names and figures of a common text from the start: grown a push
        // at a time, most texts would reallocate both two or three times.
        let mut names = Vec::with_capacity(word_spans.len() / 4 + 4);
        let mut negations = 0;
        let mut number_starts = Vec::with_capacity(word_spans.len() / 8 + 4);
        for (k, &(start, end)) in word_spans.iter().enumerate() {
            if wide < start {
                wide = normalize::next_wide(bytes, start);
            }
            let tok = Words::tok(text, &mut norms, wide >= end, start, end);
            toks.push(tok);
            // Most words start with an ASCII char other than a capital: no char to decode.
            let first = bytes[start];
            if (first.is_ascii_uppercase() || !first.is_ascii())
                && is_name(
                    text,
                    &toks,
                    &norms[tok.norm_start..tok.norm_end],
                    lowercase_vocab,
                )
            {
                names.push(k);
            }
            let norm = &norms.as_bytes()[tok.norm_start..tok.norm_end];
            negations += usize::from(is_negator(norm));
            if let Some(value) = number_value(norm) {
                number_starts.push((k, value));
            }
        }
        let words = Words { text, norms, toks };
        let numbers = numbers_from(&words, &number_starts);
        let quote_words = spans
            .iter()
            .map(|&(s, e)| {
                let first = words.toks.partition_point(|t| t.start < s);
                let end = words.toks.partition_point(|t| t.start < e);
                first..end
            })
            .collect();
        Facts {
            numbers,
            negations,
            norms: words.norms,
            toks: words.toks,
            names,
            quotes: spans
                .iter()
                .map(|&(s, e)| Quote::new(&text[s..e]))
                .collect(),
            quote_spans: spans,
            quote_words,
        }
    }

    /// Per quote, the normal forms of its words.
    fn quote_words(&self) -> Vec<Vec<&str>> {
        self.quote_words
            .iter()
            .map(|words| words.clone().map(|k| self.word(k)).collect())
            .collect()
    }

    /// The byte span of quote `k` (in text order) between its marks.
    pub fn quote_span(&self, k: usize) -> (usize, usize) {
        self.quote_spans[k]
    }

    /// The normal form of word `k`.
    fn word(&self, k: usize) -> &str {
        &self.norms[self.toks[k].norm_start..self.toks[k].norm_end]
    }

    /// The names of the text, in order, as [`names`] gives them.
    fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.names.iter().map(|&k| self.word(k))
    }

    /// Whether some word of the text, possessive `'s` cut off, is `root`.
    fn has_root(&self, root: &str) -> bool {
        // Roots are cut when asked: most texts never are (see [`name_changes_in`]).
        if root.ends_with("'s") {
            return (0..self.toks.len()).any(|k| possessive_root(self.word(k)) == root);
        }
        // A root without `'s` is the root of a word that is it, or it and `'s`: told by
        // the word's start, most words by their length or first bytes.
        let (norms, root) = (self.norms.as_bytes(), root.as_bytes());
        self.toks.iter().any(|t| {
            let w = &norms[t.norm_start..t.norm_end];
            w.starts_with(root) && (w.len() == root.len() || &w[root.len()..] == b"'s")
        })
    }

    /// How many negating words the text holds (as [`negations`]).
    pub fn negations(&self) -> usize {
        self.negations
    }
}

/// Figures, names and quotes that differ from `a` to `b`, as [`number_changes`],
/// [`name_changes`] and [`quote_changes`] give them.
pub fn changes(a: &Facts, b: &Facts) -> Changes {
    let quote_pairs = if a.quotes.is_empty() || b.quotes.is_empty() {
        Vec::new()
    } else {
        quote_changes_in(&a.quotes, &b.quotes, a.quote_words(), b.quote_words())
    };
    Changes {
        numbers: number_changes_in(&a.numbers, &b.numbers),
        names: name_changes_in(a, b),
        quotes: quote_texts(&a.quotes, &b.quotes, &quote_pairs),
        quote_pairs,
    }
}

/// What [`changes`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    /// Figures only in `a`, only in `b`.
    pub numbers: (Vec<String>, Vec<String>),
    /// Names only in `a`, only in `b`.
    pub names: (Vec<String>, Vec<String>),
    /// Corresponding quotes whose words differ.
    pub quotes: Vec<(String, String)>,
    /// Per entry of `quotes`, which quote of `a` and of `b` it is (see
    /// [`Facts::quote_span`]).
    pub quote_pairs: Vec<(usize, usize)>,
}

/// `w` without a possessive `'s`.
fn possessive_root(w: &str) -> &str {
    w.strip_suffix("'s").unwrap_or(w)
}

/// A quoted passage: the words between matching quotation marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The passage as written, without its quotation marks.
    pub text: String,
}

/// Quoted passages in `text`: between curly double quotes, or between pairs of straight
/// double quotes. An opening mark with no closing one runs to the end of the text.
pub fn quotes(text: &str) -> Vec<Quote> {
    quote_spans(text)
        .into_iter()
        .map(|(s, e)| Quote::new(&text[s..e]))
        .collect()
}

/// The byte spans of the passages [`quotes`] finds, quotation marks left out.
fn quote_spans(text: &str) -> Vec<(usize, usize)> {
    // Most texts quote nobody: a search for each mark (by `memchr`, many bytes a step)
    // spares the byte-by-byte scan.
    if !(text.contains('"')
        || text.contains('\u{201C}')
        || text.contains('\u{201D}')
        || text.contains('\u{201E}'))
    {
        return Vec::new();
    }
    quote_spans_at(text, quote_marks(text))
}

/// [`quote_spans`] given the double quotation marks of `text` in order, with their byte
/// offsets.
fn quote_spans_at(text: &str, marks: impl Iterator<Item = (usize, char)>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut push = |s: usize, e: usize| {
        if holds_word(&text[s..e]) {
            out.push((s, e));
        }
    };
    for (i, c) in marks {
        match (c, open) {
            ('\u{201C}' | '\u{201E}', _) => open = Some(i + c.len_utf8()),
            ('\u{201D}', Some(s)) | ('"', Some(s)) => {
                push(s, i);
                open = None;
            }
            ('"', None) => open = Some(i + 1),
            _ => {}
        }
    }
    if let Some(s) = open {
        push(s, text.len());
    }
    out
}

/// The double quotation marks of `text` (`"` and U+201C to U+201E) with their byte
/// offsets. Only those marks matter: bytes are scanned (the curly ones are E2 80 9C to
/// 9E), decoding nothing else.
fn quote_marks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, &b)| match b {
        b'"' => Some((i, '"')),
        0xE2 => match bytes.get(i + 1..i + 3) {
            Some([0x80, 0x9C]) => Some((i, '\u{201C}')),
            Some([0x80, 0x9D]) => Some((i, '\u{201D}')),
            Some([0x80, 0x9E]) => Some((i, '\u{201E}')),
            _ => None,
        },
        _ => None,
    })
}

impl Quote {
    /// The quote of a passage found between quotation marks.
    fn new(inner: &str) -> Self {
        Quote {
            text: inner.trim().to_string(),
        }
    }
}

/// Whether a passage between quotation marks is a quote: it holds a word as soon as it
/// holds a letter or digit.
fn holds_word(inner: &str) -> bool {
    inner.chars().any(char::is_alphanumeric)
}

/// Quoted passages that correspond across the two texts but whose words differ:
/// `(quote in a, quote in b)` pairs. Passages correspond when they share at least half
/// their words; equality ignores case, typography and punctuation.
pub fn quote_changes(a: &str, b: &str) -> Vec<(String, String)> {
    let (qa, qb) = (quotes(a), quotes(b));
    let words =
        |q: &[Quote]| -> Vec<Vec<String>> { q.iter().map(|q| normalize::words(&q.text)).collect() };
    let (wa, wb) = (words(&qa), words(&qb));
    let pairs = quote_changes_in(&qa, &qb, as_strs(&wa), as_strs(&wb));
    quote_texts(&qa, &qb, &pairs)
}

/// The texts of the quotes at `pairs`.
fn quote_texts(qa: &[Quote], qb: &[Quote], pairs: &[(usize, usize)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|&(i, k)| (qa[i].text.clone(), qb[k].text.clone()))
        .collect()
}

fn as_strs(words: &[Vec<String>]) -> Vec<Vec<&str>> {
    words
        .iter()
        .map(|w| w.iter().map(String::as_str).collect())
        .collect()
}

/// [`quote_changes`] over quotes already found, with the normal forms of their words, as
/// indices into `qa` and `qb`.
fn quote_changes_in(
    qa: &[Quote],
    qb: &[Quote],
    words_a: Vec<Vec<&str>>,
    words_b: Vec<Vec<&str>>,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if qa.is_empty() || qb.is_empty() {
        return out;
    }
    let mut used = vec![false; qb.len()];
    for (i, wa) in words_a.into_iter().enumerate() {
        let mut best: Option<(f64, usize)> = None;
        for (k, wr) in words_b.iter().enumerate() {
            if used[k] {
                continue;
            }
            // Most quotes are carried word for word: all their words shared, no sets
            // built, and none after them can share more.
            let same = !wa.is_empty() && wa == *wr;
            let overlap = if same { 1.0 } else { word_overlap(&wa, wr) };
            if overlap >= 0.5 && best.is_none_or(|(o, _)| overlap > o) {
                best = Some((overlap, k));
            }
            if same {
                break;
            }
        }
        if let Some((_, k)) = best {
            used[k] = true;
            let wr = &words_b[k];
            // Compare as the run of words the reader sees: a dropped or swapped word in a
            // direct quote is the finding, even when every other word agrees.
            if !contains_run(&wa, wr) && !contains_run(wr, &wa) {
                out.push((i, k));
            }
        }
    }
    out
}

/// Whether `part` occurs as a contiguous run inside `whole`. A quote that an outlet
/// trimmed at either end keeps the speaker's words; one edited inside does not.
fn contains_run(whole: &[&str], part: &[&str]) -> bool {
    if part.is_empty() {
        return true;
    }
    whole.windows(part.len()).any(|w| w == part)
}

/// Share of the smaller word set found in the larger.
fn word_overlap(a: &[&str], b: &[&str]) -> f64 {
    // One table marks each distinct word with the sides it is on (1: `a`, 2: `b`):
    // every word is hashed once, and the counts are read off the marks.
    let mut sides: FxHashMap<&str, u8> =
        FxHashMap::with_capacity_and_hasher(a.len() + b.len(), Default::default());
    for &w in a {
        sides.insert(w, 1);
    }
    for &w in b {
        *sides.entry(w).or_default() |= 2;
    }
    let (mut only_a, mut only_b, mut shared) = (0usize, 0usize, 0usize);
    for &mark in sides.values() {
        match mark {
            1 => only_a += 1,
            2 => only_b += 1,
            _ => shared += 1,
        }
    }
    let small = (only_a + shared).min(only_b + shared);
    if small == 0 {
        0.0
    } else {
        shared as f64 / small as f64
    }
}

/// Every word of any text that appears in lower case somewhere: lets [`names`] tell a
/// sentence-initial `The` from a sentence-initial `Kerry`.
pub fn lowercase_vocabulary<'a>(texts: impl IntoIterator<Item = &'a str>) -> LowercaseWords<'a> {
    lowercase_vocabulary_of([], texts, 0)
}

/// [`lowercase_vocabulary`] of the texts of `cut`, already cut for a word diff, and of
/// `texts`: a text of both is not cut again. `texts` gives about `count` texts (room is
/// made for them at once; 0 if not known).
pub fn lowercase_vocabulary_of<'a, 'p>(
    cut: impl IntoIterator<Item = &'p Pieces<'a>>,
    texts: impl IntoIterator<Item = &'a str>,
    count: usize,
) -> LowercaseWords<'a>
where
    'a: 'p,
{
    // A story's texts write some hundreds of lower-case words: room for them from the
    // start, not rehashed as the set grows.
    let mut out = LowercaseWords::with_capacity_and_hasher(1024, Default::default());
    let mut word = String::new();
    // Versions of one story repeat most sentences word for word. Rehashing the set
    // hashes every text again, a read of memory far apart for each of hundreds of
    // thousands: room for all of them from the start.
    let mut read: FxHashSet<Sentence> =
        FxHashSet::with_capacity_and_hasher(count.max(256), Default::default());
    // Most lower-case words are repeats of a few common ones (`the`, `of`): a small
    // table of words already added, keyed by their first seven bytes and length
    // ([`normalize::pack_short`]), finds them without hashing, and most without comparing
    // their bytes.
    let mut recent: [(u64, &[u8]); 1024] = [(0, &[]); 1024];
    // (The word at `start..end` of `text`, read as bytes: its `str` is cut only to be
    // kept.)
    let mut add = |text: &'a str, start: usize, end: usize, word: &mut String| {
        let raw = &text.as_bytes()[start..end];
        // A word of up to seven bytes is its key; a longer one shares its key with the
        // words of its first seven bytes, and is compared whole.
        let key = normalize::pack_short(&raw[..raw.len().min(7)]);
        // An ASCII word without capitals (most of them) is its own normal form: tested
        // seven bytes at a time.
        let own = plain_lower(key)
            && raw[raw.len().min(7)..]
                .chunks(7)
                .all(|c| plain_lower(normalize::pack_short(c)));
        if own {
            let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize;
            let (k, w) = recent[slot];
            if k != key || w.len() != raw.len() || (raw.len() > 7 && w != raw) {
                recent[slot] = (key, raw);
                out.insert(Cow::Borrowed(&text[start..end]));
            }
            return;
        }
        let raw = &text[start..end];
        // (A word in lower case is no number.)
        word.clear();
        if !diff::push_apostrophe_fold(raw, true, word) {
            normalize::push_norm_token(raw, word);
        }
        if !out.contains(word.as_str()) {
            out.insert(Cow::Owned(word.clone()));
        }
    };
    // Spans of the words that start in lower case: in a plain text (most news copy) those
    // starting with `a` to `z`, noted as the text is cut, or found among the words of
    // its cut. (The words of both kinds of text are added at one place, which keeps
    // `add` inlined.)
    let mut spans = Vec::new();
    let cut = cut.into_iter().map(|p| (p.text(), Some(p)));
    for (text, pieces) in cut.chain(texts.into_iter().map(|t| (t, None))) {
        if !read.insert(Sentence(text)) {
            continue;
        }
        spans.clear();
        let bytes = text.as_bytes();
        if let Some(pieces) = pieces {
            spans.extend(pieces.word_spans().iter().filter(|&&(start, end)| {
                if bytes[start].is_ascii() {
                    bytes[start].is_ascii_lowercase()
                } else {
                    text[start..end].starts_with(char::is_lowercase)
                }
            }));
        } else {
            // Noted first and added only once the cut is through: a cut that stops
            // short may have ended a word early (`abc` of `abcé`).
            let plain = diff::cut_plain(text, |start, end, word, _| {
                if word && bytes[start].is_ascii_lowercase() {
                    spans.push((start, end));
                }
            });
            if !plain {
                spans.clear();
                diff::word_spans(text, &mut spans);
                spans.retain(|&(start, end)| text[start..end].starts_with(char::is_lowercase));
            }
        }
        for &(start, end) in &spans {
            add(text, start, end, &mut word);
        }
    }
    out
}

/// Whether the bytes a [`normalize::pack_short`] key holds (its low seven bytes; those
/// past the word's length are zero) are all ASCII and none a capital: each byte tested
/// at once.
fn plain_lower(key: u64) -> bool {
    const HIGH: u64 = 0x0080_8080_8080_8080;
    let x = key & ((1 << 56) - 1);
    if x & HIGH != 0 {
        return false;
    }
    // Below 0x80 every byte plus 0x3F or 0x25 stays within its byte: the sums reach
    // 0x80 from `A` (0x41) and past `Z` (0x5A) on.
    let from_a = x + 0x003F_3F3F_3F3F_3F3F;
    let past_z = x + 0x0025_2525_2525_2525;
    from_a & !past_z & HIGH == 0
}

/// A text as the key of a set of texts read: hashed by its length and its first and
/// last eight bytes, which tell most sentences apart without hashing them whole.
#[derive(PartialEq, Eq)]
struct Sentence<'a>(&'a str);

impl std::hash::Hash for Sentence<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let b = self.0.as_bytes();
        state.write_usize(b.len());
        if let (Some(first), Some(last)) = (b.first_chunk::<8>(), b.last_chunk::<8>()) {
            state.write_u64(u64::from_le_bytes(*first));
            state.write_u64(u64::from_le_bytes(*last));
        } else {
            state.write(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lower_tells_words_without_capitals_or_wider_bytes() {
        let words: Vec<Vec<u8>> = (0..=255u8)
            .map(|b| vec![b])
            .chain((0..=255u8).map(|b| vec![b'a', b, b'z', b'0', b'\'', b'.', b]))
            .chain([b"abcdefg".to_vec(), b"abCdefg".to_vec(), Vec::new()])
            .collect();
        for w in words {
            let want = w.iter().all(|b| b.is_ascii() && !b.is_ascii_uppercase());
            assert_eq!(plain_lower(normalize::pack_short(&w)), want, "{w:?}");
        }
    }

    fn vocab() -> LowercaseWords<'static> {
        lowercase_vocabulary(["the talks went on and the minister said it would end"])
    }

    use proptest::prelude::*;

    proptest! {
        // The quick normal form of a word with a typographic apostrophe is the one every
        // token gets, or none at all.
        #[test]
        fn apostrophe_fold_is_the_token_norm(
            raw in "[aB1,.'\u{2019}\u{2bc}\u{e9}]{1,10}",
            before in "[a\u{e9}]{0,3}",
        ) {
            let number = raw.starts_with(|c: char| c.is_ascii_digit()) && raw.contains(',');
            let mut out = before.clone();
            if diff::push_apostrophe_fold(&raw, true, &mut out) {
                if !number {
                    let mut want = before.clone();
                    normalize::push_norm_token(&raw, &mut want);
                    prop_assert_eq!(out, want);
                }
            } else {
                prop_assert_eq!(out, before);
            }
        }
    }

    /// The words of `text` as [`normalize::tokens`] gives them, spans and normal forms.
    fn tokens_of(words: &Words) -> Vec<(usize, usize, String)> {
        (0..words.len())
            .map(|k| {
                (
                    words.toks[k].start,
                    words.toks[k].end,
                    words.norm(k).to_string(),
                )
            })
            .collect()
    }

    /// [`numbers_in`] as it walked every word, the reference for the read from number
    /// starts alone.
    fn numbers_walking_every_word(words: &Words) -> Vec<Number> {
        let mut out = Vec::new();
        let mut i = 0;
        let value_at =
            |j: usize| (j < words.len()).then(|| number_value(words.norm(j).as_bytes()))?;
        while i < words.len() {
            let Some(mut value) = number_value(words.norm(i).as_bytes()) else {
                i += 1;
                continue;
            };
            let start = words.toks[i].start;
            let mut end = words.toks[i].end;
            let mut j = i + 1;
            let tens = (20.0..100.0).contains(&value) && value % 10.0 == 0.0;
            if let Some(u) = value_at(j)
                && tens
                && (1.0..10.0).contains(&u)
                && u.fract() == 0.0
            {
                value += u;
                end = words.toks[j].end;
                j += 1;
            }
            while let Some(scale) = (j < words.len())
                .then(|| scale_value(words.norm(j)))
                .flatten()
            {
                value *= scale;
                end = words.toks[j].end;
                j += 1;
            }
            let bare_word = j == i + 1 && !words.norm(i).starts_with(|c: char| c.is_ascii_digit());
            if !(bare_word && value <= 1.0) {
                out.push(Number {
                    value,
                    text: words.text[start..end].to_string(),
                });
            }
            i = j;
        }
        out
    }

    proptest! {
        #[test]
        fn has_root_is_a_word_with_its_possessive_cut(
            text in "[ab's ]{0,16}",
            root in "[ab's]{0,5}",
        ) {
            let vocab = lowercase_vocabulary([]);
            let facts = Facts::new(&text, &vocab);
            let want = (0..facts.toks.len()).any(|k| possessive_root(facts.word(k)) == root);
            prop_assert_eq!(facts.has_root(&root), want);
        }

        // One table of marks counts as the two hash sets it replaced did.
        #[test]
        fn word_overlap_is_the_share_of_shared_distinct_words(
            a in proptest::collection::vec("[a-d]{0,2}", 0..12),
            b in proptest::collection::vec("[a-d]{0,2}", 0..12),
        ) {
            let (a, b): (Vec<&str>, Vec<&str>) = (
                a.iter().map(String::as_str).collect(),
                b.iter().map(String::as_str).collect(),
            );
            let sa: FxHashSet<&str> = a.iter().copied().collect();
            let sb: FxHashSet<&str> = b.iter().copied().collect();
            let small = sa.len().min(sb.len());
            let want = if small == 0 {
                0.0
            } else {
                sa.intersection(&sb).count() as f64 / small as f64
            };
            prop_assert_eq!(word_overlap(&a, &b).to_bits(), want.to_bits());
        }

        #[test]
        fn number_values_are_number_words_or_figures(
            word in "(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozen|half|quarter|[a-z]{0,10}|[0-9.]{1,5}[a-z]{0,2}|\\PC{0,6})",
        ) {
            let want = if word.starts_with(|c: char| c.is_ascii_digit()) {
                let digits = word
                    .bytes()
                    .position(|b| !(b.is_ascii_digit() || b == b'.'))
                    .unwrap_or(word.len());
                word[..digits].parse().ok()
            } else {
                number_word(word.as_bytes())
            };
            prop_assert_eq!(number_value(word.as_bytes()), want);
        }

        #[test]
        fn negators_are_the_listed_words_and_nt_forms(
            word in "(not|no|never|none|nobody|nothing|neither|nor|without|cannot|nowhere|noone|[a-z']{0,6}n't|[a-z']{0,8}|\\PC{0,6})",
        ) {
            let want = [
                "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without",
                "cannot", "nowhere", "noone",
            ]
            .contains(&word.as_str())
                || word.ends_with("n't");
            prop_assert_eq!(is_negator(word.as_bytes()), want);
        }

        #[test]
        fn sentence_starts_and_capitals_are_found_as_by_decoding_every_char(
            text in "[ ,.!?:;\"'\n\u{201c}\u{2018}\u{201d}aAzZ\u{e9}\u{c9}]{0,8}|\\PC{0,8}",
        ) {
            let want = text.contains(['.', '!', '?', ':', '"', '\u{201C}', '\u{2018}', '\n']);
            prop_assert_eq!(starts_sentence(text.as_bytes()), want);
            prop_assert_eq!(is_all_caps(&text), text.chars().all(|c| !c.is_lowercase()));
        }

        #[test]
        fn words_are_the_tokens(text in "[a-zA-Z0-9 ,.'\u{2019}\u{201c}\u{c9}]{0,40}|\\PC{0,30}") {
            let want: Vec<(usize, usize, String)> = normalize::tokens(&text)
                .into_iter()
                .map(|t| (t.start, t.end, t.norm))
                .collect();
            prop_assert_eq!(tokens_of(&Words::new(&text)), want);
        }

        #[test]
        fn facts_read_in_one_pass_are_the_detectors_answers(
            text in "((twenty|one|half|two|five|ten|million|hundreds|thousand|dozen|not|no|can't|never|Never|The|the|Kerry|IBM|NASA|U.S.|said|a|1,500|3.5|20|7|1.2.3|\u{c9}mile|don\u{2019}t|caf\u{e9})[ ,.\"\u{201c}\u{201d}]{1,2}){0,12}|[a-zA-Z0-9 ,.'\u{2019}\u{c9}]{0,30}|\\PC{0,20}",
            vocab in "(the|never|nasa|a) {0,3}",
        ) {
            let vocab = lowercase_vocabulary([vocab.as_str()]);
            let facts = Facts::new(&text, &vocab);
            let words = Words::new(&text);
            prop_assert_eq!(&facts.numbers, &numbers_walking_every_word(&words));
            prop_assert_eq!(&numbers(&text), &facts.numbers);
            prop_assert_eq!(facts.negations(), negations(&text));
            prop_assert_eq!(facts.names().collect::<Vec<_>>(), names(&text, &vocab));
            let toks: Vec<(usize, usize, String)> = (0..facts.toks.len())
                .map(|k| (facts.toks[k].start, facts.toks[k].end, facts.word(k).to_string()))
                .collect();
            prop_assert_eq!(toks, tokens_of(&words));
        }

        #[test]
        fn name_changes_are_names_whose_root_the_other_text_lacks(
            a in "[a-bA-B ,.'\u{2019}\u{c9}]{0,30}|\\PC{0,20}",
            b in "[a-bA-B ,.'\u{2019}\u{c9}]{0,30}|\\PC{0,20}",
        ) {
            let (fa, fb) = (Facts::new(&a, &vocab()), Facts::new(&b, &vocab()));
            let only = |x: &Facts, y: &Facts| {
                let mut v: Vec<String> = x
                    .names()
                    .filter(|n| !y.has_root(possessive_root(n)))
                    .map(str::to_string)
                    .collect();
                v.dedup();
                v
            };
            prop_assert_eq!(name_changes_in(&fa, &fb), (only(&fa, &fb), only(&fb, &fa)));
        }

        #[test]
        fn the_same_names_or_figures_in_order_are_no_change(
            a in "[a-bA-B0-9 ,.'\u{2019}\u{c9}]{0,30}|\\PC{0,20}",
            b in "[a-bA-B0-9 ,.'\u{2019}\u{c9}]{0,30}|\\PC{0,20}",
            tail in "[a-b ,]{0,8}",
        ) {
            // `b` is either any text or `a` with lower-case words after it: the same
            // names and figures.
            for b in [b, format!("{a} {tail}")] {
                let (fa, fb) = (Facts::new(&a, &vocab()), Facts::new(&b, &vocab()));
                prop_assert_eq!(name_changes_in(&fa, &fb), searched_name_changes(&fa, &fb));
                prop_assert_eq!(
                    number_changes_in(&fa.numbers, &fb.numbers),
                    counted_number_changes(&fa.numbers, &fb.numbers)
                );
            }
        }

        #[test]
        fn a_root_is_found_when_some_word_has_it(
            text in "[a-bA-B ,.'\u{2019}s]{0,30}|\\PC{0,20}",
            probe in "[a-b]{0,3}|[a-b]{0,2}'s",
        ) {
            let facts = Facts::new(&text, &vocab());
            let want = normalize::words(&text).iter().any(|w| possessive_root(w) == probe);
            prop_assert_eq!(facts.has_root(&probe), want);
        }

        #[test]
        fn names_are_found_as_by_decoding_every_first_char(text in "[a-bA-B1 ,.'\u{2019}\u{e9}\u{c9}\u{1f1}\u{2160}]{0,40}|\\PC{0,30}", vocab in "[a-b \u{e9}]{0,12}") {
            let vocab = lowercase_vocabulary([vocab.as_str()]);
            let words = Words::new(&text);
            let mut want = Vec::new();
            for k in 0..words.len() {
                let (raw, norm) = (words.raw(k), words.norm(k));
                if !raw.starts_with(char::is_uppercase) || norm.chars().count() < 2 {
                    continue;
                }
                let sentence_initial = k == 0
                    || starts_sentence(&words.text.as_bytes()[words.toks[k - 1].end..words.toks[k].start]);
                if (sentence_initial || is_all_caps(raw)) && vocab.contains(norm) {
                    continue;
                }
                want.push(norm.to_string());
            }
            let got: Vec<String> =
                names_in(&words, &vocab).into_iter().map(|k| words.norm(k).to_string()).collect();
            prop_assert_eq!(&got, &want);
            let facts = Facts::new(&text, &vocab);
            prop_assert_eq!(facts.names().collect::<Vec<_>>(), want);
        }

        #[test]
        fn the_words_of_a_quote_are_the_texts_words_inside_it(text in "[a-bA1 ,.'\u{2019}\"\u{201c}\u{201d}\u{201e}\u{e9}]{0,40}|\\PC{0,30}") {
            let facts = Facts::new(&text, &vocab());
            let quotes = quotes(&text);
            let want: Vec<Vec<String>> = quotes.iter().map(|q| normalize::words(&q.text)).collect();
            prop_assert_eq!(&facts.quotes, &quotes);
            prop_assert_eq!(facts.quote_words(), as_strs(&want));
        }

        #[test]
        fn facts_of_a_cut_text_are_the_facts_of_the_text(
            text in "[a-bA1 ,.'\u{2019}\"\u{201c}\u{201d}\u{201e}\u{2014}\u{e9}]{0,40}|\\PC{0,30}",
        ) {
            let pieces = Pieces::new(&text);
            let (cut, read) = (Facts::of_pieces(&pieces, &vocab()), Facts::new(&text, &vocab()));
            prop_assert_eq!(format!("{cut:?}"), format!("{read:?}"));
            prop_assert!(pieces.may_quote() || quote_marks(&text).next().is_none());
        }

        #[test]
        fn quote_marks_are_found_as_by_decoding_every_char(text in "[a \"\u{201c}\u{201d}\u{201e}\u{201f}\u{2018}\u{2014}\u{e9}]{0,30}|\\PC{0,30}") {
            let want: Vec<(usize, char)> = text
                .char_indices()
                .filter(|&(_, c)| matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}'))
                .collect();
            prop_assert_eq!(quote_marks(&text).collect::<Vec<_>>(), want.clone());
            prop_assert_eq!(Pieces::new(&text).quote_marks().collect::<Vec<_>>(), want.clone());
            if want.is_empty() {
                prop_assert!(quote_spans(&text).is_empty());
            }
        }

        #[test]
        fn a_diff_of_quotes_within_their_texts_is_the_diff_of_the_quotes(
            a in "[a-bA1 ,.'\u{2019}\"\u{201c}\u{201d}\u{201e}\u{2014}\u{a0}\u{e9}]{0,40}|\\PC{0,30}",
            b in "[a-bA1 ,.'\u{2019}\"\u{201c}\u{201d}\u{201e}\u{2014}\u{a0}\u{e9}]{0,40}|\\PC{0,30}",
        ) {
            let (pa, pb) = (Pieces::new(&a), Pieces::new(&b));
            let (fa, fb) = (Facts::of_pieces(&pa, &vocab()), Facts::of_pieces(&pb, &vocab()));
            for (i, qa) in fa.quotes.iter().enumerate() {
                for (k, qb) in fb.quotes.iter().enumerate() {
                    let within = diff::word_diff_within(
                        &pa,
                        pa.pieces_in(fa.quote_span(i)),
                        &pb,
                        pb.pieces_in(fb.quote_span(k)),
                    );
                    prop_assert_eq!(within, diff::word_diff(&qa.text, &qb.text));
                }
            }
        }

        #[test]
        fn a_passage_has_a_word_when_it_has_a_token(inner in "[ ,.'\u{2019}\u{a0}a1\u{e9}\u{2160}]{0,6}|\\PC{0,8}") {
            prop_assert_eq!(holds_word(&inner), !normalize::tokens(&inner).is_empty());
        }

        #[test]
        fn lowercase_vocabulary_is_the_lower_case_words(texts in prop::collection::vec("[a-cA-C0-9 ,.'\u{2019}\u{201c}\u{2014}\u{e9}\u{c9}]{0,20}|\\PC{0,12}|((abcdefg|abcdefgh|abcdefgi|abcdefghi|abcdefghj|abcdefgHi|abcdEfghi|abcdefghijklmnO|abcdefghijklmno|a|b) ?){0,8}", 0..4)) {
            let want: LowercaseWords = texts
                .iter()
                .flat_map(|t| {
                    normalize::tokens(t)
                        .into_iter()
                        .filter(|w| t[w.start..w.end].starts_with(char::is_lowercase))
                        .map(|w| Cow::Owned(w.norm))
                })
                .collect();
            prop_assert_eq!(lowercase_vocabulary(texts.iter().map(String::as_str)), want.clone());
            // Texts cut for a word diff give the words their cut found.
            let cut: Vec<Pieces> = texts.iter().step_by(2).map(|t| Pieces::new(t)).collect();
            let all = texts.iter().map(String::as_str);
            prop_assert_eq!(lowercase_vocabulary_of(&cut, all, texts.len()), want.clone());
            // Texts read again, as repeats of a story's sentences are, add nothing.
            let twice = texts.iter().chain(texts.iter().rev()).map(String::as_str);
            prop_assert_eq!(lowercase_vocabulary(twice), want);
        }
    }

    #[test]
    fn number_words_and_figures_are_read() {
        for (w, v) in [
            ("zero", 0.0),
            ("seventeen", 17.0),
            ("ninety", 90.0),
            ("dozen", 12.0),
            ("quarter", 0.25),
            ("3.5bn", 3.5),
            ("5000", 5000.0),
        ] {
            assert_eq!(number_value(w.as_bytes()), Some(v), "{w}");
        }
        for w in ["tens", "one's", "none", "", "Seven"] {
            assert_eq!(number_value(w.as_bytes()), None, "{w}");
        }
    }

    #[test]
    fn changed_hours_are_found() {
        let (a, b) = number_changes("They met for 10 hours.", "They met for 12 hours.");
        assert_eq!((a, b), (vec!["10".to_string()], vec!["12".to_string()]));
    }

    #[test]
    fn equal_figures_written_differently_agree() {
        for (x, y) in [
            ("5,000 people", "5000 people"),
            ("ten hours", "10 hours"),
            ("a half-million people", "500,000 people"),
            ("$3.5 billion", "3,500 million dollars"),
            ("twenty-five boats", "25 boats"),
        ] {
            assert_eq!(number_changes(x, y), (vec![], vec![]), "{x} / {y}");
        }
    }

    #[test]
    fn half_million_against_four_hundred_thousand_differs() {
        let (a, b) = number_changes(
            "killed as many as a half-million people",
            "killed as many as 400,000 people",
        );
        assert_eq!(a, vec!["half-million"]);
        assert_eq!(b, vec!["400,000"]);
    }

    #[test]
    fn one_as_a_pronoun_is_not_a_number() {
        assert!(numbers("One of the ministers said no one knew.").is_empty());
    }

    #[test]
    fn negation_counts() {
        assert_eq!(negations("The council will approve it."), 0);
        assert_eq!(negations("The council will not approve it."), 1);
        assert_eq!(negations("The council didn’t approve it."), 1);
    }

    #[test]
    fn a_changed_surname_is_a_name_change() {
        let (a, b) = name_changes(
            "Sen. Maria Ortiz voted against the bill.",
            "Sen. Maria Ortega voted against the bill.",
            &vocab(),
        );
        assert_eq!(
            (a, b),
            (vec!["ortiz".to_string()], vec!["ortega".to_string()])
        );
    }

    #[test]
    fn lower_casing_a_title_is_not_a_name_change() {
        let (a, b) = name_changes(
            "Foreign Minister Sergey Lavrov said the talks went on.",
            "Lavrov, the foreign minister, said the talks went on.",
            &vocab(),
        );
        assert!(a.iter().all(|n| n == "sergey"), "{a:?}");
        assert!(b.is_empty(), "{b:?}");
    }

    #[test]
    fn sentence_initial_common_word_is_not_a_name() {
        assert!(names("The talks went on.", &vocab()).is_empty());
        assert_eq!(names("Kerry said it.", &vocab()), vec!["kerry"]);
    }

    #[test]
    fn one_word_changed_inside_a_quote_is_found() {
        let c = quote_changes(
            "“The results will not be tomorrow,” Kerry said.",
            "“The results will not come tomorrow,” Kerry said.",
        );
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn a_quote_carried_word_for_word_takes_its_twin_not_a_later_match() {
        // The first quote of `b` is the same words as the first of `a`, and so pairs
        // with it (a search stopped there); the second pairs with the changed second.
        let a = "“We will talk,” he said. “We will talk again soon,” she said.";
        let b = "“We will talk,” he said. “We will talk again later,” she said.";
        assert_eq!(
            quote_changes(a, b),
            vec![(
                "We will talk again soon,".to_string(),
                "We will talk again later,".to_string()
            )]
        );
    }

    #[test]
    fn typography_inside_a_quote_is_not_a_change() {
        let c = quote_changes(
            "“It’s a start — nothing more,” Kerry said.",
            "\"It's a start - nothing more,\" Kerry said.",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn a_trimmed_quote_keeps_the_speakers_words() {
        let c = quote_changes(
            "Kerry said the steps could “help restore the cessation of hostilities.”",
            "Kerry said the steps could “help restore the cessation.”",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn unbalanced_quote_runs_to_the_end() {
        assert_eq!(quotes("He said “it is over").len(), 1);
    }
}
