//! JSON and JSONL: one version per object. Text comes from `text`, `body`, `content` or
//! `article_content` (the first present), or from `sentences`, an array of strings used exactly as given
//! (joined by `\n` into the document text, one sentence each, index for index).
//! Metadata: `id`, `source`, `outlet`, `title`/`headline`, `date`, `url`, `role`; other
//! top-level strings, numbers and booleans are kept as extra metadata.

use serde_json::{Map, Value};

use super::{Document, Metadata};
use crate::error::{Error, Result};

const TEXT_FIELDS: [&str; 4] = ["text", "body", "content", "article_content"];

/// Reads a JSON file: one object or an array of objects.
pub(super) fn documents(origin: &str, stem: &str, text: &str) -> Result<Vec<Document>> {
    let value: Value = serde_json::from_str(text).map_err(|e| syntax(origin, 0, &e))?;
    match value {
        Value::Object(mut map) => Ok(vec![object(origin, stem, &mut map)?]),
        Value::Array(mut items) => {
            if items.is_empty() {
                return Err(Error::new(origin, "empty JSON array: no versions"));
            }
            items
                .iter_mut()
                .enumerate()
                .map(|(k, item)| match item {
                    Value::Object(map) => {
                        let where_ = format!("{origin}[{k}]");
                        object(&where_, &format!("{stem}-{}", k + 1), map)
                    }
                    _ => Err(Error::new(
                        origin,
                        format!("item {k} of the array is not an object"),
                    )),
                })
                .collect()
        }
        _ => Err(Error::new(
            origin,
            "expected a JSON object or an array of objects",
        )),
    }
}

/// Reads a JSONL file: one object per non-blank line.
pub(super) fn lines(origin: &str, stem: &str, text: &str) -> Result<Vec<Document>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_no = n + 1;
        let value: Value = serde_json::from_str(line).map_err(|e| syntax(origin, n, &e))?;
        let Value::Object(mut map) = value else {
            return Err(Error::at(
                origin,
                line_no,
                None,
                "line is not a JSON object",
            ));
        };
        let where_ = format!("{origin}:{line_no}");
        let doc = object(&where_, &format!("{stem}-{line_no}"), &mut map)
            .map_err(|e| Error::at(origin, line_no, None, e.message))?;
        out.push(doc);
    }
    Ok(out)
}

fn syntax(origin: &str, line_offset: usize, e: &serde_json::Error) -> Error {
    Error::at(
        origin,
        e.line() + line_offset,
        Some(e.column()),
        format!("malformed JSON: {}", strip_position(&e.to_string())),
    )
}

/// serde_json appends " at line L column C"; the location is already in the prefix.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

fn string_field(origin: &str, map: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if key == "id" => Ok(Some(n.to_string())),
        Some(_) => Err(Error::new(
            origin,
            format!("field {key:?} must be a string"),
        )),
    }
}

/// [`string_field`], the string moved out of the map rather than copied (for the text).
fn take_string_field(
    origin: &str,
    map: &mut Map<String, Value>,
    key: &str,
) -> Result<Option<String>> {
    match map.get_mut(key) {
        Some(Value::String(s)) => Ok(Some(std::mem::take(s))),
        _ => string_field(origin, map, key),
    }
}

fn object(origin: &str, default_id: &str, map: &mut Map<String, Value>) -> Result<Document> {
    let mut meta = Metadata {
        title: match string_field(origin, map, "title")? {
            Some(t) => Some(t),
            None => string_field(origin, map, "headline")?,
        },
        date: string_field(origin, map, "date")?,
        url: string_field(origin, map, "url")?,
        role: string_field(origin, map, "role")?,
        ..Metadata::default()
    };
    let id = string_field(origin, map, "id")?.unwrap_or_else(|| default_id.to_string());
    let source = match string_field(origin, map, "source")? {
        Some(s) => Some(s),
        None => string_field(origin, map, "outlet")?,
    };
    meta.inferred_source = source.is_none();
    let source = source.unwrap_or_else(|| id.clone());
    const KNOWN: [&str; 13] = [
        "id",
        "source",
        "outlet",
        "title",
        "headline",
        "date",
        "url",
        "role",
        "text",
        "body",
        "content",
        "article_content",
        "sentences",
    ];
    for (k, v) in map.iter() {
        if KNOWN.contains(&k.as_str()) {
            continue;
        }
        let value = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        meta.extra.insert(k.clone(), value);
    }

    let (text, given) = if let Some(sentences) = map.get("sentences") {
        let Value::Array(items) = sentences else {
            return Err(Error::new(
                origin,
                "field \"sentences\" must be an array of strings",
            ));
        };
        let mut text = String::new();
        let mut ranges = Vec::with_capacity(items.len());
        for (k, item) in items.iter().enumerate() {
            let Value::String(s) = item else {
                return Err(Error::new(
                    origin,
                    format!("sentence {k} in \"sentences\" must be a string"),
                ));
            };
            if s.contains('\n') {
                return Err(Error::new(
                    origin,
                    format!("sentence {k} in \"sentences\" contains a line break"),
                ));
            }
            if k > 0 {
                text.push('\n');
            }
            ranges.push((text.len(), text.len() + s.len()));
            text.push_str(s);
        }
        (text, Some(ranges))
    } else {
        let mut found = None;
        for key in TEXT_FIELDS {
            if let Some(t) = take_string_field(origin, map, key)? {
                found = Some(t);
                break;
            }
        }
        let Some(text) = found else {
            return Err(Error::new(
                origin,
                "no text: expected a \"text\", \"body\", \"content\", \"article_content\" or \"sentences\" field",
            ));
        };
        (text, None)
    };
    if text.trim().is_empty() {
        return Err(Error::new(origin, "empty input: no text to compare"));
    }
    meta.label = None;
    Ok(Document {
        id,
        source,
        origin: origin.to_string(),
        meta,
        text,
        given_sentences: given,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_with_metadata_and_text() {
        let d = documents(
            "r.json",
            "r",
            r#"{"id": "reuters", "source": "Reuters", "role": "wire", "headline": "Vote", "words": 512, "text": "One. Two."}"#,
        )
        .unwrap();
        assert_eq!(d[0].id, "reuters");
        assert_eq!(d[0].source, "Reuters");
        assert_eq!(d[0].meta.title.as_deref(), Some("Vote"));
        assert_eq!(
            d[0].meta.extra.get("words").map(String::as_str),
            Some("512")
        );
        assert_eq!(d[0].text, "One. Two.");
    }

    #[test]
    fn given_sentences_are_kept_index_for_index() {
        let d = documents(
            "c.json",
            "c",
            r#"{"sentences": ["Ça va.", "Dr. No left. Then?"]}"#,
        )
        .unwrap();
        let ranges = d[0].given_sentences.clone().unwrap();
        let got: Vec<&str> = ranges.iter().map(|&(s, e)| &d[0].text[s..e]).collect();
        assert_eq!(got, vec!["Ça va.", "Dr. No left. Then?"]);
        assert_eq!(d[0].id, "c");
    }

    #[test]
    fn array_items_get_numbered_ids() {
        let d = documents(
            "s.json",
            "s",
            r#"[{"body": "A."}, {"content": "B.", "outlet": "X"}]"#,
        )
        .unwrap();
        assert_eq!(d[0].id, "s-1");
        assert_eq!(d[1].id, "s-2");
        assert_eq!(d[1].source, "X");
    }

    #[test]
    fn errors_name_line_column_and_field() {
        let e = documents("b.json", "b", "{\n \"text\": \"x\",\n oops\n}").unwrap_err();
        assert!(
            e.to_string().starts_with("b.json:3:2: malformed JSON"),
            "{e}"
        );
        let e = documents("b.json", "b", r#"{"text": 5}"#).unwrap_err();
        assert_eq!(e.to_string(), "b.json: field \"text\" must be a string");
        let e = documents("b.json", "b", r#"{"title": "no text"}"#).unwrap_err();
        assert!(e.to_string().contains("no text"), "{e}");
        let e = documents("b.json", "b", r#"{"text": "  "}"#).unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
    }

    #[test]
    fn jsonl_errors_carry_the_line() {
        let e = lines("s.jsonl", "s", "{\"text\": \"A.\"}\n\n{\"text\": 3}\n").unwrap_err();
        assert_eq!(e.to_string(), "s.jsonl:3: field \"text\" must be a string");
        let e = lines("s.jsonl", "s", "{\"text\": \"A.\"}\n{bad\n").unwrap_err();
        assert!(
            e.to_string().starts_with("s.jsonl:2:2: malformed JSON"),
            "{e}"
        );
        let ok = lines("s.jsonl", "s", "{\"text\": \"A.\"}\n\n{\"text\": \"B.\"}\n").unwrap();
        assert_eq!(ok[1].id, "s-3");
        assert_eq!(ok[1].origin, "s.jsonl:3");
    }
}
