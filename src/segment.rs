//! Segment: splits a document's text into sentences with character offsets.
//!
//! Placeholder splitter: breaks at line ends and at `. ` only. The news-aware
//! segmenter replaces it.

/// One sentence of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence text, exactly as in the input (a slice of it).
    pub text: String,
    /// Start offset in Unicode scalar values (chars) into the document text.
    pub start: usize,
    /// End offset in chars, exclusive.
    pub end: usize,
    /// Start offset in bytes into the document text.
    pub byte_start: usize,
    /// End offset in bytes, exclusive.
    pub byte_end: usize,
    /// 0-based paragraph index (paragraphs are separated by line breaks).
    pub paragraph: usize,
}

/// Splits `text` into sentences.
pub fn segment(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut start = offset;
        let mut had = false;
        for (i, _) in line.match_indices(". ") {
            push(text, start, offset + i + 1, paragraph, &mut out);
            start = offset + i + 2;
            had = true;
        }
        let end = offset + line.trim_end().len();
        if end > start {
            push(text, start, end, paragraph, &mut out);
            had = true;
        }
        if had {
            paragraph += 1;
        }
        offset += line.len();
    }
    out
}

/// Builds sentences from byte ranges given by the input.
pub fn from_ranges(text: &str, ranges: &[(usize, usize)]) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(ranges.len());
    for (i, &(s, e)) in ranges.iter().enumerate() {
        push(text, s, e, i, &mut out);
    }
    out
}

fn push(text: &str, byte_start: usize, byte_end: usize, paragraph: usize, out: &mut Vec<Sentence>) {
    let slice = &text[byte_start..byte_end];
    let lead = slice.len() - slice.trim_start().len();
    let byte_start = byte_start + lead;
    let slice = slice.trim();
    let byte_end = byte_start + slice.len();
    if slice.is_empty() {
        return;
    }
    let start = text[..byte_start].chars().count();
    out.push(Sentence {
        text: slice.to_string(),
        start,
        end: start + slice.chars().count(),
        byte_start,
        byte_end,
        paragraph,
    });
}
