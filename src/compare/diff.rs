//! Word-level diff between two texts of one claim: runs of kept, deleted and inserted
//! words, as written in each text. Words are compared up to typography, so a curly
//! quote against a straight one is not shown as an edit; case is kept, so a lower-cased
//! title is.

use std::borrow::Cow;

use std::hash::Hash;
use std::ops::Range;

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
    keys: Vec<Key<'t>>,
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
            let piece = &text[start..end];
            keys.push(Key(if ascii {
                Cow::Borrowed(piece)
            } else {
                plain_fold(piece)
            }));
        });
        if !plain {
            quote_mark = true;
            spans.clear();
            words.clear();
            cut(text, &mut spans, &mut words);
            keys = spans
                .iter()
                .map(|&(s, e)| Key(piece_key(&text[s..e], text[s..e].is_ascii())))
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

    /// Byte spans of its words and single punctuation marks, in order.
    pub(super) fn spans(&self) -> &[(usize, usize)] {
        &self.spans
    }

    /// Byte spans of the text's word tokens, in order.
    pub fn word_spans(&self) -> &[(usize, usize)] {
        &self.words
    }

    /// The double quotation marks (`"`, U+201C to U+201E) of the text with their byte
    /// offsets, in order: every mark is a piece of its own.
    pub(super) fn quote_marks(&self) -> impl Iterator<Item = (usize, char)> + '_ {
        let bytes = self.text.as_bytes();
        self.spans
            .iter()
            .filter_map(move |&(s, e)| match bytes[s..e] {
                [b'"'] => Some((s, '"')),
                [0xE2, 0x80, 0x9C] => Some((s, '\u{201C}')),
                [0xE2, 0x80, 0x9D] => Some((s, '\u{201D}')),
                [0xE2, 0x80, 0x9E] => Some((s, '\u{201E}')),
                _ => None,
            })
    }

    /// The pieces that start in the byte span `span`, as a range of piece indices.
    pub(super) fn pieces_in(&self, span: (usize, usize)) -> Range<usize> {
        let first = self.spans.partition_point(|p| p.0 < span.0);
        let end = self.spans.partition_point(|p| p.0 < span.1);
        first..end
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
// Out of line: inlined into `compare` (through the vocabulary), it cost 2 M instructions
// more on 100 stories than the calls do.
#[inline(never)]
pub(super) fn cut_plain(text: &str, mut f: impl FnMut(usize, usize, bool, bool)) -> bool {
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

/// A piece's diff key: its fold, compared byte by byte in line (most are words of a
/// few bytes, which a call to `memcmp` would cost more to compare than the bytes do).
#[derive(Debug, Clone, Eq)]
struct Key<'t>(Cow<'t, str>);

impl Hash for Key<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
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

/// The typographic fold of a piece outside ASCII of a plain text as [`cut_plain`] cuts
/// it, as [`piece_key`] has it: a mark alone or a word joined by U+2019, whose folds
/// need no normalizer.
#[inline(never)]
fn plain_fold(piece: &str) -> Cow<'static, str> {
    match piece.as_bytes() {
        [0xE2, 0x80, 0x93 | 0x94] => Cow::Borrowed("-"),
        [0xE2, 0x80, 0x98 | 0x99] => Cow::Borrowed("'"),
        [0xE2, 0x80, 0x9C | 0x9D] => Cow::Borrowed("\""),
        _ => {
            let mut fold = String::with_capacity(piece.len());
            if !push_apostrophe_fold(piece, false, &mut fold) {
                fold = normalize::fold_typography(piece);
            }
            Cow::Owned(fold)
        }
    }
}

/// Pushes `word` onto `out` with every U+2019 as `'`, lower-cased if `lower`: the
/// typographic fold of a word whose only chars outside ASCII are that apostrophe
/// (`Kerry’s`, most such words of news copy), and its normal form as
/// [`normalize::push_norm_token`] has it when it is no number. Returns `false`,
/// pushing nothing, for any other word.
#[inline(never)]
pub(super) fn push_apostrophe_fold(word: &str, lower: bool, out: &mut String) -> bool {
    let before = out.len();
    let bytes = word.as_bytes();
    // Runs of ASCII are pushed whole, the apostrophes after them one by one.
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            i += 1;
            continue;
        }
        if !bytes[i..].starts_with("\u{2019}".as_bytes()) {
            out.truncate(before);
            return false;
        }
        out.push_str(&word[run..i]);
        out.push('\'');
        i += 3;
        run = i;
    }
    out.push_str(&word[run..]);
    if lower {
        out[before..].make_ascii_lowercase();
    }
    true
}

/// The word diff from `reference` to `other`.
pub fn word_diff(reference: &str, other: &str) -> WordDiff {
    word_diff_of(&Pieces::new(reference), &Pieces::new(other))
}

/// [`word_diff`] between texts already cut.
pub fn word_diff_of(reference: &Pieces, other: &Pieces) -> WordDiff {
    word_diff_seen(reference, other, |_, _| {})
}

/// [`word_diff_of`], telling `seen(op, range)` each deletion (a range of the reference's
/// pieces) and insertion (of the other's) as it is found.
pub fn word_diff_seen(
    reference: &Pieces,
    other: &Pieces,
    seen: impl FnMut(DiffOp, Range<usize>),
) -> WordDiff {
    diff_parts(
        reference,
        0..reference.spans.len(),
        0,
        other,
        0..other.spans.len(),
        0,
        seen,
    )
}

/// [`word_diff`] between the passages of two cut texts made of the pieces at `ra` and
/// `rb` (neither empty), as if each passage, trimmed, had been cut on its own: a piece's
/// cut does not depend on the text around it when whitespace or a mark that joins no
/// word (a quotation mark) stands between.
pub(super) fn word_diff_within(
    reference: &Pieces,
    ra: Range<usize>,
    other: &Pieces,
    rb: Range<usize>,
) -> WordDiff {
    let (from_a, from_b) = (reference.spans[ra.start].0, other.spans[rb.start].0);
    diff_parts(reference, ra, from_a, other, rb, from_b, |_, _| {})
}

/// The word diff from the pieces `ra` of `reference` to the pieces `rb` of `other`, read
/// as passages starting at the bytes `from_a` and `from_b`.
fn diff_parts(
    reference: &Pieces,
    ra: Range<usize>,
    from_a: usize,
    other: &Pieces,
    rb: Range<usize>,
    from_b: usize,
    mut seen: impl FnMut(DiffOp, Range<usize>),
) -> WordDiff {
    let (off_a, off_b) = (ra.start, rb.start);
    let (a, ka) = (&reference.spans[ra.clone()], &reference.keys[ra]);
    let (b, kb) = (&other.spans[rb.clone()], &other.keys[rb]);
    let (reference, other) = ((reference.text, from_a), (other.text, from_b));
    let mut runs: Vec<Run> = Vec::new();
    let mut push = |op: DiffOp, (text, from): (&str, usize), spans: &[(usize, usize)]| {
        let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
            return;
        };
        let space_before = text[from..first.0].ends_with(char::is_whitespace);
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
    diff_keys(ka, kb, |op, range| {
        if op != DiffOp::Equal {
            let off = if op == DiffOp::Insert { off_b } else { off_a };
            seen(op, range.start + off..range.end + off);
        }
        match op {
            DiffOp::Insert => push(op, other, &b[range]),
            _ => push(op, reference, &a[range]),
        }
    });
    WordDiff { runs }
}
/// The runs of the word diff from keys `a` to keys `b`, in order: `emit(op, range)`
/// with a range of `a` for kept and deleted keys, of `b` for inserted ones. Consecutive
/// edits come as one deletion, then one insertion.
///
/// This is what `similar` 3.2.1 gives for `capture_diff_slices(Algorithm::Myers, a, b)`
/// (Myers' search, its compaction pass and its `Replace` grouping), run by our own code
/// on the sizes a sentence has, where `similar`'s heuristics never fire: without its
/// hook layers and op vectors the diff costs about a sixth less (47 M -> 40 M
/// instructions on 100 stories). Larger inputs still go through `similar`.
fn diff_keys<K: Hash + Eq>(a: &[K], b: &[K], mut emit: impl FnMut(DiffOp, Range<usize>)) {
    let prefix = common_prefix(a, 0..a.len(), b, 0..b.len());
    let suffix = common_suffix(a, prefix..a.len(), b, prefix..b.len());
    let (n, m) = (a.len() - prefix - suffix, b.len() - prefix - suffix);
    if n.min(m) > SMALL_SIDE_MAX || n + m > SMALL_TOTAL_MAX {
        return diff_keys_similar(a, b, emit);
    }
    if n == 0 || m == 0 {
        // One deletion or insertion between the common ends, which compaction leaves
        // where it is (the ends are as long as they can be).
        let edit = if n == 0 {
            (DiffOp::Insert, prefix..prefix + m)
        } else {
            (DiffOp::Delete, prefix..prefix + n)
        };
        let parts = [
            (DiffOp::Equal, 0..prefix),
            edit,
            (DiffOp::Equal, prefix + n..a.len()),
        ];
        for (op, range) in parts.into_iter().filter(|(_, r)| !r.is_empty()) {
            emit(op, range);
        }
        return;
    }
    let mut myers = Myers::new(a, b, n + m);
    // The common ends are known: not compared again.
    myers.conquer_within(0..a.len(), 0..b.len(), prefix, suffix);
    myers.compact();
    myers.emit_grouped(emit);
}

/// Beyond these sizes of what differs between two key lists (the smaller side, both
/// sides), `similar`'s Myers may take a shortcut ours does not: a front anchor once
/// both sides exceed 96 keys, a bounded search once the cost reaches 256 (about 510
/// keys in all), an exact small-side pass and a pre-filter from 512 keys.
const SMALL_SIDE_MAX: usize = 96;
const SMALL_TOTAL_MAX: usize = 508;

/// [`diff_keys`] through `similar`.
fn diff_keys_similar<K: Hash + Eq>(a: &[K], b: &[K], mut emit: impl FnMut(DiffOp, Range<usize>)) {
    for op in capture_diff_slices(Algorithm::Myers, a, b) {
        let (tag, ra, rb) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => emit(DiffOp::Equal, ra),
            DiffTag::Delete => emit(DiffOp::Delete, ra),
            DiffTag::Insert => emit(DiffOp::Insert, rb),
            DiffTag::Replace => {
                emit(DiffOp::Delete, ra);
                emit(DiffOp::Insert, rb);
            }
        }
    }
}

/// How many keys `a[ra]` and `b[rb]` share at their starts.
fn common_prefix<K: PartialEq>(a: &[K], ra: Range<usize>, b: &[K], rb: Range<usize>) -> usize {
    a[ra].iter().zip(&b[rb]).take_while(|(x, y)| x == y).count()
}

/// How many keys `a[ra]` and `b[rb]` share at their ends.
fn common_suffix<K: PartialEq>(a: &[K], ra: Range<usize>, b: &[K], rb: Range<usize>) -> usize {
    a[ra]
        .iter()
        .rev()
        .zip(b[rb].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many keys `a[x..]` and `b[y..]` share at their starts: none when `x` or `y` is
/// past the end (a search's x may be; y is never negative).
fn run_on<K: PartialEq>(a: &[K], b: &[K], x: isize, y: isize) -> isize {
    match (a.get(x as usize..), b.get(y as usize..)) {
        (Some(a), Some(b)) => a.iter().zip(b).take_while(|(p, q)| p == q).count() as isize,
        _ => 0,
    }
}

/// How many keys `a` and `b` share at their ends once the last `x` of `a` and `y` of `b`
/// are left out: none when `x` or `y` is past the start.
fn run_back<K: PartialEq>(a: &[K], b: &[K], x: isize, y: isize) -> isize {
    let (Some(i), Some(j)) = (
        a.len().checked_sub(x as usize),
        b.len().checked_sub(y as usize),
    ) else {
        return 0;
    };
    a[..i]
        .iter()
        .rev()
        .zip(b[..j].iter().rev())
        .take_while(|(p, q)| p == q)
        .count() as isize
}

/// Where Myers' searches meet on `a` against `b` (neither empty, their first keys
/// differing and their last keys too) when one side is a single key the other lacks, as
/// [`Myers::middle_snake`] gives it: `None` otherwise.
fn split_apart<K: PartialEq>(a: &[K], b: &[K]) -> Option<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    if n == 1 && !b.contains(&a[0]) {
        Some(if m % 2 == 1 {
            (0, m.div_ceil(2))
        } else {
            (1, m / 2)
        })
    } else if m == 1 && !a.contains(&b[0]) {
        Some(if n % 2 == 1 {
            (n / 2, 1)
        } else {
            (n / 2 + 1, 0)
        })
    } else {
        None
    }
}

/// One op of a diff script as `similar` keeps it while compacting: `len` keys from
/// `old` in `a` and `new` in `b`. A deletion consumes only `a`, an insertion only `b`;
/// the other index is where the op stands on the other side, and moves as the op does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Op {
    op: DiffOp,
    old: usize,
    new: usize,
    len: usize,
}

impl Op {
    /// The keys of `a` the op covers (none for an insertion).
    fn old_range(&self) -> Range<usize> {
        let len = if self.op == DiffOp::Insert {
            0
        } else {
            self.len
        };
        self.old..self.old + len
    }

    /// The keys of `b` the op covers (none for a deletion).
    fn new_range(&self) -> Range<usize> {
        let len = if self.op == DiffOp::Delete {
            0
        } else {
            self.len
        };
        self.new..self.new + len
    }

    /// Moves the op `by` keys back (`back`) or on, on both sides.
    fn shift(&mut self, by: usize, back: bool) {
        if back {
            self.old -= by;
            self.new -= by;
        } else {
            self.old += by;
            self.new += by;
        }
    }
}

/// Myers' linear-space diff (divide and conquer on the middle snake) over two key lists,
/// then the compaction that slides edits to merge them, both making the same choices as
/// `similar` 3.2.1 where [`diff_keys`] uses it.
struct Myers<'k, K> {
    a: &'k [K],
    b: &'k [K],
    /// Furthest x reached on each diagonal, forward and backward, offset by `mid`.
    forward: Vec<isize>,
    backward: Vec<isize>,
    mid: isize,
    ops: Vec<Op>,
}

impl<'k, K: PartialEq> Myers<'k, K> {
    /// A search over `a` and `b`, for at most `differing` keys outside their common ends.
    fn new(a: &'k [K], b: &'k [K], differing: usize) -> Self {
        let mid = differing.div_ceil(2) + 1;
        Myers {
            a,
            b,
            forward: vec![0; 2 * mid + 1],
            backward: vec![0; 2 * mid + 1],
            mid: mid as isize,
            ops: Vec::with_capacity(16),
        }
    }

    fn push(&mut self, op: DiffOp, old: usize, new: usize, len: usize) {
        self.ops.push(Op { op, old, new, len });
    }

    /// The script from `a[ra]` to `b[rb]`: common ends, then halves split at a middle
    /// snake.
    fn conquer(&mut self, ra: Range<usize>, rb: Range<usize>) {
        let prefix = common_prefix(self.a, ra.clone(), self.b, rb.clone());
        let suffix = common_suffix(
            self.a,
            ra.start + prefix..ra.end,
            self.b,
            rb.start + prefix..rb.end,
        );
        self.conquer_within(ra, rb, prefix, suffix);
    }

    /// [`Myers::conquer`] with the common ends of `a[ra]` and `b[rb]` known: `prefix`
    /// keys at their starts, `suffix` at their ends once the prefix is left out.
    fn conquer_within(
        &mut self,
        mut ra: Range<usize>,
        mut rb: Range<usize>,
        prefix: usize,
        suffix: usize,
    ) {
        if prefix > 0 {
            self.push(DiffOp::Equal, ra.start, rb.start, prefix);
        }
        ra.start += prefix;
        rb.start += prefix;
        ra.end -= suffix;
        rb.end -= suffix;
        if rb.is_empty() {
            if !ra.is_empty() {
                self.push(DiffOp::Delete, ra.start, rb.start, ra.len());
            }
        } else if ra.is_empty() {
            self.push(DiffOp::Insert, ra.start, rb.start, rb.len());
        } else {
            let (x, y) = self.middle_snake(ra.clone(), rb.clone());
            self.conquer(ra.start..x, rb.start..y);
            self.conquer(x..ra.end, y..rb.end);
        }
        if suffix > 0 {
            self.push(DiffOp::Equal, ra.end, rb.end, suffix);
        }
    }

    /// Where to split `a[ra]` against `b[rb]` (both not empty): the start of the middle
    /// snake found from the forward search, or its end from the backward one, as
    /// absolute indices.
    // Out of line: inlined into the recursion, its loops ran short of registers.
    #[inline(never)]
    fn middle_snake(&mut self, ra: Range<usize>, rb: Range<usize>) -> (usize, usize) {
        let (a, b) = (&self.a[ra.clone()], &self.b[rb.clone()]);
        // A lone key the other side lacks (most often one word for one): every
        // comparison of the search fails, so where it meets depends on the sizes alone.
        if let Some((x, y)) = split_apart(a, b) {
            return (ra.start + x, rb.start + y);
        }
        self.search(ra, rb)
    }

    /// [`Myers::middle_snake`] by the searches themselves.
    #[inline(always)]
    fn search(&mut self, ra: Range<usize>, rb: Range<usize>) -> (usize, usize) {
        let (a, b) = (&self.a[ra.clone()], &self.b[rb.clone()]);
        let (n, m) = (a.len() as isize, b.len() as isize);
        let delta = n - m;
        let odd = delta & 1 == 1;
        let (forward, backward) = (&mut self.forward[..], &mut self.backward[..]);
        // Diagonal k is at k + mid. Both searches start one diagonal off, at x = 0; every
        // other entry read is written earlier in the same call. An x may pass the end of
        // `a`, but never falls below its diagonal, so y = x - k is never negative.
        let mid = self.mid;
        forward[(mid + 1) as usize] = 0;
        backward[(mid + 1) as usize] = 0;
        for d in 0..=(n + m + 1) / 2 {
            // Diagonals d, d - 2, ..., -d, in the order `similar` takes them (a plain loop:
            // a stepped reversed range costs several times the step itself).
            let mut k = d;
            while k >= -d {
                let at = (mid + k) as usize;
                let mut x = if k == -d || (k != d && forward[at - 1] < forward[at + 1]) {
                    forward[at + 1]
                } else {
                    forward[at - 1] + 1
                };
                let start = x;
                x += run_on(a, b, x, x - k);
                forward[at] = x;
                if odd && (k - delta).abs() < d && x + backward[(mid + delta - k) as usize] >= n {
                    return (ra.start + start as usize, rb.start + (start - k) as usize);
                }
                k -= 2;
            }
            let mut k = d;
            while k >= -d {
                let at = (mid + k) as usize;
                let mut x = if k == -d || (k != d && backward[at - 1] < backward[at + 1]) {
                    backward[at + 1]
                } else {
                    backward[at - 1] + 1
                };
                // Here x and y count back from the ends.
                x += run_back(a, b, x, x - k);
                backward[at] = x;
                if !odd && (k - delta).abs() <= d && x + forward[(mid + delta - k) as usize] >= n {
                    return (ra.end - x as usize, rb.end - (x - k) as usize);
                }
                k -= 2;
            }
        }
        unreachable!("the searches meet by d = (n + m) / 2")
    }

    /// Slides every deletion, then every insertion, as far back as it goes and then as
    /// far on, merging it with the edits it meets.
    fn compact(&mut self) {
        for op in [DiffOp::Delete, DiffOp::Insert] {
            let mut p = 0;
            while p < self.ops.len() {
                if self.ops[p].op == op {
                    p = self.slide_back(p);
                    p = self.slide_on(p);
                }
                p += 1;
            }
        }
    }

    /// How far the edit `edit` can slide past the kept run `kept`, back (comparing their
    /// ends) or on (their starts): the keys it covers against the run's on the other side.
    fn slack(&self, edit: Op, kept: Op, back: bool) -> usize {
        let (ra, rb) = match edit.op {
            DiffOp::Insert => (kept.old_range(), edit.new_range()),
            _ => (edit.old_range(), kept.new_range()),
        };
        if back {
            common_suffix(self.a, ra, self.b, rb)
        } else {
            common_prefix(self.a, ra, self.b, rb)
        }
    }

    /// Slides the edit at `p` back; returns where it ends up.
    fn slide_back(&mut self, mut p: usize) -> usize {
        while p > 0 {
            let (edit, prev) = (self.ops[p], self.ops[p - 1]);
            if prev.op == edit.op {
                self.ops[p - 1].len += edit.len;
                self.ops.remove(p);
                p -= 1;
                continue;
            }
            if prev.op != DiffOp::Equal {
                self.swap(p - 1);
                p -= 1;
                continue;
            }
            // A deletion slides back only towards another deletion.
            if edit.op == DiffOp::Delete && (p < 2 || self.ops[p - 2].op != DiffOp::Delete) {
                break;
            }
            let by = self.slack(edit, prev, true);
            if by == 0 && prev.len > 0 {
                break;
            }
            if by > 0 {
                // The kept keys the edit slides over are kept after it instead.
                match self.ops.get_mut(p + 1) {
                    Some(next) if next.op == DiffOp::Equal => {
                        next.shift(by, true);
                        next.len += by;
                    }
                    _ => {
                        let (old, new) = match edit.op {
                            DiffOp::Insert => (prev.old + prev.len, edit.new + edit.len),
                            _ => (edit.old + edit.len, prev.new + prev.len),
                        };
                        let kept = Op {
                            op: DiffOp::Equal,
                            old: old - by,
                            new: new - by,
                            len: by,
                        };
                        self.ops.insert(p + 1, kept);
                    }
                }
                self.ops[p].shift(by, true);
                self.ops[p - 1].len -= by;
            }
            if self.ops[p - 1].len == 0 {
                self.ops.remove(p - 1);
                p -= 1;
            }
        }
        p
    }

    /// Slides the edit at `p` on; returns where it ends up.
    fn slide_on(&mut self, mut p: usize) -> usize {
        while p + 1 < self.ops.len() {
            let (edit, next) = (self.ops[p], self.ops[p + 1]);
            if next.op == edit.op {
                self.ops[p].len += next.len;
                self.ops.remove(p + 1);
                continue;
            }
            if next.op != DiffOp::Equal {
                self.swap(p);
                p += 1;
                continue;
            }
            // A deletion slides on only towards another deletion.
            if edit.op == DiffOp::Delete
                && self.ops.get(p + 2).is_none_or(|o| o.op != DiffOp::Delete)
            {
                break;
            }
            let by = self.slack(edit, next, false);
            if by == 0 && next.len > 0 {
                break;
            }
            if by > 0 {
                // The kept keys the edit slides over are kept before it instead.
                match p.checked_sub(1).map(|q| &mut self.ops[q]) {
                    Some(prev) if prev.op == DiffOp::Equal => prev.len += by,
                    _ => {
                        let old = if edit.op == DiffOp::Insert {
                            next.old
                        } else {
                            edit.old
                        };
                        let kept = Op {
                            op: DiffOp::Equal,
                            old,
                            new: edit.new,
                            len: by,
                        };
                        self.ops.insert(p, kept);
                        p += 1;
                    }
                }
                self.ops[p].shift(by, false);
                let after = &mut self.ops[p + 1];
                after.shift(by, false);
                after.len -= by;
            }
            if self.ops[p + 1].len == 0 {
                self.ops.remove(p + 1);
            }
        }
        p
    }

    /// Swaps the deletion and the insertion at `p` and `p + 1`, each taking the other's
    /// place on the side it does not consume.
    fn swap(&mut self, p: usize) {
        let (first, second) = (self.ops[p], self.ops[p + 1]);
        let (old_start, new_start) = (first.old, first.new);
        let (old_end, new_end) = (second.old_range().end, second.new_range().end);
        let place = |mut o: Op, old: usize, new: usize| {
            if o.op == DiffOp::Insert {
                o.old = old;
            } else {
                o.new = new;
            }
            o
        };
        self.ops[p] = place(second, old_start, new_start);
        self.ops[p + 1] = place(first, old_end, new_end);
    }

    /// The compacted script as runs: kept keys merged, and between two kept runs all
    /// deletions as one run, then all insertions as one.
    fn emit_grouped(&self, mut emit: impl FnMut(DiffOp, Range<usize>)) {
        const OPS: [DiffOp; 3] = [DiffOp::Equal, DiffOp::Delete, DiffOp::Insert];
        // The open run of each op, in the order of OPS.
        let mut open: [Option<Range<usize>>; 3] = [None, None, None];
        let mut close = |open: &mut [Option<Range<usize>>; 3], which: &[usize]| {
            for &s in which {
                if let Some(r) = open[s].take() {
                    emit(OPS[s], r);
                }
            }
        };
        for o in &self.ops {
            let (slot, start) = match o.op {
                DiffOp::Equal => {
                    close(&mut open, &[1, 2]);
                    (0, o.old)
                }
                DiffOp::Delete => {
                    close(&mut open, &[0]);
                    (1, o.old)
                }
                DiffOp::Insert => {
                    close(&mut open, &[0]);
                    (2, o.new)
                }
            };
            match &mut open[slot] {
                Some(r) => r.end += o.len,
                run => *run = Some(start..start + o.len),
            }
        }
        close(&mut open, &[0, 1, 2]);
    }
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
                // Every piece of a plain text outside ASCII is folded as any piece is.
                for &(s, e) in plain.0.iter().filter(|&&(s, e)| !text[s..e].is_ascii()) {
                    prop_assert_eq!(plain_fold(&text[s..e]), piece_key(&text[s..e], false));
                }
                prop_assert_eq!(&plain, &(spans, words.clone()));
            }
            let mut got = vec![(0, 0)];
            word_spans(&text, &mut got);
            prop_assert_eq!(&got[1..], &words[..]);
        }
    }

    /// The runs [`diff_keys`] gives, and those `similar` gives.
    fn both_diffs(a: &[u8], b: &[u8]) -> [Vec<(DiffOp, Range<usize>)>; 2] {
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        diff_keys(a, b, |op, r| ours.push((op, r)));
        diff_keys_similar(a, b, |op, r| theirs.push((op, r)));
        [ours, theirs]
    }

    proptest! {
        #[test]
        fn keys_are_equal_when_their_folds_are(a in "[ab\u{e9}]{0,3}", b in "[ab\u{e9}]{0,3}") {
            let (ka, kb) = (Key(Cow::Borrowed(&a)), Key(Cow::Owned(b.clone())));
            prop_assert_eq!(ka == kb, a == b);
        }
    }

    /// `b` made from `a` by a few edits: each (position, what) deletes a key, inserts
    /// one or replaces one, as rewording a sentence does.
    fn edited(a: &[u8], edits: &[(usize, u8)]) -> Vec<u8> {
        let mut b = a.to_vec();
        for &(at, what) in edits {
            let at = at % (b.len() + 1);
            match what % 3 {
                0 if at < b.len() => {
                    b.remove(at);
                }
                1 if at < b.len() => b[at] = what / 3,
                _ => b.insert(at, what / 3),
            }
        }
        b
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        // Small alphabets make ties between equally short scripts frequent: the runs
        // must still be the ones `similar` picks.
        #[test]
        fn key_diff_is_similars(
            a in prop::collection::vec(0u8..4, 0..40),
            b in prop::collection::vec(0u8..4, 0..40),
        ) {
            let [ours, theirs] = both_diffs(&a, &b);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn key_diff_is_similars_on_two_keys(
            a in prop::collection::vec(0u8..2, 0..30),
            b in prop::collection::vec(0u8..2, 0..30),
        ) {
            let [ours, theirs] = both_diffs(&a, &b);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn key_diff_is_similars_on_edited_keys(
            a in prop::collection::vec(0u8..6, 0..60),
            edits in prop::collection::vec((0usize..100, 0u8..18), 0..8),
        ) {
            let b = edited(&a, &edits);
            let [ours, theirs] = both_diffs(&a, &b);
            prop_assert_eq!(ours, theirs);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        // The split a lone key gets without a search is the one the search finds.
        #[test]
        fn lone_key_splits_where_the_search_does(
            short in prop::collection::vec(0u8..3, 1..2),
            long in prop::collection::vec(0u8..4, 1..120),
            swap in any::<bool>(),
        ) {
            // `middle_snake` sees sides whose first keys differ and whose last keys do.
            let mut long = long;
            let last = long.len() - 1;
            for (at, key) in [(0, short[0]), (last, short[short.len() - 1])] {
                if long[at] == key {
                    long[at] = 3;
                }
            }
            let (a, b) = if swap { (&long[..], &short[..]) } else { (&short[..], &long[..]) };
            let mut myers = Myers::new(a, b, a.len() + b.len());
            let searched = myers.search(0..a.len(), 0..b.len());
            let got = split_apart(a, b);
            let apart = short.iter().all(|k| !long.contains(k));
            prop_assert_eq!(got.is_some(), apart);
            if let Some(split) = got {
                prop_assert_eq!(split, searched);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        // Up to and past the sizes where ours hands over to `similar`.
        #[test]
        fn key_diff_is_similars_at_the_size_limits(
            a in prop::collection::vec(0u8..3, 0..110),
            b in prop::collection::vec(0u8..3, 0..420),
            swap in any::<bool>(),
        ) {
            let (a, b) = if swap { (b, a) } else { (a, b) };
            let [ours, theirs] = both_diffs(&a, &b);
            prop_assert_eq!(ours, theirs);
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
