//! Sources: one canonical key per news organisation, so that "AP reported", a version
//! whose metadata says `source: The Associated Press` and a file named `ap.txt` are
//! recognised as the same source.
//!
//! A name is folded (case, typography, a leading `The`, punctuation, `news agency`
//! suffixes) and then looked up in a table of common agencies and outlets; a name not
//! in the table is its own folded form.

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

use crate::normalize;

/// Agencies and outlets with the names they go by. The first name of each row is the
/// canonical key.
const ALIASES: &[&[&str]] = &[
    &["ap", "associated press", "the associated press", "ap news"],
    &["reuters", "thomson reuters", "reuters news"],
    &[
        "afp",
        "agence france-presse",
        "agence france presse",
        "france presse",
    ],
    &["dpa", "deutsche presse-agentur", "deutsche presse agentur"],
    &["upi", "united press international"],
    &["pa", "press association", "pa media"],
    &["ansa", "agenzia nazionale stampa associata"],
    &["efe", "agencia efe"],
    &["xinhua", "xinhua news agency", "new china news agency"],
    &["kyodo", "kyodo news"],
    &["yonhap", "yonhap news agency"],
    &["tass", "itar-tass", "tass news agency"],
    &["ria novosti", "ria"],
    &["anadolu", "anadolu agency", "aa"],
    &["bloomberg", "bloomberg news"],
    &["bbc", "british broadcasting corporation", "bbc news"],
    &["cnn", "cable news network"],
    &["nyt", "new york times", "the new york times", "ny times"],
    &["washington post", "the washington post", "wapo", "wp"],
    &["wsj", "wall street journal", "the wall street journal"],
    &["guardian", "the guardian"],
    &["financial times", "ft", "the financial times"],
    &["al jazeera", "aljazeera", "al-jazeera"],
    &["arab news"],
    &["usa today"],
    &["los angeles times", "la times", "the los angeles times"],
    &["fox news"],
    &["nbc", "nbc news"],
    &["abc", "abc news"],
    &["cbs", "cbs news"],
    &["npr", "national public radio"],
    &["politico"],
    &["interfax"],
];

/// Folds a source name: lower case, typography folded, a leading `the` and trailing
/// punctuation dropped, inner punctuation and runs of spaces made one space.
pub fn fold(name: &str) -> String {
    // A plain ASCII name (nearly all) in one pass; the backtick is the one ASCII char
    // typography folds.
    if name.is_ascii() && !name.contains('`') {
        let mut out = String::with_capacity(name.len());
        let words = name
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '\''))
            .filter(|w| !w.is_empty());
        for w in words {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
        out.make_ascii_lowercase();
        if out.starts_with("the ") {
            out.drain(..4);
        }
        return out;
    }
    fold_any(name)
}

/// Longest name that [`fold_ascii`] folds on the stack (a fold is never longer than its
/// name); longer names take the allocating [`fold`].
const SHORT: usize = 64;

/// For each byte, what [`fold`] makes of it in an ASCII name: letters and digits in lower
/// case, `-` and `'` as they are; 0 for any other ASCII char (a separator, the backtick
/// included) and 0xFF for a byte outside ASCII.
const FOLD_BYTES: [u8; 256] = {
    let mut out = [0xFF; 256];
    let mut b: u8 = 0;
    while b < 128 {
        out[b as usize] = if b.is_ascii_alphanumeric() {
            b.to_ascii_lowercase()
        } else if b == b'-' || b == b'\'' {
            b
        } else {
            0
        };
        b += 1;
    }
    out
};

/// [`fold`] of an ASCII name, written into `out` instead of a new `String` (the names
/// looked up are many and nearly all short): `None` for a name with a char outside ASCII
/// or longer than `out`.
fn fold_ascii<'a>(name: &str, out: &'a mut [u8; SHORT]) -> Option<&'a [u8]> {
    let bytes = name.as_bytes();
    if bytes.len() > SHORT {
        return None;
    }
    let mut n = 0;
    // Whether a separator came since the last byte written.
    let mut gap = false;
    for &b in bytes {
        match FOLD_BYTES[b as usize] {
            0 => gap = true,
            0xFF => return None,
            l => {
                // At most one byte written per byte read, so `out` never runs out.
                if gap && n > 0 {
                    *out.get_mut(n)? = b' ';
                    n += 1;
                }
                gap = false;
                *out.get_mut(n)? = l;
                n += 1;
            }
        }
    }
    let folded = &out[..n];
    Some(folded.strip_prefix(b"the ").unwrap_or(folded))
}

/// Calls `f` with the fold of `name` as bytes, made on the stack where [`fold_ascii`] can.
fn with_fold<R>(name: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    let mut buf = [0; SHORT];
    match fold_ascii(name, &mut buf) {
        Some(key) => f(key),
        None => f(fold(name).as_bytes()),
    }
}

/// The canonical key of a name in the alias table (as [`canonical`] gives it), or `None`
/// for a name not in the table.
pub(crate) fn known_key(name: &str) -> Option<&'static str> {
    with_fold(name, |key| table().get(key).copied())
}

/// [`fold`] for any name, through the general typography fold.
fn fold_any(name: &str) -> String {
    let folded = normalize::fold(name);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let words = match words.split_first() {
        Some((&"the", rest)) if !rest.is_empty() => rest,
        _ => &words[..],
    };
    words.join(" ")
}

/// Folded alias (as bytes, so that a fold made on the stack is looked up as it is) → its
/// row's canonical key, built once.
fn table() -> &'static FxHashMap<Vec<u8>, &'static str> {
    static TABLE: OnceLock<FxHashMap<Vec<u8>, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = FxHashMap::default();
        for row in ALIASES {
            for alias in *row {
                map.entry(fold(alias).into_bytes()).or_insert(row[0]);
            }
        }
        map
    })
}

/// The canonical key of a source name: the table's first name for a known agency or
/// outlet, else the folded name.
pub fn canonical(name: &str) -> String {
    canonical_key(name).into_owned()
}

/// [`canonical`], borrowing a known key from the table.
fn canonical_key(name: &str) -> Cow<'static, str> {
    with_fold(name, |folded| match table().get(folded) {
        Some(key) => Cow::Borrowed(*key),
        // A fold of a `str`, cut at ASCII bytes only: valid UTF-8, so never lossy.
        None => String::from_utf8_lossy(folded).into_owned().into(),
    })
}

/// `s` without spaces or punctuation: its alphanumeric chars alone.
fn squash(s: &str) -> String {
    if s.is_ascii() {
        let mut out = String::with_capacity(s.len());
        out.extend(s.bytes().filter(u8::is_ascii_alphanumeric).map(char::from));
        return out;
    }
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The canonical key of a name whose table row lists several names (as when
/// [`aliases`] gives more than one), else `None`.
pub fn key_with_aliases(name: &str) -> Option<&'static str> {
    let key = known_key(name)?;
    ALIASES
        .iter()
        .any(|row| row[0] == key && row.len() > 1)
        .then_some(key)
}

/// Whether a name is one of the agencies or outlets in the alias table.
pub fn is_known(name: &str) -> bool {
    known_key(name).is_some()
}

/// Whether two names denote the same source. Spaces and punctuation do not matter, so a
/// file named `arabnews.txt` is the source "Arab News".
pub fn same_source(a: &str, b: &str) -> bool {
    SourceName::new(a).same(&SourceName::new(b))
}

/// A name prepared for [`same_source`] tests, for comparing one name with many.
#[derive(Debug, Clone)]
pub struct SourceName {
    /// The canonical key without spaces or punctuation.
    squashed: String,
    /// The canonical key of that squashed form, squashed again.
    again: String,
}

impl SourceName {
    /// Prepares `name`.
    pub fn new(name: &str) -> Self {
        let squashed = squash(&canonical_key(name));
        // Lower-case ASCII letters and digits alone (nearly every key) fold to
        // themselves: the squashed key is looked up as it stands.
        let again = if squashed
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            match table().get(squashed.as_bytes()) {
                Some(key) => squash(key),
                None => squashed.clone(),
            }
        } else {
            squash(&canonical(&squashed))
        };
        SourceName { squashed, again }
    }

    /// Whether the two names denote the same source (see [`same_source`]).
    pub fn same(&self, other: &SourceName) -> bool {
        !self.squashed.is_empty()
            && (self.squashed == other.squashed
                || self.again == other.squashed
                || self.squashed == other.again)
    }
}

/// Every name the source goes by (the table row, or the folded name alone).
pub fn aliases(name: &str) -> Vec<String> {
    let key = canonical(name);
    ALIASES
        .iter()
        .find(|row| row[0] == key)
        .map(|row| row.iter().map(|a| (*a).to_string()).collect())
        .unwrap_or_else(|| vec![key])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn ascii_names_fold_as_any_name(
            name in "((the|The|THE|a|AP|`|'|-|\\.|,| |\t)( )?){0,8}|[ -~]{0,20}",
        ) {
            // The general path, which the ASCII shortcut must agree with.
            prop_assert_eq!(fold(&name), fold_any(&name));
        }

        #[test]
        fn ascii_names_fold_on_the_stack_as_by_fold(
            name in "((the|The|THE|a|AP|Associated|Press|`|'|-|\\.|,| |\t|\u{b})( )?){0,12}|[ -~]{0,80}|\\PC{0,12}",
        ) {
            let mut buf = [0; SHORT];
            let got = fold_ascii(&name, &mut buf);
            let want = fold(&name);
            if name.is_ascii() && name.len() <= SHORT {
                prop_assert_eq!(got, Some(want.as_bytes()));
            } else {
                prop_assert_eq!(got, None);
            }
            prop_assert_eq!(is_known(&name), table().contains_key(want.as_bytes()));
            prop_assert_eq!(known_key(&name), table().get(want.as_bytes()).copied());
            prop_assert_eq!(canonical_key(&name), table().get(want.as_bytes()).map_or(want, |k| k.to_string()));
        }

        #[test]
        fn source_names_are_prepared_as_by_canonical_keys(
            name in "((the|The|AP|ap|Arab|news|NEWS|reuters|wp|wapo|al-jazeera|aljazeera|washington|post|Ü|é|ß|1|-|'|\\.| )( )?){0,6}|\\PC{0,16}",
        ) {
            // The general path: squash the canonical key, then the key of that.
            let squash = |s: String| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
            let squashed = squash(canonical(&name));
            let again = squash(canonical(&squashed));
            let got = SourceName::new(&name);
            prop_assert_eq!(got.squashed, squashed);
            prop_assert_eq!(got.again, again);
        }
    }

    #[test]
    fn keys_with_aliases_are_those_of_rows_of_several_names() {
        let names = ALIASES.iter().flat_map(|row| row.iter().copied()).chain([
            "The AP",
            "Arab News",
            "Coast News",
            "",
            "REUTERS.",
            "Politico",
        ]);
        for name in names {
            let want = (aliases(name).len() > 1).then(|| canonical(name));
            assert_eq!(key_with_aliases(name).map(str::to_string), want, "{name}");
        }
    }

    #[test]
    fn agency_names_meet() {
        assert!(same_source("AP", "The Associated Press"));
        assert!(same_source("Associated Press", "ap"));
        assert!(same_source("Agence France-Presse", "AFP"));
        assert!(same_source("The Washington Post", "Washington Post"));
        assert!(!same_source("AP", "AFP"));
        assert!(!same_source("", ""));
        assert!(same_source("Arab News", "arabnews"));
        assert!(same_source("washingtonpost", "The Washington Post"));
    }

    #[test]
    fn unknown_names_fold() {
        assert_eq!(canonical("The  Daily Herald."), "daily herald");
        assert!(same_source("Daily Herald", "the daily herald"));
        assert_eq!(canonical("Arab News"), "arab news");
    }

    #[test]
    fn aliases_list_the_row() {
        assert!(aliases("Reuters").contains(&"thomson reuters".to_string()));
        assert_eq!(aliases("Coast News"), vec!["coast news".to_string()]);
    }
}
