//! Quotation regions of a whole document, found before any attribution rule runs, so a
//! quote that the sentence splitter cut in pieces is still one region.
//!
//! Best effort, by design:
//! - Curly (`“ ”`, `„`, `« »`), straight (`"`) and doubled straight (`''`) marks are one
//!   family and may be mixed: any opening mark opens, any closing mark closes.
//! - A straight mark opens after a space, the start of the text or opening punctuation,
//!   and closes otherwise.
//! - A region never crosses a line break: a quote left open at the end of a paragraph ends
//!   there (the news convention for a quote running over several paragraphs is to reopen
//!   it at the start of the next one, which starts a new region).
//! - An opening mark inside an open region (an unbalanced or nested quote) ends the open
//!   region just before it and starts a new one.
//! - A closing mark with no open region is ignored.
//! - Single quotes (`‘ ’`, `'`) are apostrophes or nested quotes and never delimit.

/// One quotation, marks included, in char offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Offset of the opening mark.
    pub start: usize,
    /// Offset just past the closing mark, or the paragraph end when left open.
    pub end: usize,
    /// Whether a closing mark ended the region.
    pub closed: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open,
    Close,
    Either,
}

/// The quote mark starting at `i`, with its length in chars.
pub fn mark_at(chars: &[char], i: usize) -> Option<usize> {
    match chars[i] {
        '“' | '”' | '„' | '‟' | '«' | '»' | '"' => Some(1),
        '\'' if chars.get(i + 1) == Some(&'\'') => Some(2),
        _ => None,
    }
}

fn kind(chars: &[char], i: usize) -> Mark {
    match chars[i] {
        '“' | '„' | '‟' | '«' => Mark::Open,
        '”' | '»' => Mark::Close,
        _ => Mark::Either,
    }
}

fn opens_here(chars: &[char], i: usize) -> bool {
    i == 0 || {
        let p = chars[i - 1];
        p.is_whitespace() || "([{—–-/:;".contains(p)
    }
}

/// Whether `c` is a newline or may start a mark (see [`mark_at`]): the only chars
/// [`regions_at`] needs to be shown.
pub fn may_matter(c: char) -> bool {
    let n = u32::from(c);
    // `“ ” „ ‟` are U+201C to U+201F.
    (n == 0x0A)
        | (n == 0x22)
        | (n == 0x27)
        | (n == 0xAB)
        | (n == 0xBB)
        | (n.wrapping_sub(0x201C) < 4)
}

/// Finds the quotation regions of `chars` (the document as chars), in order.
pub fn regions(chars: &[char]) -> Vec<Region> {
    regions_at(chars, (0..chars.len()).filter(|&i| may_matter(chars[i])))
}

/// [`regions`], given the offsets of the chars that [`may_matter`], in order: the chars
/// between them are only read for where a line's text ends.
pub fn regions_at(chars: &[char], matter: impl IntoIterator<Item = usize>) -> Vec<Region> {
    let matter = matter.into_iter();
    // News copy has about one region for every four or five newlines and marks: room
    // for that saves growing the vector a few times.
    let mut out = Vec::with_capacity(matter.size_hint().0 / 4);
    let mut open: Option<usize> = None;
    let mut line_end = 0;
    let mut i = 0;
    // A run of chars that are neither a newline nor a mark ends its line's text after its
    // last char that is not a space.
    let run = |from: usize, to: usize, line_end: &mut usize| {
        if let Some(k) = chars[from..to].iter().rposition(|c| !c.is_whitespace()) {
            *line_end = from + k + 1;
        }
    };
    for p in matter {
        // The second quote of a doubled mark, already passed.
        if p < i {
            continue;
        }
        run(i, p, &mut line_end);
        i = p;
        let c = chars[i];
        if c == '\n' {
            if let Some(s) = open.take() {
                out.push(Region {
                    start: s,
                    end: line_end.max(s + 1),
                    closed: false,
                });
            }
            i += 1;
            continue;
        }
        let Some(len) = mark_at(chars, i) else {
            if !c.is_whitespace() {
                line_end = i + 1;
            }
            i += 1;
            continue;
        };
        let k = kind(chars, i);
        match (open, k) {
            (Some(s), Mark::Open) => {
                out.push(Region {
                    start: s,
                    end: line_end.max(s + 1),
                    closed: false,
                });
                open = Some(i);
            }
            (Some(s), _) => {
                out.push(Region {
                    start: s,
                    end: i + len,
                    closed: true,
                });
                open = None;
            }
            (None, Mark::Open) => open = Some(i),
            (None, Mark::Either) if opens_here(chars, i) => open = Some(i),
            (None, _) => {}
        }
        i += len;
        line_end = i;
    }
    run(i, chars.len(), &mut line_end);
    if let Some(s) = open {
        out.push(Region {
            start: s,
            end: line_end.max(s + 1).min(chars.len()),
            closed: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        regions(&chars)
            .iter()
            .map(|r| chars[r.start..r.end].iter().collect())
            .collect()
    }

    #[test]
    fn curly_straight_and_doubled_marks() {
        assert_eq!(texts("He said “yes,” then \"no\"."), ["“yes,”", "\"no\""]);
        assert_eq!(texts("''I was shocked,'' he said."), ["''I was shocked,''"]);
        assert_eq!(texts("“Mixed marks\" here"), ["“Mixed marks\""]);
    }

    #[test]
    fn unbalanced_quote_ends_at_the_paragraph() {
        assert_eq!(
            texts("“First paragraph runs on.\n\n“Second closes.”"),
            ["“First paragraph runs on.", "“Second closes.”"]
        );
        assert_eq!(texts("No open” mark"), Vec::<String>::new());
        assert_eq!(texts("“Open at the end"), ["“Open at the end"]);
    }

    proptest::proptest! {
        #[test]
        fn regions_are_sorted_and_disjoint(text in "(\\PC|[“”„‟«»\"' \n]|''){0,80}") {
            let chars: Vec<char> = text.chars().collect();
            let found = regions(&chars);
            for r in &found {
                proptest::prop_assert!(r.start < r.end && r.end <= chars.len());
            }
            for w in found.windows(2) {
                proptest::prop_assert!(w[0].end <= w[1].start);
            }
        }
    }

    #[test]
    fn chars_that_matter_are_newlines_and_mark_starts() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let want = c == '\n' || mark_at(&[c, '\''], 0).is_some();
            assert_eq!(may_matter(c), want, "{c:?}");
        }
    }

    #[test]
    fn single_quotes_do_not_delimit() {
        assert_eq!(
            texts("“He said, ‘Trust me,’ and left,” she said."),
            ["“He said, ‘Trust me,’ and left,”"]
        );
        assert_eq!(texts("Russia's and the Jones' view"), Vec::<String>::new());
    }
}
