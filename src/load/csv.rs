//! CSV and TSV dataset dumps: a header row, then one version per row.
//!
//! Columns are found by name. The text column is the one `--text-column` names, else the
//! first of `text`, `content`, `article_content`, `body`, `article`; the source column
//! `--source-column`, else `source`, `outlet`, `publisher`, `site_name`, `media`; the id
//! column `--id-column`, else `id`, `article_id`, `doc_id`; the story column
//! `--story-column`, else `story`, `story_id`. Header names match case-insensitively.
//! `title`/`headline`, `date`, `url` and `role` become metadata; every other non-empty cell
//! is kept as extra metadata under its header name. The story key goes to
//! `meta.extra["story"]`, where JSON input keeps it too.
//!
//! Quoted fields may hold delimiters, quotes (doubled) and line breaks. A row with the
//! wrong number of cells, or an empty text cell, is an error naming its line.

use super::{Document, Metadata};
use crate::error::{Error, Result};

/// Which columns hold what. `None` means: use the first default name present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// The article text.
    pub text: Option<String>,
    /// The outlet or source name.
    pub source: Option<String>,
    /// A stable id per row.
    pub id: Option<String>,
    /// The key grouping rows into stories.
    pub story: Option<String>,
}

const TEXT: [&str; 5] = ["text", "content", "article_content", "body", "article"];
const SOURCE: [&str; 5] = ["source", "outlet", "publisher", "site_name", "media"];
const ID: [&str; 3] = ["id", "article_id", "doc_id"];
const STORY: [&str; 2] = ["story", "story_id"];

/// Reads every row of a CSV (`delimiter` `,`) or TSV (`\t`) text as a document.
pub(super) fn documents(
    origin: &str,
    stem: &str,
    text: &str,
    delimiter: u8,
    columns: &Columns,
) -> Result<Vec<Document>> {
    if let Some(line) = unclosed_quote(text, delimiter) {
        return Err(Error::at(
            origin,
            line,
            None,
            "a quoted cell opened on this line is never closed",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(origin, &e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(Error::at(origin, 1, None, "no header row"));
    }
    let find = |flag: &str, given: &Option<String>, defaults: &[&str]| -> Result<Option<usize>> {
        if let Some(name) = given {
            return headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name))
                .map(Some)
                .ok_or_else(|| {
                    Error::at(
                        origin,
                        1,
                        None,
                        format!(
                            "no column {name:?} (from {flag}); columns: {}",
                            headers.join(", ")
                        ),
                    )
                });
        }
        Ok(defaults
            .iter()
            .find_map(|d| headers.iter().position(|h| h.eq_ignore_ascii_case(d))))
    };
    let text_col = find("--text-column", &columns.text, &TEXT)?.ok_or_else(|| {
        Error::at(
            origin,
            1,
            None,
            format!(
                "no text column (looked for {}); columns: {}; name it with --text-column",
                TEXT.join(", "),
                headers.join(", ")
            ),
        )
    })?;
    let source_col = find("--source-column", &columns.source, &SOURCE)?;
    let id_col = find("--id-column", &columns.id, &ID)?;
    let story_col = find("--story-column", &columns.story, &STORY)?;

    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(origin, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| record.get(i).map(str::trim).filter(|c| !c.is_empty());
        let Some(body) = record.get(text_col).filter(|t| !t.trim().is_empty()) else {
            return Err(Error::at(
                origin,
                line,
                None,
                format!("empty text in column {:?}", headers[text_col]),
            ));
        };
        let id = id_col
            .and_then(cell)
            .map_or_else(|| format!("{stem}-{line}"), str::to_string);
        let source = source_col.and_then(cell).map(str::to_string);
        let mut meta = Metadata {
            inferred_source: source.is_none(),
            ..Metadata::default()
        };
        for (i, h) in headers.iter().enumerate() {
            if [Some(text_col), source_col, id_col].contains(&Some(i)) {
                continue;
            }
            let Some(value) = cell(i) else { continue };
            let value = value.to_string();
            if Some(i) == story_col {
                meta.extra.insert("story".into(), value);
                continue;
            }
            match h.to_ascii_lowercase().as_str() {
                "title" | "headline" => meta.title = Some(value),
                "date" => meta.date = Some(value),
                "url" => meta.url = Some(value),
                "role" => meta.role = Some(value),
                "" => {}
                _ => {
                    meta.extra.insert(h.clone(), value);
                }
            }
        }
        out.push(Document {
            source: source.unwrap_or_else(|| id.clone()),
            id,
            origin: format!("{origin}:{line}"),
            meta,
            text: body.to_string(),
            given_sentences: None,
        });
    }
    if out.is_empty() {
        return Err(Error::new(origin, "no rows after the header"));
    }
    Ok(out)
}

/// The line of a quoted cell still open at the end of the text. The csv crate reads such
/// a cell to the end of the file without complaint, swallowing every row after it.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut line, mut i) = (1, 0);
    let mut field_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if field_start && b == b'"' {
            let opened = line;
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return Some(opened),
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => break,
                    Some(b'\n') => {
                        line += 1;
                        i += 1;
                    }
                    Some(_) => i += 1,
                }
            }
            i += 1;
            field_start = false;
            continue;
        }
        if b == b'\n' {
            line += 1;
        }
        field_start = b == delimiter || b == b'\n';
        i += 1;
    }
    None
}

fn csv_error(origin: &str, e: &csv::Error) -> Error {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("row has {len} cells but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8 in a cell".to_string(),
        _ => format!("malformed CSV: {e}"),
    };
    match line {
        Some(l) => Error::at(origin, l, None, message),
        None => Error::new(origin, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, columns: &Columns) -> Result<Vec<Document>> {
        documents("d.csv", "d", text, b',', columns)
    }

    #[test]
    fn rows_become_documents_with_metadata() {
        let csv = "id,outlet,headline,Article_Content,story,words\n\
                   a1,Gazette,Dam opens,\"The dam opened.\nIt cost $2 million, officials said.\",s1,40\n\
                   a2,,Dam,\"The dam opened on \"\"Monday\"\".\",s1,\n";
        let docs = read(csv, &Columns::default()).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "a1");
        assert_eq!(docs[0].source, "Gazette");
        assert_eq!(docs[0].origin, "d.csv:2");
        assert_eq!(
            docs[0].text,
            "The dam opened.\nIt cost $2 million, officials said."
        );
        assert_eq!(docs[0].meta.title.as_deref(), Some("Dam opens"));
        assert_eq!(docs[0].meta.extra["story"], "s1");
        assert_eq!(docs[0].meta.extra["words"], "40");
        assert_eq!(docs[1].source, "a2");
        assert!(docs[1].meta.inferred_source);
        assert_eq!(docs[1].origin, "d.csv:4");
        assert_eq!(docs[1].text, "The dam opened on \"Monday\".");
    }

    #[test]
    fn named_columns_and_tsv() {
        let tsv = "key\tpaper\tstory_text\nx\tPost\tOne line.\n";
        let cols = Columns {
            text: Some("story_text".into()),
            source: Some("paper".into()),
            id: Some("key".into()),
            story: None,
        };
        let docs = documents("d.tsv", "d", tsv, b'\t', &cols).unwrap();
        assert_eq!(
            (docs[0].id.as_str(), docs[0].source.as_str()),
            ("x", "Post")
        );
    }

    #[test]
    fn errors_name_lines_and_columns() {
        let e = read("title,words\nA,3\n", &Columns::default()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("d.csv:1: no text column (looked for text, content"),
            "{e}"
        );
        let cols = Columns {
            text: Some("body_text".into()),
            ..Columns::default()
        };
        let e = read("text\nA.\n", &cols).unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.csv:1: no column \"body_text\" (from --text-column); columns: text"
        );
        let e = read("text,source\nA.,x\nB.\n", &Columns::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.csv:3: row has 1 cells but the header has 2"
        );
        let e = read("text,source\nA.,x\n ,y\n", &Columns::default()).unwrap_err();
        assert_eq!(e.to_string(), "d.csv:3: empty text in column \"text\"");
        let e = read("id,text\n1,\"It \"\"held\"\".\n2,x\n", &Columns::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.csv:2: a quoted cell opened on this line is never closed"
        );
        let e = read("text\n", &Columns::default()).unwrap_err();
        assert_eq!(e.to_string(), "d.csv: no rows after the header");
    }
}
