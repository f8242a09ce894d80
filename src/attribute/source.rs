//! Source normalisation: one key per speaker or organisation, so that `John Kerry`,
//! `Kerry` and `U.S. Secretary of State John Kerry` compare equal, and `AP`, `The
//! Associated Press` and `Associated Press` do too.
//!
//! People reduce to their head: the last capitalised name token once titles, roles and
//! appositions are gone. Organisations keep their full name, lower case, without a
//! leading `the`; news agencies and a few outlets go through an alias table first.
//! Lower-case sources (`officials`, `the spokeswoman`) reduce to their last word.

use crate::normalize::{ascii_lower, fold_typography};

use super::lexicon::{TITLES, WordSet};

/// Words that make a name an organisation rather than a person.
#[rustfmt::skip]
static ORG_WORDS: WordSet = WordSet::new(&[
    "news", "post", "times", "press", "agency", "journal", "network", "tribune", "herald",
    "telegraph", "guardian", "gazette", "daily", "weekly", "magazine", "radio",
    "television", "tv", "channel", "media", "wire", "reuters", "ministry", "department",
    "committee", "council", "office", "commission", "university", "institute", "foundation",
    "association", "corporation", "corp", "inc", "company", "bank", "court", "congress",
    "senate", "parliament", "government", "administration", "campaign", "organization",
    "organisation", "union", "service", "bureau", "center", "centre", "group", "party",
    "police", "army", "military", "pentagon", "kremlin", "fund", "board", "authority",
    "agency", "poll", "survey", "report", "study", "statement",
]);

fn strip_the(s: &str) -> &str {
    s.strip_prefix("the ").unwrap_or(s)
}

/// The comparison key for a source string (see the module docs).
pub fn entity_key(source_text: &str) -> String {
    if is_folded_ascii(source_text) {
        return entity_key_ascii(source_text);
    }
    let folded = fold_typography(source_text);
    if folded.is_ascii() {
        entity_key_ascii(&folded)
    } else {
        entity_key_folded(&folded)
    }
}

/// Whether `text` is ASCII and already its own [`fold_typography`]: words apart by one
/// space, no space at either end, no other whitespace (most sources).
fn is_folded_ascii(text: &str) -> bool {
    // As if after a space, so that a space at the start fails.
    let mut after_space = true;
    for &b in text.as_bytes() {
        match b {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0x80.. => return false,
            _ => after_space = false,
        }
    }
    !after_space || text.is_empty()
}

/// The name part of a folded source: an apposition or relative clause after the name is
/// not part of the key.
fn head_of(folded: &str) -> &str {
    folded
        .split([',', '(', ';'])
        .next()
        .unwrap_or("")
        .split(" who ")
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
}

/// [`entity_key`] of a source after [`fold_typography`], for any text.
fn entity_key_folded(folded: &str) -> String {
    let head = head_of(folded);
    let lower = head.to_lowercase();
    let lower = lower
        .strip_suffix("'s")
        .unwrap_or(&lower)
        .trim_end_matches('\'');
    let bare = strip_the(lower);
    // Agencies and outlets share one alias table with version matching.
    if let Some(key) = crate::source::known_key(bare) {
        return key.to_string();
    }
    if is_organisation_name(head) {
        return bare.to_string();
    }
    let words: Vec<&str> = head.split_whitespace().collect();
    // A person: the last capitalised token that is not a title or a suffix.
    let name = words.iter().rev().find(|w| {
        let lw = w.trim_end_matches('.').to_lowercase();
        w.chars().next().is_some_and(char::is_uppercase)
            && !TITLES.contains(lw.as_str())
            && !TITLES.contains(w.to_lowercase().as_str())
    });
    match name.or(words.last()) {
        Some(w) => {
            let w = w.to_lowercase();
            w.strip_suffix("'s").unwrap_or(&w).to_string()
        }
        None => String::new(),
    }
}

/// [`head_of`] an ASCII fold, reading its bytes.
fn head_of_ascii(folded: &str) -> &str {
    let bytes = folded.as_bytes();
    let end = bytes
        .iter()
        .position(|&b| matches!(b, b',' | b'(' | b';'))
        .unwrap_or(bytes.len());
    let end = bytes[..end]
        .windows(5)
        .position(|w| w == b" who ")
        .unwrap_or(end);
    folded[..end].trim_matches(|c: char| !c.is_ascii_alphanumeric())
}

/// [`entity_key_folded`] of an ASCII fold (nearly every source), lower-casing on the stack
/// and walking the words without collecting them.
fn entity_key_ascii(folded: &str) -> String {
    let head = head_of_ascii(folded);
    let (mut buf, mut spill) = ([0; SHORT], String::new());
    let lower = ascii_lower(head, &mut buf, &mut spill);
    let lower = lower
        .strip_suffix("'s")
        .unwrap_or(lower)
        .trim_end_matches('\'');
    let bare = strip_the(lower);
    if let Some(key) = crate::source::known_key(bare) {
        return key.to_string();
    }
    if is_organisation_name_ascii(head) {
        return bare.to_string();
    }
    let mut words = head.split_whitespace();
    // A person: the last capitalised token that is not a title or a suffix.
    let name = words.clone().rev().find(|w| {
        // Lower-cased only once it is known to be capitalised.
        w.starts_with(|c: char| c.is_ascii_uppercase()) && {
            let (mut buf, mut spill) = ([0; SHORT], String::new());
            let lw = ascii_lower(w, &mut buf, &mut spill);
            !TITLES.contains(lw.trim_end_matches('.')) && !TITLES.contains(lw)
        }
    });
    match name.or_else(|| words.next_back()) {
        Some(w) => {
            // One string, cut short in place rather than copied without its `'s`.
            let mut w = w.to_ascii_lowercase();
            if w.ends_with("'s") {
                w.truncate(w.len() - 2);
            }
            w
        }
        None => String::new(),
    }
}

/// Longest word or name lower-cased on the stack by [`ascii_lower`].
const SHORT: usize = 64;

/// Whether a source names an organisation (agency, outlet, institution) rather than a
/// person, by the alias table and by words such as `News`, `Post`, `Ministry`.
pub fn is_organisation(source_text: &str) -> bool {
    if source_text.is_ascii() {
        return is_known_ascii(source_text);
    }
    let folded = fold_typography(source_text);
    if folded.is_ascii() {
        return is_known_ascii(&folded);
    }
    let lower = folded.to_lowercase();
    let bare = strip_the(lower.trim());
    // The name is tested in lower case, where capitals are only those chars that
    // have no lower case.
    crate::source::is_known(bare) || is_organisation_name(&lower)
}

/// [`is_organisation`] of a source given as chars (the rules' view of the text), without
/// building a string for an ASCII one.
pub(super) fn is_organisation_chars(chars: &[char]) -> bool {
    let mut buf = [0; SHORT];
    if chars.len() <= SHORT && chars.iter().all(char::is_ascii) {
        for (b, &c) in buf.iter_mut().zip(chars) {
            *b = c as u8;
        }
        // ASCII only, so this never fails.
        let text = std::str::from_utf8(&buf[..chars.len()]).unwrap_or_default();
        return is_known_ascii(text);
    }
    is_organisation(&chars.iter().collect::<String>())
}

/// [`is_organisation`] of an ASCII source. Its fold in lower case has no capitals, so
/// [`is_organisation_name`] never answers yes: only the alias table is asked, with a
/// leading `the` dropped as [`strip_the`] drops it from the fold (the table's fold
/// reads words the same in any case and spacing).
fn is_known_ascii(source_text: &str) -> bool {
    let text = source_text.trim();
    let bare = match text.as_bytes() {
        [t, h, e, space, ..]
            if [*t, *h, *e].eq_ignore_ascii_case(b"the") && char::from(*space).is_whitespace() =>
        {
            &text[4..]
        }
        _ => text,
    };
    crate::source::is_known(bare)
}

fn is_organisation_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    // An all-capitals acronym of two or more letters (`CNN`, `AFP`) is an organisation.
    if words.len() == 1 {
        let w = words[0];
        if w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()) {
            return true;
        }
    }
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    // The organisation word must head the name (`Fox News`, `University of Chicago`), so
    // `Senate Majority Leader Mitch McConnell` stays a person.
    let is_org_word = |w: &&str| {
        let lw = w.to_lowercase();
        w.chars().next().is_some_and(char::is_uppercase)
            && ORG_WORDS.contains(lw.trim_matches(|c: char| !c.is_alphanumeric()))
    };
    let head = match words.iter().position(|w| *w == "of") {
        Some(i) if i > 0 => words.get(i - 1),
        _ => words.last(),
    };
    capitalised > 0 && head.is_some_and(is_org_word)
}

/// [`is_organisation_name`] of an ASCII name, in one walk over its words.
fn is_organisation_name_ascii(name: &str) -> bool {
    let capital = |w: &str| w.starts_with(|c: char| c.is_ascii_uppercase());
    let mut count = 0;
    let mut capitalised = false;
    let mut last = "";
    // The word before the first `of`, if that is not the first word.
    let mut before_of: Option<Option<&str>> = None;
    for w in name.split_whitespace() {
        if before_of.is_none() && w == "of" {
            before_of = Some((count > 0).then_some(last));
        }
        capitalised |= capital(w);
        last = w;
        count += 1;
    }
    // An all-capitals acronym of two or more letters (`CNN`, `AFP`) is an organisation.
    if count == 1 && last.len() >= 2 && last.bytes().all(|b| b.is_ascii_uppercase()) {
        return true;
    }
    // The organisation word must head the name (`Fox News`, `University of Chicago`), so
    // `Senate Majority Leader Mitch McConnell` stays a person.
    let head = match before_of {
        Some(Some(w)) => w,
        _ if count > 0 => last,
        _ => return false,
    };
    let (mut buf, mut spill) = ([0; SHORT], String::new());
    capitalised
        && capital(head)
        && ORG_WORDS.contains(ascii_lower(
            head.trim_matches(|c: char| !c.is_ascii_alphanumeric()),
            &mut buf,
            &mut spill,
        ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The organisation words, a [`WordSet`] since its filter by class, answer as a scan
    /// of their list.
    #[test]
    fn org_words_answer_as_scanning_the_list() {
        for &w in ORG_WORDS.words() {
            for asked in [
                w.to_string(),
                format!("{w}s"),
                w.to_uppercase(),
                w[1..].to_string(),
            ] {
                assert_eq!(
                    ORG_WORDS.contains(&asked),
                    ORG_WORDS.words().contains(&asked.as_str()),
                    "{asked}"
                );
            }
        }
    }

    /// `entity_key` as it was before its ASCII path: the general path for every source.
    fn entity_key_general(source_text: &str) -> String {
        entity_key_folded(&fold_typography(source_text))
    }

    /// `is_organisation` as it was before its ASCII path.
    fn is_organisation_general(source_text: &str) -> bool {
        let folded = fold_typography(source_text).to_lowercase();
        let bare = strip_the(folded.trim());
        crate::source::is_known(bare) || is_organisation_name(&folded)
    }

    /// `entity_key_folded` as it was, with its look-ups through `is_known` and
    /// `canonical`.
    fn entity_key_folded_general(folded: &str) -> String {
        let head = head_of(folded);
        let lower = head.to_lowercase();
        let lower = lower
            .strip_suffix("'s")
            .unwrap_or(&lower)
            .trim_end_matches('\'')
            .to_string();
        let bare = strip_the(&lower);
        if crate::source::is_known(bare) {
            return crate::source::canonical(bare);
        }
        if is_organisation_name(head) {
            return bare.to_string();
        }
        entity_key_folded(folded)
    }

    /// Source-like text: capitalised words, titles, organisation words, agencies, `of`,
    /// `the`, `who`, possessives, curly quotes, letters outside ASCII, odd spacing.
    /// Source-like text: capitalised words, titles, organisation words, agencies, `of`,
    /// `the`, `who`, possessives, curly quotes, letters outside ASCII, odd spacing.
    const SOURCE_LIKE: &str = "((the|The|THE|of|Of|who|and|John|Kerry|KERRY|Sen\\.|U\\.S\\.|Mr\\.|Secretary|State|Foreign|Ministry|ministry|News|news|Post|Washington|University|Chicago|Associated|Press|AP|AFP|CNN|Reuters|Fox|Arab|Daily|Herald|officials|spokeswoman|Russia's|Sanders’s|Sanders’|José|ÉLYSÉE|Élysée|Straße|ΣΟΦΙΑ|Ⅻ|𝐀|'s|’|“|”|—|-|,|\\(|\\)|;|:|\\.|`|'|1|X|Y| |  |\t|\n|\u{b}|\u{a0})( )?){0,10}|[ -~]{0,24}|\\PC{0,12}";

    /// Fewer words, so that the rules' cases meet often: a title or name last, `of` after
    /// the first word, a lone acronym, a leading `the` before an agency.
    const NAME_LIKE: &str = "(( |\t)?(the|The|of|Sen\\.|Mr|Mr\\.|Kerry|Kerry's|News|NEWS|Ministry|AP|Associated|Press|CNN|C|X|-|who|,|\\.|’s|é)){1,5}( |\\.)?";

    /// Names for the organisation word's place: before the first `of`, else last.
    const ORG_LIKE: &str = "((News|news|Kerry|of|Ministry|Post) ){1,6}";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn entity_keys_are_those_of_the_general_path(
            source in prop_oneof![SOURCE_LIKE, NAME_LIKE, ORG_LIKE],
        ) {
            prop_assert_eq!(entity_key(&source), entity_key_general(&source));
            let folded = fold_typography(&source);
            prop_assert_eq!(entity_key_folded(&folded), entity_key_folded_general(&folded));
            prop_assert_eq!(is_folded_ascii(&source), source.is_ascii() && folded == source);
            if folded.is_ascii() {
                prop_assert_eq!(head_of_ascii(&folded), head_of(&folded));
                prop_assert_eq!(entity_key_ascii(&folded), entity_key_folded(&folded));
                prop_assert_eq!(is_organisation_name_ascii(&folded), is_organisation_name(&folded));
                let head = head_of(&folded);
                prop_assert_eq!(is_organisation_name_ascii(head), is_organisation_name(head));
            }
        }

        #[test]
        fn organisations_are_those_of_the_general_path(
            source in prop_oneof![SOURCE_LIKE, NAME_LIKE],
        ) {
            let want = is_organisation_general(&source);
            prop_assert_eq!(is_organisation(&source), want);
            let chars: Vec<char> = source.chars().collect();
            prop_assert_eq!(is_organisation_chars(&chars), want);
        }
    }

    #[test]
    fn organisation_words_head_ascii_names() {
        for (name, want) in [
            ("Fox News", true),
            ("University of Chicago", true),
            ("the Foreign Ministry", true),
            ("CNN", true),
            ("C", false),
            ("Senate Majority Leader Mitch McConnell", false),
            ("of News", true),
            ("news", false),
            ("Ministry of Foreign Affairs", true),
            ("John Kerry", false),
            ("", false),
        ] {
            assert_eq!(is_organisation_name_ascii(name), want, "{name}");
            assert_eq!(is_organisation_name(name), want, "{name}");
        }
    }

    #[test]
    fn people_reduce_to_their_head() {
        assert_eq!(entity_key("John Kerry"), "kerry");
        assert_eq!(entity_key("Kerry"), "kerry");
        assert_eq!(entity_key("U.S. Secretary of State John Kerry"), "kerry");
        assert_eq!(entity_key("Lavrov, Russia's foreign minister,"), "lavrov");
        assert_eq!(entity_key("Sen. Ted Cruz (R-Texas)"), "cruz");
        assert_eq!(entity_key("Mr. Sanders’s"), "sanders");
    }

    #[test]
    fn agencies_share_one_key() {
        assert_eq!(entity_key("AP"), entity_key("The Associated Press"));
        assert_eq!(entity_key("Associated Press"), "ap");
        assert_eq!(entity_key("the Associated Press"), "ap");
        assert_eq!(entity_key("Agence France-Presse"), entity_key("AFP"));
        assert_eq!(entity_key("The Washington Post"), "washington post");
        assert_eq!(entity_key("Arab News"), "arab news");
    }

    #[test]
    fn organisations_keep_their_full_name() {
        assert_eq!(entity_key("the Foreign Ministry"), "foreign ministry");
        assert!(is_organisation("The Washington Post"));
        assert!(is_organisation("AP"));
        assert!(is_organisation("Arab News"));
        assert!(!is_organisation("John Kerry"));
        assert!(!is_organisation("officials"));
    }

    #[test]
    fn lower_case_sources_reduce_to_their_last_word() {
        assert_eq!(entity_key("officials"), "officials");
        assert_eq!(entity_key("the former spokeswoman"), "spokeswoman");
        assert_eq!(entity_key("He"), "he");
        assert_eq!(entity_key(""), "");
    }
}
