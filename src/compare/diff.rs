//! Word-level diff between two texts of one claim: runs of kept, deleted and inserted
//! words, as written in each text. Words are compared up to typography, so a curly
//! quote against a straight one is not shown as an edit; case is kept, so a lower-cased
//! title is.

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

/// A word diff: runs in reading order. Deletions come before the insertions that
/// replace them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordDiff {
    /// The runs, each with its text as written (words joined as in the source).
    pub runs: Vec<(DiffOp, String)>,
}

impl WordDiff {
    /// Number of words deleted and inserted.
    pub fn edits(&self) -> usize {
        self.runs
            .iter()
            .filter(|(op, _)| *op != DiffOp::Equal)
            .map(|(_, t)| t.split_whitespace().count())
            .sum()
    }
}

/// Pieces of a text: words and single punctuation marks, each with the text as written.
fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut last = 0;
    for t in normalize::tokens(text) {
        push_marks(&text[last..t.start], &mut out);
        out.push(&text[t.start..t.end]);
        last = t.end;
    }
    push_marks(&text[last..], &mut out);
    out
}

fn push_marks<'a>(gap: &'a str, out: &mut Vec<&'a str>) {
    for (i, c) in gap.char_indices() {
        if !c.is_whitespace() {
            out.push(&gap[i..i + c.len_utf8()]);
        }
    }
}

/// The word diff from `reference` to `other`.
pub fn word_diff(reference: &str, other: &str) -> WordDiff {
    let a = pieces(reference);
    let b = pieces(other);
    let ka: Vec<String> = a.iter().map(|p| normalize::fold_typography(p)).collect();
    let kb: Vec<String> = b.iter().map(|p| normalize::fold_typography(p)).collect();
    let mut runs: Vec<(DiffOp, String)> = Vec::new();
    let mut push = |op: DiffOp, words: &[&str]| {
        if words.is_empty() {
            return;
        }
        let text = join_pieces(words);
        match runs.last_mut() {
            Some((last, t)) if *last == op => {
                t.push(' ');
                t.push_str(&text);
            }
            _ => runs.push((op, text)),
        }
    };
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        let (tag, ra, rb) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(DiffOp::Equal, &a[ra]),
            DiffTag::Delete => push(DiffOp::Delete, &a[ra]),
            DiffTag::Insert => push(DiffOp::Insert, &b[rb]),
            DiffTag::Replace => {
                push(DiffOp::Delete, &a[ra]);
                push(DiffOp::Insert, &b[rb]);
            }
        }
    }
    WordDiff { runs }
}

/// Joins pieces with spaces, except before closing punctuation and after opening marks.
fn join_pieces(words: &[&str]) -> String {
    let mut out = String::new();
    for w in words {
        let closing = w.len() <= 4
            && w.chars().count() == 1
            && w.chars().all(|c| ".,;:!?)]}\u{201D}\u{2019}%".contains(c));
        let after_opening = out.ends_with(['(', '[', '{', '\u{201C}', '\u{2018}', '$']);
        if !out.is_empty() && !closing && !after_opening {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_swap_is_a_delete_and_an_insert() {
        let d = word_diff("They met for 10 hours.", "They met for 12 hours.");
        assert_eq!(
            d.runs,
            vec![
                (DiffOp::Equal, "They met for".into()),
                (DiffOp::Delete, "10".into()),
                (DiffOp::Insert, "12".into()),
                (DiffOp::Equal, "hours.".into()),
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
