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
    if !may_be_known(name) {
        return None;
    }
    with_fold(name, |key| lookup(key).map(|e| e.key))
}

/// False only for a name sure not to be in the table: one that [`fold_ascii`] folds
/// whose fold starts with two bytes no alias's fold starts with (nor `th`, since a
/// leading `the ` is dropped). Most names asked are told so by their first bytes,
/// without folding the rest.
fn may_be_known(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.len() > SHORT || !bytes.is_ascii() {
        return true;
    }
    // The fold's first byte and what follows it: the next letter, a space if a
    // separator comes first, or 0 at the end.
    let mut first = None;
    let mut gap = false;
    for &b in bytes {
        match (FOLD_BYTES[b as usize], first) {
            (0, _) => gap = true,
            (l, None) => {
                first = Some(l);
                gap = false;
            }
            (l, Some(a)) => return starts_in_table(a, if gap { b' ' } else { l }),
        }
    }
    // An empty fold or one of one byte.
    first.is_some_and(|a| starts_in_table(a, 0))
}

/// Whether some alias's fold starts with bytes `a` and `b` (`b` 0 for a fold of one
/// byte), or they are `th`.
fn starts_in_table(a: u8, b: u8) -> bool {
    (a, b) == (b't', b'h') || table().starts[usize::from(a & 31)] & (1 << (b & 31)) != 0
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

/// What the table holds for one folded alias.
struct Entry {
    /// The row's canonical key.
    key: &'static str,
    /// [`squash`] of the key.
    squashed: String,
    /// [`squash`] of the canonical key of `squashed` (as [`SourceName`] keeps it).
    again: String,
}

/// The alias table, built once.
struct Table {
    /// Folded alias (as bytes, so that a fold made on the stack is looked up as it is) →
    /// its row.
    map: FxHashMap<Vec<u8>, Entry>,
    /// Per length of a folded alias, a bit for each first byte (by its low five bits)
    /// some alias of that length starts with: most names asked are not in the table, and
    /// this tells nearly all of them without hashing.
    firsts: [u32; FIRSTS],
    /// Per first byte of a folded alias (by its low five bits), a bit for each byte that
    /// follows it (by its low five bits; 0 for the end) in some alias.
    starts: [u32; 32],
}

/// Longest folded alias [`Table::firsts`] can tell, plus one; every alias's fold is
/// shorter (a test pins it).
const FIRSTS: usize = 48;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut keys: FxHashMap<Vec<u8>, &'static str> = FxHashMap::default();
        for row in ALIASES {
            for alias in *row {
                keys.entry(fold(alias).into_bytes()).or_insert(row[0]);
            }
        }
        let mut firsts = [0; FIRSTS];
        let mut starts = [0; 32];
        let map = keys
            .iter()
            .map(|(folded, &key)| {
                if let (Some(bits), Some(&b)) = (firsts.get_mut(folded.len()), folded.first()) {
                    *bits |= 1 << (b & 31);
                    let next = folded.get(1).copied().unwrap_or(0);
                    starts[usize::from(b & 31)] |= 1 << (next & 31);
                }
                let squashed = squash(key);
                let again = match keys.get(squashed.as_bytes()) {
                    Some(k) => squash(k),
                    None => squashed.clone(),
                };
                let entry = Entry {
                    key,
                    squashed,
                    again,
                };
                (folded.clone(), entry)
            })
            .collect();
        Table {
            map,
            firsts,
            starts,
        }
    })
}

/// The table's row for a folded name.
fn lookup(folded: &[u8]) -> Option<&'static Entry> {
    let table = table();
    let bits = *table.firsts.get(folded.len())?;
    let first = *folded.first()?;
    if bits & (1 << (first & 31)) == 0 {
        return None;
    }
    table.map.get(folded)
}

/// The canonical key of a source name: the table's first name for a known agency or
/// outlet, else the folded name.
pub fn canonical(name: &str) -> String {
    canonical_key(name).into_owned()
}

/// [`canonical`], borrowing a known key from the table.
fn canonical_key(name: &str) -> Cow<'static, str> {
    with_fold(name, |folded| match lookup(folded) {
        Some(e) => Cow::Borrowed(e.key),
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
    squashed: Cow<'static, str>,
    /// The canonical key of that squashed form, squashed again; `None` when that is
    /// `squashed` itself (as for a name not in the table).
    again: Option<Cow<'static, str>>,
}

impl SourceName {
    /// Prepares `name`.
    pub fn new(name: &str) -> Self {
        let mut buf = [0; SHORT];
        if let Some(folded) = fold_ascii(name, &mut buf) {
            // An ASCII fold is in lower case, and so is every key in the table: what is
            // squashed is looked up as it stands, and a known name borrows both forms
            // from the table.
            return match lookup(folded) {
                Some(e) => SourceName {
                    squashed: Cow::Borrowed(&e.squashed),
                    again: Some(Cow::Borrowed(&e.again)),
                },
                None => {
                    let squashed: String = folded
                        .iter()
                        .filter(|b| b.is_ascii_alphanumeric())
                        .map(|&b| char::from(b))
                        .collect();
                    let again = lookup(squashed.as_bytes()).map(|e| Cow::Borrowed(&*e.squashed));
                    SourceName {
                        squashed: Cow::Owned(squashed),
                        again,
                    }
                }
            };
        }
        let squashed = squash(&canonical_key(name));
        let again = squash(&canonical(&squashed));
        let again = (again != squashed).then_some(Cow::Owned(again));
        SourceName {
            squashed: Cow::Owned(squashed),
            again,
        }
    }

    /// The squashed canonical key of the squashed form.
    fn again(&self) -> &str {
        self.again.as_deref().unwrap_or(&self.squashed)
    }

    /// Whether the two names denote the same source (see [`same_source`]).
    pub fn same(&self, other: &SourceName) -> bool {
        !self.squashed.is_empty()
            && (self.squashed == other.squashed
                || self.again() == other.squashed
                || self.squashed == other.again())
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
            let row = table().map.get(want.as_bytes());
            prop_assert_eq!(is_known(&name), row.is_some());
            prop_assert!(may_be_known(&name) || row.is_none());
            prop_assert_eq!(known_key(&name), row.map(|e| e.key));
            prop_assert_eq!(canonical_key(&name), row.map_or(want, |e| e.key.to_string()));
        }

        #[test]
        fn aliases_as_written_are_let_through_the_filter(
            alias in prop::sample::select(
                ALIASES.iter().flat_map(|row| row.iter().copied()).collect::<Vec<_>>(),
            ),
            the in "(the |The |THE )?",
            upper in any::<bool>(),
            around in "[ .,'`-]{0,2}",
            cut in 0usize..6,
        ) {
            // Whole aliases in any case and with punctuation around, and names that
            // stop short of one.
            let alias = if upper { alias.to_uppercase() } else { alias.to_string() };
            let short = &alias[..alias.len().saturating_sub(cut)];
            for name in [format!("{around}{the}{alias}{around}"), format!("{the}{short}")] {
                let want = table().map.get(fold(&name).as_bytes()).map(|e| e.key);
                prop_assert_eq!(known_key(&name), want);
                prop_assert!(may_be_known(&name) || want.is_none());
            }
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
            prop_assert_eq!(got.again(), again.as_str());
            prop_assert_eq!(got.squashed, squashed);
        }
    }

    /// The first-byte filter lets every alias through: each fold is short enough to have
    /// its bits, and they are set.
    #[test]
    fn every_alias_passes_the_filter() {
        for row in ALIASES {
            for alias in *row {
                let folded = fold(alias);
                assert!(folded.len() < FIRSTS, "{alias}");
                assert_eq!(
                    lookup(folded.as_bytes()).map(|e| e.key),
                    Some(row[0]),
                    "{alias}"
                );
                assert_eq!(known_key(alias), Some(row[0]), "{alias}");
            }
        }
        assert!(lookup(b"").is_none());
        assert!(!may_be_known(""));
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
