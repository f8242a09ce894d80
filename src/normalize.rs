//! Normalize: the one place that decides when two pieces of text are "the same up to
//! typography". Curly quotes, primes and guillemets fold to straight quotes, every dash
//! to `-`, the ellipsis character to `...`, non-breaking and other spaces to one space,
//! then NFKC. Word tokens are case-folded runs of letters and digits; numbers lose their
//! thousands separators so `5,000` and `5000` are one token.

use unicode_normalization::UnicodeNormalization;

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
        return text
            .split(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkc() {
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

/// [`fold_typography`] plus lower case: the key for "identical up to typography and case".
pub fn fold(text: &str) -> String {
    fold_typography(text).to_lowercase()
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
        let end = chars.get(j).map_or(text.len(), |p| p.0);
        out.push(Token {
            norm: norm_token(&text[start..end]),
            start,
            end,
        });
        i = j;
    }
    out
}

/// Normalizes one raw token: typography, case, and thousands separators in numbers.
fn norm_token(raw: &str) -> String {
    let folded = if raw.is_ascii() {
        raw.to_ascii_lowercase()
    } else {
        fold(raw)
    };
    if folded.starts_with(|c: char| c.is_ascii_digit()) && folded.contains(',') {
        return folded.replace(',', "");
    }
    folded
}

/// The normalized word tokens of `text`, without spans.
pub fn words(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.norm).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
