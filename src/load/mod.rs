//! Load: turns files, directories and standard input into [`Document`]s, one per version
//! of a story. Every document has a stable id, a source name, optional metadata and its
//! text; nothing here splits sentences except that a JSON document may carry its own
//! `sentences`, which are kept exactly as given.
//!
//! Rules a user can rely on:
//! - The format comes from the extension (`.txt`/none, `.md`/`.markdown`, `.json`,
//!   `.jsonl`/`.ndjson`, `.html`/`.htm`, `.csv`, `.tsv`); standard input (`-`) is
//!   sniffed. Saved pages yield their article (see `html`); CSV and TSV give one version
//!   a row (see `csv`).
//! - Limits keep time and memory bounded: a file is at most [`MAX_INPUT_BYTES`], a
//!   paragraph at most [`MAX_PARAGRAPH_BYTES`], a comparison at most [`MAX_VERSIONS`]
//!   versions. Devices and sockets are refused; named pipes are read.
//! - Bytes must be UTF-8 text: a NUL byte means a binary file; a bad byte is reported
//!   with its line. A leading byte-order mark is dropped. Text is otherwise kept as is,
//!   so every offset refers to what the user has.
//! - An input with no text (empty or whitespace only) is an error.
//! - **Label line.** Some collections end each article with a lone outlet label (the
//!   last line is just `orient`). When the last non-empty line of a plain-text or
//!   Markdown body is one token of at most 30 characters (letters, digits, `_`, `-`, `.`
//!   inside), with no sentence punctuation at its end, and at least one other non-empty
//!   line precedes it, it is removed from the text and kept as `meta.label`. Wire end
//!   marks such as `-30-` or `(END)` do not match (they start or end with punctuation).
//! - Ids: metadata `id`, else the file stem (for arrays and JSONL, the stem plus `-N`).
//!   Sources: metadata `source`, else `outlet`, else the id (then `inferred_source`).

mod csv;
mod html;
mod json;
mod markdown;

pub use csv::Columns;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

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
    /// joined by `\n`; for Markdown, the text without markup.
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
    /// True when the input named no source, so `source` fell back to the id; a wire
    /// dateline's agency may then stand in for it.
    pub inferred_source: bool,
    /// Any other string-valued metadata, sorted by key.
    pub extra: BTreeMap<String, String>,
}

impl Metadata {
    /// The named fields that are set, as (key, value), in report order: `title`, `date`,
    /// `url`, `role`, `label`.
    pub fn named(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("title", &self.title),
            ("date", &self.date),
            ("url", &self.url),
            ("role", &self.role),
            ("label", &self.label),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
    }
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, a paragraph per line.
    Text,
    /// Markdown with optional front matter.
    Markdown,
    /// One JSON object or an array of objects.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A saved web page; the article is extracted.
    Html,
    /// Comma-separated values with a header row, one version per row.
    Csv,
    /// Tab-separated values with a header row, one version per row.
    Tsv,
}

/// How to read inputs beyond what their format says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Column names for CSV and TSV input.
    pub columns: Columns,
    /// Keep only versions whose story key (`story` metadata or the story column) is this.
    pub story: Option<String>,
}

/// Largest input file read, in bytes.
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;
/// Longest paragraph (line of document text) accepted, in bytes.
pub const MAX_PARAGRAPH_BYTES: usize = 1024 * 1024;
/// Most versions compared at once.
pub const MAX_VERSIONS: usize = 1000;

impl Format {
    /// The format a path's extension names; `None` for an unsupported extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = match path.extension() {
            None => return Some(Format::Text),
            Some(e) => e.to_string_lossy().to_ascii_lowercase(),
        };
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            _ => None,
        }
    }

    /// Guesses the format of standard input from its first characters.
    pub fn sniff(text: &str) -> Format {
        let t = text.trim_start();
        let head: String = t.chars().take(15).collect::<String>().to_ascii_lowercase();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            return Format::Html;
        }
        if t.starts_with('[') {
            return Format::Json;
        }
        if t.starts_with('{') {
            let lines = t.lines().filter(|l| !l.trim().is_empty()).count();
            let objects = t
                .lines()
                .filter(|l| l.trim_start().starts_with('{') && l.trim_end().ends_with('}'))
                .count();
            return if lines > 1 && objects == lines {
                Format::Jsonl
            } else {
                Format::Json
            };
        }
        if t.starts_with("---") {
            return Format::Markdown;
        }
        Format::Text
    }
}

/// Loads one input held in memory. `origin` names it in errors; `stem` is the default id.
pub fn load_bytes(origin: &str, stem: &str, bytes: &[u8], format: Format) -> Result<Vec<Document>> {
    load_bytes_with(origin, stem, bytes, format, &LoadOptions::default())
}

/// [`load_bytes`] with options (CSV columns; the story filter is applied by
/// [`load_versions_with`]).
pub fn load_bytes_with(
    origin: &str,
    stem: &str,
    bytes: &[u8],
    format: Format,
    opts: &LoadOptions,
) -> Result<Vec<Document>> {
    load_text(origin, stem, decode(origin, bytes)?, format, opts)
}

/// [`load_bytes`] for input already known to be UTF-8 text, such as a line that
/// [`std::io::BufRead::read_line`] read: the same checks and the same documents, without
/// validating the UTF-8 a second time.
pub fn load_str(origin: &str, stem: &str, text: &str, format: Format) -> Result<Vec<Document>> {
    let opts = LoadOptions::default();
    if matches!(format, Format::Json | Format::Jsonl) {
        // JSON has no place for a raw NUL byte (not between tokens, not inside a string),
        // so JSON text that loads holds none: the search for one, a pass over every
        // byte, runs only when loading fails, to name a binary file as such.
        return strip_bom(origin, text)
            .and_then(|t| load_text(origin, stem, t, format, &opts))
            .or_else(|e| {
                refuse_nul(origin, text.as_bytes())?;
                Err(e)
            });
    }
    load_text(origin, stem, check_text(origin, text)?, format, &opts)
}

/// Loads decoded text (see [`decode`]) in `format`.
fn load_text(
    origin: &str,
    stem: &str,
    text: &str,
    format: Format,
    opts: &LoadOptions,
) -> Result<Vec<Document>> {
    let docs = match format {
        Format::Text => vec![plain_document(origin, stem, text)?],
        Format::Markdown => vec![markdown::document(origin, stem, text)?],
        Format::Json => json::documents(origin, stem, text)?,
        Format::Jsonl => json::lines(origin, stem, text)?,
        Format::Html => vec![html::document(origin, stem, text)?],
        Format::Csv => csv::documents(origin, stem, text, b',', &opts.columns)?,
        Format::Tsv => csv::documents(origin, stem, text, b'\t', &opts.columns)?,
    };
    for d in &docs {
        check_paragraphs(d, format == Format::Text)?;
    }
    Ok(docs)
}

/// Refuses a paragraph so long it cannot be article text (a minified blob, a binary dump
/// decoded as text), which would otherwise cost time and memory out of all proportion.
fn check_paragraphs(doc: &Document, lines_are_file_lines: bool) -> Result<()> {
    if doc.text.len() <= MAX_PARAGRAPH_BYTES {
        return Ok(());
    }
    for (n, line) in doc.text.split('\n').enumerate() {
        if line.len() > MAX_PARAGRAPH_BYTES {
            let message = format!(
                "a paragraph of {} bytes; the limit is {} (is this article text?)",
                line.len(),
                MAX_PARAGRAPH_BYTES
            );
            return Err(if lines_are_file_lines {
                Error::at(&doc.origin, n + 1, None, message)
            } else {
                Error::new(&doc.origin, message)
            });
        }
    }
    Ok(())
}

/// Loads a file, a directory (its supported files, sorted, not recursive, hidden files
/// skipped) or `-` for standard input.
pub fn load_path(path: &Path) -> Result<Vec<Document>> {
    load_path_with(path, &LoadOptions::default())
}

/// [`load_path`] with options.
pub fn load_path_with(path: &Path, opts: &LoadOptions) -> Result<Vec<Document>> {
    let shown = path.display().to_string();
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::new("-", format!("cannot read standard input: {e}")))?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(too_big("-"));
        }
        let format = Format::sniff(&String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]));
        return load_bytes_with("-", "stdin", &bytes, format, opts);
    }
    let meta = std::fs::metadata(path).map_err(|e| Error::new(&shown, io_message(&e)))?;
    if meta.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::new(&shown, io_message(&e)))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                let hidden = p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                !hidden && p.is_file() && p.extension().is_some() && Format::from_path(p).is_some()
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(Error::new(
                &shown,
                format!("directory has no supported files ({SUPPORTED})"),
            ));
        }
        if files.len() > MAX_VERSIONS {
            return Err(Error::new(
                &shown,
                format!(
                    "directory has {} input files; claimdiff compares at most {MAX_VERSIONS} versions at once (use `claimdiff batch` for many stories)",
                    files.len()
                ),
            ));
        }
        let mut out = Vec::new();
        for f in files {
            out.extend(load_file(&f, opts)?);
        }
        return Ok(out);
    }
    load_file(path, opts)
}

const SUPPORTED: &str = ".txt, .md, .json, .jsonl, .html, .csv, .tsv";

fn too_big(origin: &str) -> Error {
    Error::new(
        origin,
        format!(
            "input is larger than {} MB; split it into smaller files",
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
    )
}

fn load_file(path: &Path, opts: &LoadOptions) -> Result<Vec<Document>> {
    let shown = path.display().to_string();
    let format = Format::from_path(path)
        .ok_or_else(|| Error::new(&shown, format!("unsupported file type (use {SUPPORTED})")))?;
    let meta = std::fs::metadata(path).map_err(|e| Error::new(&shown, io_message(&e)))?;
    // Devices and sockets never end (`/dev/zero`) or block; named pipes are how shells
    // pass `<(command)`, so they are read, with the size cap below.
    if !(meta.is_file() || is_fifo(&meta)) {
        return Err(Error::new(&shown, "not a regular file"));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_big(&shown));
    }
    // Room for the whole file at once (and the byte that tells it grew past the cap):
    // read through `take`, `read_to_end` cannot see the file's size and would double its
    // buffer some twenty times for a large input, copying it each time.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::new(&shown, io_message(&e)))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_big(&shown));
    }
    let stem = path
        .file_stem()
        .map_or_else(|| shown.clone(), |s| s.to_string_lossy().into_owned());
    if format == Format::Text {
        return plain_file(&shown, &stem, bytes, opts);
    }
    load_bytes_with(&shown, &stem, &bytes, format, opts)
}

/// [`load_bytes_with`] of plain text read into `bytes`: the same document or the same
/// error. The document's text is the buffer itself (cut before a label line) instead of
/// a copy of it, and the search for a NUL byte and for an overlong paragraph read it
/// together, a piece at a time: a long input is not read once per check and once more
/// to be copied. Anything they refuse is left to [`load_bytes_with`] to report.
fn plain_file(
    origin: &str,
    stem: &str,
    bytes: Vec<u8>,
    opts: &LoadOptions,
) -> Result<Vec<Document>> {
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        // Not UTF-8 (a UTF-16 byte-order mark is not either).
        Err(e) => return load_bytes_with(origin, stem, e.as_bytes(), Format::Text, opts),
    };
    if !nul_free_short_lines(text.as_bytes()) {
        return load_bytes_with(origin, stem, text.as_bytes(), Format::Text, opts);
    }
    let body = strip_bom(origin, &text)?;
    let (kept, label) = split_label(body);
    // Both cuts keep a prefix: the byte-order mark's and the label line's.
    let start = text.len() - body.len();
    let end = start + kept.len();
    let text = if start == 0 {
        text.truncate(end);
        text
    } else {
        text[start..end].to_string()
    };
    // No line of the file is overlong, so no line of its text is either: the checks
    // `load_text` makes are made.
    Ok(vec![labelled_document(origin, stem, text, label)])
}

/// Whether `bytes` hold no NUL byte and no line (split at `\n`) longer than
/// [`MAX_PARAGRAPH_BYTES`]: read in pieces that stay in cache for both searches.
fn nul_free_short_lines(bytes: &[u8]) -> bool {
    // Shorter than a long line may be: a piece holds at most the ends of two.
    const PIECE: usize = 64 * 1024;
    // Where the line being read starts.
    let mut line = 0;
    for (k, piece) in bytes.chunks(PIECE).enumerate() {
        if piece.contains(&0) {
            return false;
        }
        let at = k * PIECE;
        match memchr::memchr(b'\n', piece) {
            Some(first) => {
                if at + first - line > MAX_PARAGRAPH_BYTES {
                    return false;
                }
                let last = memchr::memrchr(b'\n', piece).expect("a line break is there");
                line = at + last + 1;
            }
            None => {
                if at + piece.len() - line > MAX_PARAGRAPH_BYTES {
                    return false;
                }
            }
        }
    }
    bytes.len() - line <= MAX_PARAGRAPH_BYTES
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_meta: &std::fs::Metadata) -> bool {
    false
}

/// Loads every input and checks there are at least two versions with distinct ids.
pub fn load_versions(inputs: &[PathBuf]) -> Result<Vec<Document>> {
    load_versions_with(inputs, &LoadOptions::default())
}

/// [`load_versions`] with options. Versions must belong to one story: when their story
/// keys (`story` metadata or the CSV story column) name several, `opts.story` picks one.
pub fn load_versions_with(inputs: &[PathBuf], opts: &LoadOptions) -> Result<Vec<Document>> {
    let mut docs = Vec::new();
    for input in inputs {
        docs.extend(load_path_with(input, opts)?);
    }
    let first_origin = || {
        inputs
            .first()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    let mut stories: Vec<&str> = Vec::new();
    for d in &docs {
        if let Some(k) = d.meta.extra.get("story")
            && !stories.contains(&k.as_str())
        {
            stories.push(k);
        }
    }
    if let Some(key) = &opts.story {
        if !stories.contains(&key.as_str()) {
            return Err(Error::new(
                first_origin(),
                format!(
                    "no version belongs to story {key:?} (stories: {})",
                    list(&stories)
                ),
            ));
        }
        docs.retain(|d| d.meta.extra.get("story") == Some(key));
    } else if stories.len() > 1 {
        return Err(Error::new(
            first_origin(),
            format!(
                "the inputs hold {} stories ({}); pick one with --story KEY, or compare them all with `claimdiff batch`",
                stories.len(),
                list(&stories)
            ),
        ));
    }
    if docs.len() > MAX_VERSIONS {
        return Err(Error::new(
            first_origin(),
            format!(
                "{} versions; claimdiff compares at most {MAX_VERSIONS} at once",
                docs.len()
            ),
        ));
    }
    if docs.len() < 2 {
        let origin = docs.first().map_or_else(first_origin, |d| d.origin.clone());
        return Err(Error::new(
            origin,
            "only one version given; claimdiff compares two or more",
        ));
    }
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for d in &docs {
        if let Some(first) = seen.insert(&d.id, &d.origin) {
            return Err(Error::new(
                &d.origin,
                format!(
                    "duplicate version id {:?} (also used by {first}); give one an `id` in its metadata",
                    d.id
                ),
            ));
        }
    }
    Ok(docs)
}

/// The first few items of a list, for messages.
fn list(items: &[&str]) -> String {
    let mut s = items.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    if items.len() > 5 {
        s.push_str(", ...");
    }
    s
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        // ELOOP has no stable ErrorKind yet.
        _ if e.raw_os_error() == Some(40) && cfg!(target_os = "linux") => {
            "symbolic link loop".to_string()
        }
        _ => format!("cannot read: {e}"),
    }
}

/// Checks that bytes are UTF-8 text and returns it without a leading byte-order mark.
fn decode<'a>(origin: &str, bytes: &'a [u8]) -> Result<&'a str> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::new(
            origin,
            "UTF-16 text is not supported; convert it to UTF-8",
        ));
    }
    refuse_nul(origin, bytes)?;
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let pos = e.valid_up_to();
        Error::at(
            origin,
            line_of(bytes, pos),
            None,
            format!("invalid UTF-8 at byte {pos}; expected UTF-8 text"),
        )
    })?;
    strip_bom(origin, text)
}

/// [`decode`] for text already known to be UTF-8: the checks that remain (no NUL byte,
/// not empty) and the byte-order mark dropped. A UTF-16 byte-order mark is not UTF-8, so
/// a `str` cannot start with one.
fn check_text<'a>(origin: &str, text: &'a str) -> Result<&'a str> {
    refuse_nul(origin, text.as_bytes())?;
    strip_bom(origin, text)
}

/// A NUL byte means a binary file: an error naming its line.
fn refuse_nul(origin: &str, bytes: &[u8]) -> Result<()> {
    // `contains` on bytes runs a word-at-a-time search; the position only on failure.
    if bytes.contains(&0) {
        let pos = bytes
            .iter()
            .position(|&b| b == 0)
            .expect("a NUL byte is there");
        return Err(Error::at(
            origin,
            line_of(bytes, pos),
            None,
            "binary file (NUL byte); expected UTF-8 text",
        ));
    }
    Ok(())
}

/// The last step of [`decode`]: drops a leading byte-order mark and refuses empty text.
fn strip_bom<'a>(origin: &str, text: &'a str) -> Result<&'a str> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::new(origin, "empty input: no text to compare"));
    }
    Ok(text)
}

fn line_of(bytes: &[u8], pos: usize) -> usize {
    bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1
}

fn plain_document(origin: &str, stem: &str, text: &str) -> Result<Document> {
    let (text, label) = split_label(text);
    Ok(labelled_document(origin, stem, text.to_string(), label))
}

/// A plain-text document: `text` (its label line, if any, already split off as `label`),
/// named after its file's stem, its source to be inferred.
fn labelled_document(origin: &str, stem: &str, text: String, label: Option<String>) -> Document {
    Document {
        id: stem.to_string(),
        source: stem.to_string(),
        origin: origin.to_string(),
        meta: Metadata {
            label,
            inferred_source: true,
            ..Metadata::default()
        },
        text,
        given_sentences: None,
    }
}

/// Splits off a trailing label line (see the module docs) and returns the rest.
pub(crate) fn split_label(text: &str) -> (&str, Option<String>) {
    let trimmed = text.trim_end();
    let Some(nl) = trimmed.rfind('\n') else {
        return (text, None);
    };
    let last = trimmed[nl + 1..].trim();
    let before = &trimmed[..nl];
    if before.trim().is_empty() || !is_label(last) {
        return (text, None);
    }
    (&text[..nl + 1], Some(last.to_string()))
}

fn is_label(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    !chars.is_empty()
        && chars.len() <= 30
        && chars[0].is_alphanumeric()
        && chars[chars.len() - 1].is_alphanumeric()
        && chars
            .iter()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`plain_file`] against [`load_bytes_with`], errors by their messages.
    fn same_as_loading_bytes(bytes: &[u8]) -> std::result::Result<(), String> {
        let opts = LoadOptions::default();
        let got = plain_file("f.txt", "f", bytes.to_vec(), &opts).map_err(|e| e.to_string());
        let want =
            load_bytes_with("f.txt", "f", bytes, Format::Text, &opts).map_err(|e| e.to_string());
        if got == want {
            Ok(())
        } else {
            Err(format!("{got:?} != {want:?}"))
        }
    }

    #[test]
    fn a_plain_file_loads_as_its_bytes_do_at_the_limits() {
        let max = MAX_PARAGRAPH_BYTES;
        let line = |n: usize| "a".repeat(n);
        let cases: Vec<Vec<u8>> = vec![
            line(max).into_bytes(),
            line(max + 1).into_bytes(),
            format!("Title\n{}\nEnd.\n", line(max)).into_bytes(),
            format!("Title\n{}\nEnd.\n", line(max + 1)).into_bytes(),
            format!("Title\r\n{}\r\nEnd.", line(max)).into_bytes(),
            format!("\u{feff}{}\nEnd.\nlabel-1", line(max - 3)).into_bytes(),
            format!("{}\n{}\nsome_label", line(65_535), line(max)).into_bytes(),
            format!("{}\n{}", line(3 * 65_536 + 7), line(max + 1)).into_bytes(),
            // A NUL byte past an overlong line is reported first, as before.
            format!("{}\nok\n\0", line(max + 1)).into_bytes(),
            format!("{}\0\n", line(max + 1)).into_bytes(),
            [line(2 * max).as_bytes(), b"\xff"].concat(),
        ];
        for bytes in cases {
            assert_eq!(
                same_as_loading_bytes(&bytes),
                Ok(()),
                "{} bytes",
                bytes.len()
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn a_plain_file_loads_as_its_bytes_do(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    &b"The talks stalled."[..], b" ", b"\n", b"\r\n", b"\n\n", b"\0",
                    b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xc3", b"\xa9", b"label-2",
                    b"AP", b"\t", "\u{e9}t\u{e9}".as_bytes(),
                ]),
                0..12,
            )
        ) {
            let bytes = parts.concat();
            proptest::prop_assert_eq!(same_as_loading_bytes(&bytes), Ok(()));
        }
    }

    #[test]
    fn label_line_becomes_metadata() {
        let docs = load_bytes(
            "x.txt",
            "x",
            "First sentence.\nSecond one.\norient\n".as_bytes(),
            Format::Text,
        )
        .unwrap();
        assert_eq!(docs[0].meta.label.as_deref(), Some("orient"));
        assert_eq!(docs[0].text, "First sentence.\nSecond one.\n");
    }

    #[test]
    fn end_marks_and_sentences_are_not_labels() {
        for text in [
            "Story.\n-30-\n",
            "Story.\nIt ended.\n",
            "Story.\n(END)\n",
            "Only\n",
        ] {
            let (_, label) = split_label(text);
            assert_eq!(label, None, "{text:?}");
        }
    }

    #[test]
    fn bom_is_dropped_and_text_kept() {
        let docs = load_bytes(
            "a.txt",
            "a",
            "\u{FEFF}Hello there.\r\nBye.".as_bytes(),
            Format::Text,
        )
        .unwrap();
        assert_eq!(docs[0].text, "Hello there.\r\nBye.");
    }

    #[test]
    fn bad_bytes_are_errors_with_lines() {
        let e = load_bytes("a.txt", "a", b"ok\nbad \xff here", Format::Text).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.txt:2: invalid UTF-8 at byte 7; expected UTF-8 text"
        );
        let e = load_bytes("a.txt", "a", b"ok\0", Format::Text).unwrap_err();
        assert!(e.to_string().contains("binary file"), "{e}");
        let e = load_bytes("a.txt", "a", b" \n\t", Format::Text).unwrap_err();
        assert!(e.to_string().contains("empty input"), "{e}");
        let e = load_bytes("a.txt", "a", b"\xff\xfeh\0i\0", Format::Text).unwrap_err();
        assert!(e.to_string().contains("UTF-16"), "{e}");
    }

    /// What [`load_str`] gives, from the checks in the order [`decode`] makes them.
    fn load_str_in_order(origin: &str, text: &str, format: Format) -> Result<Vec<Document>> {
        let text = check_text(origin, text)?;
        load_text(origin, "s", text, format, &LoadOptions::default())
    }

    proptest::proptest! {
        #[test]
        fn json_loads_as_if_nul_bytes_were_looked_for_first(
            base in proptest::sample::select(vec![
                r#"{"story": "s", "id": "a", "text": "One. Two.", "n": 5}"#,
                r#"{"sentences": ["A.", "B."], "title": null}"#,
                r#"[{"text": "A."}, {"body": "B.\nC."}]"#,
                r#"{"text": 5}"#,
                "\u{FEFF} {\"content\": \"x\"}\n{\"text\": \"y\"} ",
            ]),
            edits in proptest::collection::vec(
                (0usize..64, proptest::sample::select(vec!["\0", "\0", "\u{FEFF}", " ", "\"", "\n", "}", "x"])),
                0..3,
            ),
            json_lines in proptest::bool::ANY,
        ) {
            let mut text = base.to_string();
            for (at, insert) in edits {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, insert);
            }
            let format = if json_lines { Format::Jsonl } else { Format::Json };
            proptest::prop_assert_eq!(
                load_str("x", "s", &text, format),
                load_str_in_order("x", &text, format)
            );
        }
    }

    #[test]
    fn formats_from_extensions_and_sniffing() {
        assert_eq!(Format::from_path(Path::new("a.md")), Some(Format::Markdown));
        assert_eq!(
            Format::from_path(Path::new("a.NDJSON")),
            Some(Format::Jsonl)
        );
        assert_eq!(Format::from_path(Path::new("README")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("a.png")), None);
        assert_eq!(
            Format::sniff("  {\"text\": \"a\"}\n{\"text\": \"b\"}\n"),
            Format::Jsonl
        );
        assert_eq!(Format::sniff("{\n \"text\": \"a\"\n}"), Format::Json);
        assert_eq!(Format::sniff("---\ntitle: x\n---\nBody"), Format::Markdown);
        assert_eq!(Format::sniff("Plain words."), Format::Text);
    }

    #[test]
    fn directory_loads_supported_files_in_order() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("b.txt"), "Bee.").unwrap();
        std::fs::write(d.path().join("a.md"), "Ay.").unwrap();
        std::fs::write(d.path().join("c.png"), "no").unwrap();
        std::fs::write(d.path().join(".hidden.txt"), "no").unwrap();
        let ids: Vec<String> = load_path(d.path())
            .unwrap()
            .into_iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(ids, vec!["a", "b"]);
    }

    #[test]
    fn versions_need_two_and_distinct_ids() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a.txt");
        std::fs::write(&a, "One.").unwrap();
        let e = load_versions(std::slice::from_ref(&a)).unwrap_err();
        assert!(e.to_string().contains("only one version"), "{e}");
        let e = load_versions(&[a.clone(), a]).unwrap_err();
        assert!(e.to_string().contains("duplicate version id \"a\""), "{e}");
    }

    #[test]
    fn missing_path_is_named() {
        let e = load_path(Path::new("/no/such/file.txt")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/no/such/file.txt: no such file or directory"
        );
    }
}
