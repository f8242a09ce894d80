//! Source normalisation: one key per speaker or organisation, so that `John Kerry`,
//! `Kerry` and `U.S. Secretary of State John Kerry` compare equal, and `AP`, `The
//! Associated Press` and `Associated Press` do too.
//!
//! People reduce to their head: the last capitalised name token once titles, roles and
//! appositions are gone. Organisations keep their full name, lower case, without a
//! leading `the`; news agencies and a few outlets go through an alias table first.
//! Lower-case sources (`officials`, `the spokeswoman`) reduce to their last word.

use crate::normalize::fold_typography;

use super::lexicon::TITLES;

/// Words that make a name an organisation rather than a person.
#[rustfmt::skip]
const ORG_WORDS: &[&str] = &[
    "news", "post", "times", "press", "agency", "journal", "network", "tribune", "herald",
    "telegraph", "guardian", "gazette", "daily", "weekly", "magazine", "radio",
    "television", "tv", "channel", "media", "wire", "reuters", "ministry", "department",
    "committee", "council", "office", "commission", "university", "institute", "foundation",
    "association", "corporation", "corp", "inc", "company", "bank", "court", "congress",
    "senate", "parliament", "government", "administration", "campaign", "organization",
    "organisation", "union", "service", "bureau", "center", "centre", "group", "party",
    "police", "army", "military", "pentagon", "kremlin", "fund", "board", "authority",
    "agency", "poll", "survey", "report", "study", "statement",
];

fn strip_the(s: &str) -> &str {
    s.strip_prefix("the ").unwrap_or(s)
}

/// The comparison key for a source string (see the module docs).
pub fn entity_key(source_text: &str) -> String {
    let folded = fold_typography(source_text);
    // An apposition or relative clause after the name is not part of the key.
    let head = folded
        .split([',', '(', ';'])
        .next()
        .unwrap_or("")
        .split(" who ")
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric());
    let lower = head.to_lowercase();
    let lower = lower
        .strip_suffix("'s")
        .unwrap_or(&lower)
        .trim_end_matches('\'')
        .to_string();
    let bare = strip_the(&lower);
    // Agencies and outlets share one alias table with version matching.
    if crate::source::is_known(bare) {
        return crate::source::canonical(bare);
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

/// Whether a source names an organisation (agency, outlet, institution) rather than a
/// person, by the alias table and by words such as `News`, `Post`, `Ministry`.
pub fn is_organisation(source_text: &str) -> bool {
    let folded = fold_typography(source_text).to_lowercase();
    let bare = strip_the(folded.trim());
    crate::source::is_known(bare) || is_organisation_name(&folded)
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
            && ORG_WORDS.contains(&lw.trim_matches(|c: char| !c.is_alphanumeric()))
    };
    let head = match words.iter().position(|w| *w == "of") {
        Some(i) if i > 0 => words.get(i - 1),
        _ => words.last(),
    };
    capitalised > 0 && head.is_some_and(is_org_word)
}

#[cfg(test)]
mod tests {
    use super::*;

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
