//! Load: turns files, directories and standard input into [`Document`]s, one per version
//! of a story. Every document has a stable id, a source name, optional metadata and its
//! text; nothing here splits sentences except that a JSON document may carry its own
//! `sentences`, which are kept exactly as given.

use std::collections::BTreeMap;

/// One version of a story, as loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Stable id: metadata `id`, else the file stem (JSONL: the stem plus the line number).
    pub id: String,
    /// Source name: metadata `source` or `outlet`, else the id.
    pub source: String,
    /// Where the document came from, as errors and reports name it: a path, `-`, or
    /// `path:line` for one line of a JSONL file.
    pub origin: String,
    /// Optional descriptive metadata.
    pub meta: Metadata,
    /// The text every offset refers to. For pre-split input it is the given sentences
    /// joined by `\n`.
    pub text: String,
    /// Sentences given by the input, as byte ranges into `text`, used as given.
    pub given_sentences: Option<Vec<(usize, usize)>>,
}

/// Metadata a document may carry. All fields are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Headline or title.
    pub title: Option<String>,
    /// Publication date as written in the input.
    pub date: Option<String>,
    /// Where the version was published.
    pub url: Option<String>,
    /// Role in the comparison, such as `wire` or `outlet`.
    pub role: Option<String>,
    /// A trailing label line (an outlet tag such as `orient`) removed from the text.
    pub label: Option<String>,
    /// Any other string-valued metadata, sorted by key.
    pub extra: BTreeMap<String, String>,
}
