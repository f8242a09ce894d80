//! Word-level diff between two texts of one claim: runs of kept, deleted and inserted
//! words, as written in each text. Words are compared up to typography, so a curly
//! quote against a straight one is not shown as an edit; case is kept, so a lower-cased
//! title is.

use std::borrow::Cow;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use crate::normalize;

/// What a run of words does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiffOp {
    /// In both texts.
    Equal,
    /// Only in the reference text.
    Delete,
    /// Only in the other text.
    Insert,
}

impl DiffOp {
    /// The lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DiffOp::Equal => "equal",
            DiffOp::Delete => "delete",
            DiffOp::Insert => "insert",
        }
    }
}

/// One run of a word diff: consecutive pieces with the same op, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// What the run does.
    pub op: DiffOp,
    /// The run's text, exactly as in its source text (the reference for deletions and
    /// kept words, the other text for insertions).
    pub text: String,
    /// Whether whitespace precedes the run in its source text, so runs can be laid out
    /// inline as written (no space before a comma, one between words).
    pub space_before: bool,
}

/// A word diff: runs in reading order. Deletions come before the insertions that
/// replace them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordDiff {
    /// The runs.
    pub runs: Vec<Run>,
}

impl WordDiff {
    /// Number of words deleted and inserted.
    pub fn edits(&self) -> usize {
        self.runs
            .iter()
            .filter(|r| r.op != DiffOp::Equal)
            .map(|r| r.text.split_whitespace().count())
            .sum()
    }

    /// The runs laid out as one line, each passed through `mark` with its op.
    pub fn layout(&self, mut mark: impl FnMut(DiffOp, &str) -> String) -> String {
        let mut out = String::new();
        for (k, r) in self.runs.iter().enumerate() {
            if k > 0 && r.space_before {
                out.push(' ');
            }
            out.push_str(&mark(r.op, &r.text));
        }
        out
    }
}

/// Pieces of a text as byte spans: words and single punctuation marks.
#[cfg(test)]
fn pieces(text: &str) -> Vec<(usize, usize)> {
    Pieces::new(text).spans
}

/// A text cut into the pieces a word diff compares, with what they are compared by:
/// read once, diffed against several texts.
#[derive(Debug, Clone)]
pub struct Pieces<'t> {
    text: &'t str,
    /// Byte spans of its words and single punctuation marks.
    spans: Vec<(usize, usize)>,
    /// Byte spans of its words alone, as [`normalize::token_spans`] gives them.
    words: Vec<(usize, usize)>,
    /// Per piece, its typographic fold.
    keys: Vec<Cow<'t, str>>,
    /// Whether the text may hold a double quotation mark: `false` only when the cut saw
    /// none among its pieces.
    quote_mark: bool,
}

impl<'t> Pieces<'t> {
    /// Cuts `text`.
    pub fn new(text: &'t str) -> Self {
        // About one piece per five bytes of news text, one word per six.
        let mut spans = Vec::with_capacity(text.len() / 4 + 1);
        let mut words = Vec::with_capacity(text.len() / 6 + 1);
        let mut keys = Vec::with_capacity(spans.capacity());
        let mut quote_mark = false;
        let plain = cut_plain(text, |start, end, word, ascii| {
            spans.push((start, end));
            if word {
                words.push((start, end));
            } else {
                // A mark is a piece of its own: only marks are looked at.
                quote_mark |= is_double_quote(&text.as_bytes()[start..end]);
            }
            // The cut tells which pieces need folding.
            keys.push(piece_key(&text[start..end], ascii));
        });
        if !plain {
            quote_mark = true;
            spans.clear();
            words.clear();
            cut(text, &mut spans, &mut words);
            keys = spans
                .iter()
                .map(|&(s, e)| piece_key(&text[s..e], text[s..e].is_ascii()))
                .collect();
        }
        Pieces {
            text,
            spans,
            words,
            keys,
            quote_mark,
        }
    }

    /// Whether the text may hold a double quotation mark (`"`, U+201C to U+201E): `false`
    /// tells a text that quotes nobody without a search.
    pub fn may_quote(&self) -> bool {
        self.quote_mark
    }

    /// The text cut.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Byte spans of the text's word tokens, in order.
    pub fn word_spans(&self) -> &[(usize, usize)] {
        &self.words
    }
}

/// Appends the byte spans of the word tokens of `text` to `out`, as
/// [`normalize::token_spans`] finds them; a plain text (most news copy) is read byte by
/// byte.
pub fn word_spans(text: &str, out: &mut Vec<(usize, usize)>) {
    let before = out.len();
    let plain = cut_plain(text, |start, end, word, _| {
        if word {
            out.push((start, end));
        }
    });
    if !plain {
        out.truncate(before);
        normalize::token_spans(text, |start, end| out.push((start, end)));
    }
}

/// Cuts `text` into pieces (`spans`) and words alone (`words`), any text.
fn cut(text: &str, spans: &mut Vec<(usize, usize)>, words: &mut Vec<(usize, usize)>) {
    let mut last = 0;
    normalize::token_spans(text, |start, end| {
        push_marks(text, last, start, spans);
        spans.push((start, end));
        words.push((start, end));
        last = end;
    });
    push_marks(text, last, text.len(), spans);
}

/// Cuts a text of ASCII, curly quotes and dashes (most news copy) into pieces byte by
/// byte, as [`Pieces::new`] does in general: calls `f(start, end, is_word, is_ascii)`
/// for each piece in order. Returns `false`, having stopped, at a char such a text does not hold.
/// Its letters and digits are all ASCII and its other chars all punctuation, which
/// keeps [`normalize::token_spans`]'s rules to a few byte tests.
fn cut_plain(text: &str, mut f: impl FnMut(usize, usize, bool, bool)) -> bool {
    let bytes = text.as_bytes();
    let class = |b: u8| BYTE_CLASS[usize::from(b)];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        // One call of `f` in the loop, which lets it be inlined into every cut.
        let (word, ascii) = if class(b) & (LETTER | DIGIT) != 0 {
            let mut ascii = true;
            loop {
                i += 1;
                while i < bytes.len() && class(bytes[i]) & (LETTER | DIGIT) != 0 {
                    i += 1;
                }
                // An apostrophe (straight or U+2019) between letters, or a `.` or `,`
                // between digits, joins them; the byte before `i` is the word's last.
                let (n, joined) = match bytes.get(i) {
                    Some(b'\'') => (1, LETTER),
                    Some(b'.' | b',') => (1, DIGIT),
                    Some(0xE2) if bytes[i..].starts_with("\u{2019}".as_bytes()) => (3, LETTER),
                    _ => break,
                };
                let joins = bytes
                    .get(i + n)
                    .is_some_and(|&next| class(bytes[i - 1]) & class(next) & joined != 0);
                if !joins {
                    break;
                }
                // On to the letter or digit after the joiner, which the loop takes.
                ascii &= n == 1;
                i += n;
            }
            (true, ascii)
        } else if b.is_ascii() {
            i += 1;
            if class(b) & SPACE != 0 {
                continue;
            }
            (false, true)
        } else if normalize::is_plain_mark(&bytes[i..]) {
            i += 3;
            (false, false)
        } else {
            return false;
        };
        f(start, i, word, ascii);
    }
    true
}

/// Whether a piece is a double quotation mark: `"` or U+201C to U+201E (E2 80 9C to 9E).
fn is_double_quote(piece: &[u8]) -> bool {
    matches!(piece, [b'"'] | [0xE2, 0x80, 0x9C..=0x9E])
}

/// [`BYTE_CLASS`] bits: an ASCII letter, an ASCII digit, whitespace as
/// `char::is_whitespace` has it in ASCII.
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const SPACE: u8 = 4;

/// The class of every byte, looked up rather than computed: [`cut_plain`] asks for
/// each byte of every text.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() {
            LETTER
        } else if c.is_ascii_digit() {
            DIGIT
        } else if matches!(c, b' ' | b'\t'..=b'\r') {
            SPACE
        } else {
            0
        };
        b += 1;
    }
    table
};

fn push_marks(text: &str, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    if to - from == 1 {
        // Between two words there is most often one space.
        if !char::from(text.as_bytes()[from]).is_whitespace() {
            out.push((from, to));
        }
        return;
    }
    for (i, c) in text[from..to].char_indices() {
        if !c.is_whitespace() {
            out.push((from + i, from + i + c.len_utf8()));
        }
    }
}

/// What a piece is compared by: its typographic fold. A piece holds no whitespace, so
/// an ASCII one (`ascii`: the caller knows) is its own fold.
fn piece_key(piece: &str, ascii: bool) -> Cow<'_, str> {
    if ascii {
        Cow::Borrowed(piece)
    } else {
        Cow::Owned(normalize::fold_typography(piece))
    }
}

/// The word diff from `reference` to `other`.
pub fn word_diff(reference: &str, other: &str) -> WordDiff {
    word_diff_of(&Pieces::new(reference), &Pieces::new(other))
}

/// [`word_diff`] between texts already cut.
pub fn word_diff_of(reference: &Pieces, other: &Pieces) -> WordDiff {
    let (a, ka) = (&reference.spans, &reference.keys);
    let (b, kb) = (&other.spans, &other.keys);
    let (reference, other) = (reference.text, other.text);
    let mut runs: Vec<Run> = Vec::new();
    let mut push = |op: DiffOp, text: &str, spans: &[(usize, usize)]| {
        let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
            return;
        };
        let space_before = text[..first.0].ends_with(char::is_whitespace);
        let slice = &text[first.0..last.1];
        match runs.last_mut() {
            Some(r) if r.op == op => {
                if space_before {
                    r.text.push(' ');
                }
                r.text.push_str(slice);
            }
            _ => runs.push(Run {
                op,
                text: slice.to_string(),
                space_before,
            }),
        }
    };
    for op in capture_diff_slices(Algorithm::Myers, ka, kb) {
        let (tag, ra, rb) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(DiffOp::Equal, reference, &a[ra]),
            DiffTag::Delete => push(DiffOp::Delete, reference, &a[ra]),
            DiffTag::Insert => push(DiffOp::Insert, other, &b[rb]),
            DiffTag::Replace => {
                push(DiffOp::Delete, reference, &a[ra]);
                push(DiffOp::Insert, other, &b[rb]);
            }
        }
    }
    WordDiff { runs }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn pieces_are_the_words_and_every_other_visible_char(
            text in "[a-c1 ,.\u{b}\u{2019}\u{201c}\u{a0}\u{2014}]{0,30}|\\PC{0,30}",
        ) {
            let mut words = Vec::new();
            normalize::token_spans(&text, |s, e| words.push((s, e)));
            let mut want = Vec::new();
            let mut k = 0;
            for (i, c) in text.char_indices() {
                if let Some(&(s, e)) = words.get(k).filter(|w| w.0 <= i) {
                    if i + c.len_utf8() == e {
                        want.push((s, e));
                        k += 1;
                    }
                } else if !c.is_whitespace() {
                    want.push((i, i + c.len_utf8()));
                }
            }
            prop_assert_eq!(pieces(&text), want);
            let cut = Pieces::new(&text);
            prop_assert_eq!(cut.word_spans(), &words[..]);
        }
    }

    proptest! {
        #[test]
        fn plain_text_is_cut_as_any_text(
            // Plain texts, texts with a char that is not, and any text.
            text in "[a-c1-2 \t\u{b},.'\u{2013}\u{2014}\u{2018}\u{2019}\u{201c}\u{201d}]{0,30}|[a1 ,'\u{2019}\u{e9}\u{2bc}\u{a0}]{0,10}|\\PC{0,30}",
        ) {
            let (mut spans, mut words) = (Vec::new(), Vec::new());
            cut(&text, &mut spans, &mut words);
            let mut plain = (Vec::new(), Vec::new());
            let mut ascii_told = true;
            let done = cut_plain(&text, |s, e, word, ascii| {
                ascii_told &= ascii == text[s..e].is_ascii();
                plain.0.push((s, e));
                if word {
                    plain.1.push((s, e));
                }
            });
            prop_assert_eq!(done, normalize::is_plain(&text));
            prop_assert!(ascii_told);
            if done {
                prop_assert_eq!(&plain, &(spans, words.clone()));
            }
            let mut got = vec![(0, 0)];
            word_spans(&text, &mut got);
            prop_assert_eq!(&got[1..], &words[..]);
        }
    }

    #[test]
    fn one_word_swap_is_a_delete_and_an_insert() {
        let d = word_diff("They met for 10 hours.", "They met for 12 hours.");
        let got: Vec<(DiffOp, &str)> = d.runs.iter().map(|r| (r.op, r.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (DiffOp::Equal, "They met for"),
                (DiffOp::Delete, "10"),
                (DiffOp::Insert, "12"),
                (DiffOp::Equal, "hours."),
            ]
        );
        assert_eq!(d.edits(), 2);
    }

    #[test]
    fn typography_is_not_an_edit() {
        let d = word_diff("“It’s over,” he said.", "\"It's over,\" he said.");
        assert_eq!(d.edits(), 0, "{d:?}");
    }

    #[test]
    fn identical_texts_have_one_equal_run() {
        let d = word_diff("Same words here.", "Same words here.");
        assert_eq!(d.runs.len(), 1);
    }
}

#[cfg(test)]
mod layout_tests {
    use super::*;

    #[test]
    fn runs_keep_the_source_spacing() {
        let d = word_diff(
            "Officials said <b>x</b> was posted.",
            "Officials said <b>x</b> was deleted.",
        );
        assert_eq!(d.runs[0].text, "Officials said <b>x</b> was");
        let line = d.layout(|op, t| match op {
            DiffOp::Delete => format!("[-{t}-]"),
            DiffOp::Insert => format!("{{+{t}+}}"),
            DiffOp::Equal => t.to_string(),
        });
        assert_eq!(line, "Officials said <b>x</b> was [-posted-] {+deleted+}.");
    }
}
