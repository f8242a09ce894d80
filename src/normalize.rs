//! Normalize: the one place that decides when two pieces of text are "the same up to
//! typography". Curly quotes, primes and guillemets fold to straight quotes, every dash
//! to `-`, the ellipsis character to `...`, non-breaking and other spaces to one space,
//! then NFKC. Word tokens are case-folded runs of letters and digits; numbers lose their
//! thousands separators so `5,000` and `5000` are one token.

use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// Maps one character to its typographic fold, or `None` to keep it (after NFKC).
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{0060}'
        | '\u{00B4}' | '\u{02BC}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' | '\u{2039}' | '\u{203A}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => "-",
        '\u{2026}' => "...",
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2009}' | '\u{200A}' | '\u{3000}' => " ",
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}' => "",
        _ => return None,
    })
}

/// Folds typography (quotes, dashes, ellipsis, odd spaces, NFKC) and collapses runs of
/// whitespace to one space, trimming the ends. Case is kept.
pub fn fold_typography(text: &str) -> String {
    if text.is_ascii() {
        // Nothing to fold but whitespace; NFKC leaves ASCII alone.
        let mut out = String::with_capacity(text.len());
        for w in text.split(char::is_whitespace).filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
        return out;
    }
    // A text the quick check finds already in NFKC (most news text: curly quotes and
    // dashes have no compatibility mapping) is its own NFKC; skip the normalizer.
    if is_nfkc(text) {
        fold_chars(text.chars(), text.len())
    } else {
        fold_chars(text.nfkc(), text.len())
    }
}

/// Whether Unicode's quick check finds `text` already in NFKC. News copy is ASCII but
/// for curly quotes and dashes, which are in NFKC with no combining class: such a text
/// is answered from its bytes, without the normalizer's tables.
fn is_nfkc(text: &str) -> bool {
    is_plain(text) || unicode_normalization::is_nfkc_quick(text.chars()) == IsNormalized::Yes
}

/// Whether every char of `text` outside ASCII is a curly quote (U+2018, U+2019, U+201C,
/// U+201D) or an en or em dash: most news copy. Such a text is in NFKC, its only folds
/// are those chars to punctuation, and it has no letter outside ASCII, so readers can
/// take it byte by byte.
pub(crate) fn is_plain(text: &str) -> bool {
    // A word of eight bytes, and its bytes' top bits: those of the bytes outside ASCII.
    let word = |eight: &[u8]| u64::from_le_bytes(eight.try_into().expect("eight bytes"));
    let high = |w: u64| w & 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Thirty-two bytes at a time while they are ASCII (most of a text), then eight;
        // a chunk that is not is read up to its first byte outside ASCII, found from the
        // top bits.
        if let Some(chunk) = bytes.get(i..i + 32) {
            let words: [u64; 4] = std::array::from_fn(|k| word(&chunk[8 * k..8 * k + 8]));
            if high(words[0] | words[1] | words[2] | words[3]) == 0 {
                i += 32;
                continue;
            }
            let k = words.iter().position(|&w| high(w) != 0).unwrap_or(0);
            i += 8 * k + high(words[k]).trailing_zeros() as usize / 8;
        } else if bytes.len() >= 8 {
            // Near the end, the text's last eight bytes, less those already read
            // (shifted out).
            let from = i.min(bytes.len() - 8);
            let top = high(word(&bytes[from..from + 8])) >> (8 * (i - from));
            if top == 0 {
                i = from + 8;
                continue;
            }
            i += top.trailing_zeros() as usize / 8;
        } else if bytes[i].is_ascii() {
            i += 1;
            continue;
        }
        // A mark may run past the chunk's end: the next chunk starts after it.
        if !is_plain_mark(&bytes[i..]) {
            return false;
        }
        i += 3;
    }
    true
}

/// Whether `bytes` start with one of the chars outside ASCII that [`is_plain`] allows
/// (three bytes each in UTF-8): U+2013, U+2014, U+2018, U+2019, U+201C, U+201D.
pub(crate) fn is_plain_mark(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0xE2, 0x80, 0x93 | 0x94 | 0x98 | 0x99 | 0x9C | 0x9D, ..]
    )
}

/// For each byte: its lower case when it is an ASCII letter or digit, else 0. One
/// look-up answers both whether a byte continues a plain word and what to write; every
/// byte has an entry, so a look-up by byte needs no range check.
pub(crate) const ASCII_ALNUM_LOWER: [u8; 256] = {
    let mut out = [0; 256];
    let mut b: u8 = 0;
    while b < 128 {
        if b.is_ascii_alphanumeric() {
            out[b as usize] = b.to_ascii_lowercase();
        }
        b += 1;
    }
    out
};

/// The offset of the first byte of `bytes` at or after `from` that is not ASCII, or the
/// length of `bytes`.
pub(crate) fn next_wide(bytes: &[u8], from: usize) -> usize {
    // Sixteen bytes at a time: most of a text is ASCII.
    let mut at = from;
    for chunk in bytes[from..].chunks_exact(16) {
        if !chunk.is_ascii() {
            break;
        }
        at += 16;
    }
    bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .map_or(bytes.len(), |k| at + k)
}

/// Whether any byte of `chunk` passes `test`. Written as one test of every byte, with no
/// early exit, so that the compiler makes it a few vector instructions (SSE2 compares on
/// x86-64) instead of a branch a byte. Inlined where it can be: a call costs more than
/// the test.
#[inline]
pub(crate) fn any_byte<const N: usize>(chunk: &[u8; N], test: impl Fn(u8) -> bool) -> bool {
    chunk.iter().fold(false, |any, &b| any | test(b))
}

/// `s` with its ASCII letters in lower case (of an ASCII `s`, its lower case): written
/// into `buf` when it fits, else into `spill`. Short words lower-cased on the stack
/// rather than in a new string.
pub(crate) fn ascii_lower<'a, const N: usize>(
    s: &str,
    buf: &'a mut [u8; N],
    spill: &'a mut String,
) -> &'a str {
    match buf.get_mut(..s.len()) {
        Some(out) => {
            out.copy_from_slice(s.as_bytes());
            out.make_ascii_lowercase();
            // Lower-casing ASCII letters keeps UTF-8 valid, so this never fails.
            std::str::from_utf8(out).unwrap_or_default()
        }
        None => {
            *spill = s.to_ascii_lowercase();
            spill
        }
    }
}

/// A word of at most seven bytes as one number: its bytes in the low seven bytes and its
/// length in the top one, so two such words are equal exactly when their numbers are. A
/// key that needs no string to hash, compare or allocate (`const`, for tables built at
/// compile time).
pub(crate) const fn pack_short(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    assert!(n <= 7);
    let len = (n as u64) << 56;
    // Two reads that together cover every byte, each put at its place; where they
    // overlap they hold the same bytes, so or-ing them is exact. No loop over the bytes.
    if n >= 4 {
        let first = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as u64;
        let last =
            u32::from_le_bytes([bytes[n - 4], bytes[n - 3], bytes[n - 2], bytes[n - 1]]) as u64;
        return len | first | (last << (8 * (n - 4)));
    }
    if n == 0 {
        return len;
    }
    // One to three bytes: the first, the middle and the last (some of them the same).
    len | bytes[0] as u64
        | ((bytes[n / 2] as u64) << (8 * (n / 2)))
        | ((bytes[n - 1] as u64) << (8 * (n - 1)))
}

/// Maps already-NFKC characters through [`fold_char`], collapsing whitespace.
fn fold_chars(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    for c in chars {
        if c.is_ascii() {
            // Nothing in ASCII folds (the backtick aside); only spacing changes.
            if c == '`' {
                // Falls through to the table below.
            } else if c.is_ascii_whitespace() || c == '\u{0B}' {
                pending_space = !out.is_empty();
                continue;
            } else {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(c);
                continue;
            }
        }
        let mut buf = [0u8; 4];
        let piece: &str = match fold_char(c) {
            Some(s) => s,
            None => c.encode_utf8(&mut buf),
        };
        for pc in piece.chars() {
            if pc.is_whitespace() {
                pending_space = !out.is_empty();
            } else {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(pc);
            }
        }
    }
    out
}

/// Whether `a` and `b` are equal up to typography: `fold_typography(a) ==
/// fold_typography(b)`, mostly without building either fold. Texts that differ usually
/// differ after a long shared start, and their folds at the first differing word.
pub fn same_typography(a: &str, b: &str) -> bool {
    let (a_ascii, b_ascii) = (a.is_ascii(), b.is_ascii());
    // A shared start that ends in an ASCII letter or digit folds alike in both texts,
    // with nothing pending, provided NFKC does not reach across its end; it cannot when
    // the rests need no NFKC (a char that would join the letter before it is not
    // quick-checked Yes). The fold then maps the rests char by char, with only spacing
    // carrying over.
    let mut shared = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    if a_ascii != b_ascii {
        // Only a text with other chars than ASCII folds its backticks.
        shared = a.as_bytes()[..shared]
            .iter()
            .position(|&c| c == b'`')
            .unwrap_or(shared);
    }
    if differ_plainly(a.as_bytes(), b.as_bytes(), shared) {
        // Most texts that differ end here, without reading their rests.
        return false;
    }
    let cut = a.as_bytes()[..shared]
        .iter()
        .rposition(u8::is_ascii_alphanumeric)
        .map_or(0, |i| i + 1);
    let (a_rest, b_rest) = (&a[cut..], &b[cut..]);
    if !(is_nfkc(a_rest) && is_nfkc(b_rest)) {
        // NFKC may join a char to the ones before it: no shortcut.
        return fold_typography(a) == fold_typography(b);
    }
    FoldedChars::new(a_rest, a_ascii, cut > 0).eq(FoldedChars::new(b_rest, b_ascii, cut > 0))
}

/// Whether `a` and `b`, which fold alike up to byte `at`, hold there two different ASCII
/// chars that fold to themselves (neither spacing nor the backtick), each followed by
/// ASCII or the end: their folds then differ there. NFKC cannot join such a char to
/// another (no ASCII char composes with the one before it, and an ASCII char after it
/// starts afresh), so each fold holds it right after the same folded start.
fn differ_plainly(a: &[u8], b: &[u8], at: usize) -> bool {
    let kept = |text: &[u8]| {
        text.get(at)
            .is_some_and(|&c| c.is_ascii_graphic() && c != b'`')
            && text.get(at + 1).is_none_or(u8::is_ascii)
    };
    kept(a) && kept(b) && a[at] != b[at]
}

/// The chars of [`fold_typography`] over (the rest of) a text that needs no NFKC, one
/// at a time.
struct FoldedChars<'a> {
    chars: std::str::Chars<'a>,
    /// Whether the whole text is ASCII: [`fold_typography`] then keeps the backtick.
    ascii: bool,
    /// The rest of a multi-char fold (`...`).
    piece: std::str::Chars<'static>,
    /// A char held back while the space before it is returned.
    held: Option<char>,
    started: bool,
    pending_space: bool,
}

impl<'a> FoldedChars<'a> {
    /// `rest` of a text that is all ASCII or not (`ascii`); `started` says whether folded
    /// text precedes it (a leading space then counts).
    fn new(rest: &'a str, ascii: bool, started: bool) -> Self {
        FoldedChars {
            chars: rest.chars(),
            ascii,
            piece: "".chars(),
            held: None,
            started,
            pending_space: false,
        }
    }
}

impl Iterator for FoldedChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.held.take() {
            return Some(c);
        }
        loop {
            let c = match self.piece.next() {
                Some(pc) => pc,
                None => {
                    let c = self.chars.next()?;
                    if c.is_ascii() && (c != '`' || self.ascii) {
                        if c.is_ascii_whitespace() || c == '\u{0B}' {
                            self.pending_space = self.started;
                            continue;
                        }
                        c
                    } else if let Some(piece) = fold_char(c) {
                        self.piece = piece.chars();
                        continue;
                    } else {
                        c
                    }
                }
            };
            if c.is_whitespace() {
                self.pending_space = self.started;
                continue;
            }
            self.started = true;
            if self.pending_space {
                self.pending_space = false;
                self.held = Some(c);
                return Some(' ');
            }
            return Some(c);
        }
    }
}

/// Calls `f` with the chars of [`fold`]`(text)` that are letters or digits, and with
/// `None` for each other char, without building the folded string; the caller sees the
/// same sequence of letters, digits and gaps as when it reads [`fold`]`(text)`, except
/// that runs of gaps may be shorter or longer (only whether a gap is there is kept).
/// Returns `false`, having called nothing, when it cannot promise that (a text not
/// already in NFKC, or one with a capital sigma, whose lower case depends on context).
pub fn for_each_folded_char(text: &str, mut f: impl FnMut(Option<char>)) -> bool {
    if !text.is_ascii() && (text.contains('\u{03A3}') || !is_nfkc(text)) {
        return false;
    }
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                f(Some(c.to_ascii_lowercase()));
            } else {
                f(None);
            }
            continue;
        }
        match fold_char(c) {
            // Every fold is punctuation, space or nothing: a gap or no char at all.
            Some(piece) => {
                if !piece.is_empty() {
                    f(None);
                }
            }
            None => {
                for l in c.to_lowercase() {
                    f(l.is_alphanumeric().then_some(l));
                }
            }
        }
    }
    true
}

/// [`fold_typography`] plus lower case: the key for "identical up to typography and case".
pub fn fold(text: &str) -> String {
    let mut folded = fold_typography(text);
    if folded.is_ascii() {
        folded.make_ascii_lowercase();
        folded
    } else {
        folded.to_lowercase()
    }
}

/// A word token with its byte span in the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalized token: lower case, typography folded, thousands separators removed.
    pub norm: String,
    /// Byte offset of the token's first character in the original text.
    pub start: usize,
    /// Byte offset just past the token in the original text.
    pub end: usize,
}

/// Splits `text` into word tokens: runs of letters and digits, keeping inner apostrophes
/// (`didn't`, `Lavrov's`) and inner `.`/`,` between digits (`3.5`, `5,000`). Each token
/// keeps its byte span into `text` so differences can point back to the input.
pub fn tokens(text: &str) -> Vec<Token> {
    // About one word per six bytes of English news text.
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    token_spans(text, |start, end| {
        out.push(Token {
            norm: norm_token(&text[start..end]),
            start,
            end,
        });
    });
    out
}

/// Calls `f(start, end)` with the byte span of every word token of `text`, as
/// [`tokens`] finds them, without normalizing them.
pub fn token_spans(text: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    // The char at byte `i` and its length; ASCII (most of it) without decoding.
    let char_at = |i: usize| -> (char, usize) {
        match bytes[i] {
            b if b.is_ascii() => (char::from(b), 1),
            _ => {
                let c = text[i..].chars().next().expect("i is a char boundary");
                (c, c.len_utf8())
            }
        }
    };
    let word_char = |c: char| {
        if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let (c, n) = char_at(i);
        if !word_char(c) {
            i += n;
            continue;
        }
        let start = i;
        let mut prev = c;
        i += n;
        while i < bytes.len() {
            let (c, n) = char_at(i);
            if word_char(c) {
                prev = c;
                i += n;
                continue;
            }
            let next = (i + n < bytes.len()).then(|| char_at(i + n));
            let joins = match c {
                '\'' | '\u{2019}' | '\u{02BC}' => {
                    prev.is_alphabetic() && next.is_some_and(|(n, _)| n.is_alphabetic())
                }
                '.' | ',' => prev.is_ascii_digit() && next.is_some_and(|(n, _)| n.is_ascii_digit()),
                _ => false,
            };
            let Some((nc, nn)) = next.filter(|_| joins) else {
                break;
            };
            // The joiner and the letter or digit after it belong to the token.
            prev = nc;
            i += n + nn;
        }
        f(start, i);
    }
}

/// Calls `f` with the normalized form of every word token of `text` (as in [`words`]),
/// reusing one buffer instead of allocating a string per word.
pub fn for_each_word(text: &str, f: impl FnMut(&str)) {
    for_each_word_in(text, &mut String::new(), f);
}

/// [`for_each_word`] with `buf` as the buffer each word is normalized into, for callers
/// that read many texts.
pub fn for_each_word_in(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    token_spans(text, |start, end| {
        norm_token_into(&text[start..end], buf);
        f(buf);
    });
}

/// Normalizes one raw token: typography, case, and thousands separators in numbers.
fn norm_token(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    norm_token_into(raw, &mut out);
    out
}

/// The normalized form of one raw token (as in [`Token::norm`]) into a reused buffer.
pub fn norm_token_into(raw: &str, out: &mut String) {
    out.clear();
    push_norm_token(raw, out);
}

/// Appends the normal form of one raw token (as [`norm_token_into`] gives it) to `out`,
/// so the words of a text can share one buffer.
pub fn push_norm_token(raw: &str, out: &mut String) {
    // Thousands separators go from numbers; the first char and the commas of the ASCII
    // forms below are those of the raw token.
    let number = |t: &str| t.starts_with(|c: char| c.is_ascii_digit()) && t.contains(',');
    let keep = |c: &char| *c != ',';
    if raw.is_ascii() {
        if number(raw) {
            out.extend(raw.chars().filter(keep).map(|c| c.to_ascii_lowercase()));
        } else {
            let start = out.len();
            out.push_str(raw);
            out[start..].make_ascii_lowercase();
        }
    } else if raw
        .chars()
        .all(|c| c.is_ascii() || matches!(c, '\u{2019}' | '\u{02BC}'))
    {
        // An ASCII word with a typographic apostrophe (`Kerry’s`), the most common
        // non-ASCII token in English copy: the apostrophe folds to `'`, nothing else
        // changes, and the rest needs no Unicode tables.
        let folded = raw.chars().map(|c| {
            if c.is_ascii() {
                c.to_ascii_lowercase()
            } else {
                '\''
            }
        });
        if number(raw) {
            out.extend(folded.filter(keep));
        } else {
            out.extend(folded);
        }
    } else {
        let folded = fold(raw);
        if number(&folded) {
            out.extend(folded.chars().filter(keep));
        } else {
            out.push_str(&folded);
        }
    }
}

/// The normalized word tokens of `text`, without spans.
pub fn words(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.norm).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ascii_table_lowers_letters_and_digits_only() {
        for b in 0..=255u8 {
            let want = if b.is_ascii_alphanumeric() {
                b.to_ascii_lowercase()
            } else {
                0
            };
            assert_eq!(ASCII_ALNUM_LOWER[usize::from(b)], want, "{b}");
        }
    }

    /// The first tokenizer, over a vector of chars: the reference [`token_spans`] must
    /// agree with.
    fn reference_spans(text: &str) -> Vec<(usize, usize)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let (start, c) = chars[i];
            if !c.is_alphanumeric() {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < chars.len() {
                let c = chars[j].1;
                if c.is_alphanumeric() {
                    j += 1;
                    continue;
                }
                let prev = chars[j - 1].1;
                let next = chars.get(j + 1).map(|p| p.1);
                let joins = match c {
                    '\'' | '\u{2019}' | '\u{02BC}' => {
                        prev.is_alphabetic() && next.is_some_and(|n| n.is_alphabetic())
                    }
                    '.' | ',' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                    _ => false,
                };
                if !joins {
                    break;
                }
                j += 2;
            }
            out.push((start, chars.get(j).map_or(text.len(), |p| p.0)));
            i = j;
        }
        out
    }

    /// The first typography fold: ASCII by its whitespace alone, anything else always
    /// through the NFKC normalizer.
    fn reference_fold(text: &str) -> String {
        if text.is_ascii() {
            return text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        fold_chars(text.nfkc(), text.len())
    }

    /// [`is_plain`] one byte at a time.
    fn is_plain_bytewise(text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii() {
                i += 1;
            } else if is_plain_mark(&bytes[i..]) {
                i += 3;
            } else {
                return false;
            }
        }
        true
    }

    proptest! {
        #[test]
        fn is_plain_agrees_with_reading_byte_by_byte(
            // Chunks of thirty-two and eight bytes and the last eight, with marks and
            // other chars anywhere in them (across a chunk's end too).
            text in "[a-z .,]{0,40}([\u{2018}\u{2019}\u{201c}\u{201d}\u{2013}\u{2014}é…]?[a-z .]{0,20}){0,6}|\\PC{0,50}",
        ) {
            prop_assert_eq!(is_plain(&text), is_plain_bytewise(&text));
        }

        #[test]
        fn the_next_wide_byte_is_the_first_not_ascii(
            text in "[a-z ]{0,40}|([a-z ]{0,20}[\u{e9}\u{201c}]){0,4}[a-z]{0,20}|\\PC{0,40}",
            from in 0usize..80,
        ) {
            let bytes = text.as_bytes();
            let from = from.min(bytes.len());
            let want = (from..bytes.len()).find(|&k| !bytes[k].is_ascii()).unwrap_or(bytes.len());
            prop_assert_eq!(next_wide(bytes, from), want);
        }

        #[test]
        fn pack_short_puts_each_byte_at_its_place(bytes in proptest::collection::vec(any::<u8>(), 0..8)) {
            let mut want = (bytes.len() as u64) << 56;
            for (k, &b) in bytes.iter().enumerate() {
                want |= u64::from(b) << (8 * k);
            }
            prop_assert_eq!(pack_short(&bytes), want);
        }
    }

    proptest! {
        #[test]
        fn the_byte_check_for_nfkc_agrees_with_unicode(
            // Typographic chars beside other marks: U+2012 and U+201A are NFKC too but
            // not in the shortcut, U+2026 is not NFKC, U+0301 combines.
            text in "[a-z \u{2013}\u{2014}\u{2018}\u{2019}\u{201C}\u{201D}\u{2012}\u{201A}\u{2026}\u{0301}\u{e9}]{0,20}|\\PC{0,20}",
        ) {
            let want = unicode_normalization::is_nfkc_quick(text.chars()) == IsNormalized::Yes;
            prop_assert_eq!(is_nfkc(&text), want);
        }

        #[test]
        fn tokens_are_appended_in_their_normal_form(
            before in "[a-z ]{0,6}",
            raw in "[0-9][0-9,a-zA-Z\u{2019}\u{2bc}]{0,8}|[a-zA-Z\u{2019}\u{2bc}\u{e9}\u{c9}\u{3a3},]{1,10}",
        ) {
            // (Tokens as token_spans cuts them: no backticks or other punctuation.)
            // What the normal form is: the fold (lower case, typography), then no
            // thousands separators in a number.
            let mut want = if raw.is_ascii() { raw.to_ascii_lowercase() } else { fold(&raw) };
            if want.starts_with(|c: char| c.is_ascii_digit()) {
                want.retain(|c| c != ',');
            }
            let mut out = before.clone();
            push_norm_token(&raw, &mut out);
            prop_assert_eq!(&out, &format!("{before}{want}"));
            norm_token_into(&raw, &mut out);
            prop_assert_eq!(&out, &want);
        }

        #[test]
        fn token_spans_agree_with_the_reference(text in "[a-zA-Z0-9 .,'\u{2019}\u{02BC}\u{e9}\u{3a3}-]{0,40}|\\PC{0,40}") {
            let mut got = Vec::new();
            token_spans(&text, |s, e| got.push((s, e)));
            prop_assert_eq!(got, reference_spans(&text));
            let words: Vec<String> = tokens(&text).into_iter().map(|t| t.norm).collect();
            let mut streamed = Vec::new();
            for_each_word(&text, |w| streamed.push(w.to_string()));
            prop_assert_eq!(words, streamed);
        }

        #[test]
        fn pushed_norm_tokens_are_norm_token_into(
            before in "[a-z ]{0,3}",
            raw in "[a-zA-Z0-9,'\u{2019}]{1,12}|\\PC{1,6}",
        ) {
            let mut one = String::new();
            norm_token_into(&raw, &mut one);
            let mut out = before.clone();
            push_norm_token(&raw, &mut out);
            prop_assert_eq!(out, before + &one);
        }

        #[test]
        fn tokens_normalize_as_their_folded_lower_case(raw in "[a-zA-Z0-9,'\u{2019}\u{02BC}]{1,12}|[A-Z\u{2019}\u{130}\u{212A}\u{3a3}\u{e9}]{1,6}") {
            let mut got = String::new();
            norm_token_into(&raw, &mut got);
            let mut want = reference_fold(&raw).to_lowercase();
            if want.starts_with(|c: char| c.is_ascii_digit()) && want.contains(',') {
                want.retain(|c| c != ',');
            }
            prop_assert_eq!(got, want);
        }

        #[test]
        fn folding_skips_nfkc_only_when_it_changes_nothing(text in "\\PC{0,40}|[a-z \u{2019}\u{201c}\u{201d}\u{2014}\u{2026}\u{fb01}\u{301}\u{e9}]{0,30}") {
            prop_assert_eq!(fold_typography(&text), reference_fold(&text));
            prop_assert_eq!(fold(&text), reference_fold(&text).to_lowercase());
        }
    }

    /// Spellings that fold alike, group by group (the last groups are single spellings).
    const SPELLINGS: &[&[&str]] = &[
        &[" ", "  ", "\u{a0}", "\n", " \u{200b}", "\t "],
        &["'", "\u{2019}", "`", "\u{2032}"],
        &["\"", "\u{201c}", "\u{201d}", "\u{ab}"],
        &["-", "\u{2014}", "\u{2013}"],
        &["...", "\u{2026}"],
        &["\u{e9}", "e\u{301}"],
        &["fi", "\u{fb01}"],
        &["\u{200b}", ""],
        &["a"],
        &["b"],
        &["e"],
        &["1"],
        &["\u{301}"],
        &["\u{2033}"],
    ];

    /// Two texts built from the same groups, a few of them spelled another way in `b`.
    fn respelled() -> impl Strategy<Value = (String, String)> {
        let part = (
            0..SPELLINGS.len(),
            0..6usize,
            0..6usize,
            prop::bool::weighted(0.2),
        );
        prop::collection::vec(part, 0..16).prop_map(|parts| {
            let (mut a, mut b) = (String::new(), String::new());
            for (g, i, j, respell) in parts {
                let group = SPELLINGS[g];
                a.push_str(group[i % group.len()]);
                b.push_str(group[if respell { j } else { i } % group.len()]);
            }
            (a, b)
        })
    }

    proptest! {
        // Cheap cases, and the ones that matter (texts equal but for spacing or
        // typography just after a shared start) are a small share of them.
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn texts_that_differ_plainly_fold_apart(
            start in "[ab `'\u{2019}\u{e9}]{0,4}",
            a_rest in "[ab `'\t<=]?[ab `'\t\u{2019}\u{301}\u{338}\u{200b}]{0,3}",
            b_rest in "[ab `'\t<=]?[ab `'\t\u{2019}\u{301}\u{338}\u{200b}]{0,3}",
        ) {
            let (a, b) = (start.clone() + &a_rest, start + &b_rest);
            let want = fold_typography(&a) == fold_typography(&b);
            prop_assert_eq!(same_typography(&a, &b), want, "{:?} / {:?}", a, b);
            prop_assert_eq!(same_typography(&b, &a), want);
        }

        #[test]
        fn same_typography_is_equal_folds(
            (a, b) in respelled(),
            edit in prop::option::of((0..40usize, "[ab ’\u{301}]{0,2}")),
        ) {
            let mut b = b;
            if let Some((at, insert)) = edit {
                let at = (0..=at.min(b.len())).rev().find(|&i| b.is_char_boundary(i)).unwrap_or(0);
                b.insert_str(at, &insert);
            }
            let want = fold_typography(&a) == fold_typography(&b);
            prop_assert_eq!(same_typography(&a, &b), want, "{:?} / {:?}", a, b);
            prop_assert_eq!(same_typography(&b, &a), want);
        }
    }

    #[test]
    fn a_backtick_folds_only_outside_ascii_text() {
        // `fold_typography` keeps the backtick of an all-ASCII text.
        assert!(!same_typography("`a ", "`a \u{200b}"));
        assert!(same_typography("`a \u{200b}", "\u{2019}a"));
        assert!(same_typography("a  b", "a b\u{a0}"));
    }

    #[test]
    fn a_mark_that_joins_the_shared_start_is_folded_with_it() {
        // NFKC composes the accent with the letter before it, which ends the shared
        // start: the rests alone would not say these are equal.
        assert!(same_typography("cafe\u{301} au lait", "caf\u{e9} au lait"));
        assert!(same_typography("ae\u{301}", "a\u{e9}"));
        assert!(!same_typography("a\u{301}b", "a\u{301}c"));
    }

    #[test]
    fn curly_and_straight_quotes_fold_alike() {
        assert_eq!(
            fold("“It’s over,” he said — again…"),
            fold("\"It's over,\" he said - again...")
        );
    }

    #[test]
    fn whitespace_collapses_and_trims() {
        assert_eq!(fold_typography("  a\u{00A0}\u{00A0}b \n c "), "a b c");
    }

    #[test]
    fn tokens_keep_numbers_and_contractions_whole() {
        assert_eq!(
            words("Kerry didn’t say $3.5 billion or 5,000 troops, U.S.-Russian."),
            vec![
                "kerry", "didn't", "say", "3.5", "billion", "or", "5000", "troops", "u", "s",
                "russian"
            ]
        );
    }

    #[test]
    fn token_spans_point_into_the_original() {
        let text = "Ça va, “Lavrov’s” 1,200";
        for t in tokens(text) {
            assert_eq!(norm_token(&text[t.start..t.end]), t.norm);
        }
        assert_eq!(words(text), vec!["ça", "va", "lavrov's", "1200"]);
    }

    #[test]
    fn trailing_separator_is_not_part_of_a_number() {
        assert_eq!(
            words("It cost 10, then 12."),
            vec!["it", "cost", "10", "then", "12"]
        );
    }
}
