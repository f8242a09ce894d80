//! JSON and JSONL: one version per object. Text comes from `text`, `body`, `content` or
//! `article_content` (the first present), or from `sentences`, an array of strings used exactly as given
//! (joined by `\n` into the document text, one sentence each, index for index).
//! Metadata: `id`, `source`, `outlet`, `title`/`headline`, `date`, `url`, `role`; other
//! top-level strings, numbers and booleans are kept as extra metadata.
//!
//! A version's object is read field by field into [`Version`] (serde's map access)
//! rather than into a `serde_json::Value`: a line of a corpus is read once, and the
//! `Value` map (a key `String` and a hashed entry per field) was most of its cost. It
//! reads as the `Value` would: a key given twice keeps its last value, and every value,
//! even one then ignored, is parsed as `Value` parses it (same errors).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use super::{Document, Metadata};
use crate::error::{Error, Result};

/// The fields read for themselves, in the order of the slots of [`Version::known`].
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
const ID: usize = 0;
const SOURCE: usize = 1;
const OUTLET: usize = 2;
const TITLE: usize = 3;
const HEADLINE: usize = 4;
const DATE: usize = 5;
const URL: usize = 6;
const ROLE: usize = 7;
/// `text`, `body`, `content`, `article_content`: the text fields, in order of preference.
const TEXT_FIELDS: std::ops::Range<usize> = 8..12;
const SENTENCES: usize = 12;

/// A JSON value as a version's field holds it.
#[derive(Debug)]
enum Field<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    /// An array, its items kept only for `sentences` (empty otherwise).
    Array(Vec<Field<'a>>),
    Object,
}

/// Reads any JSON value as a [`Field`]; `items` keeps an array's items.
#[derive(Clone, Copy)]
struct FieldSeed {
    items: bool,
}

impl<'de> DeserializeSeed<'de> for FieldSeed {
    type Value = Field<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Field<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed {
    type Value = Field<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Num(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Num(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> std::result::Result<Field<'de>, E> {
        // As `Value` holds a float: a non-finite one is null.
        Ok(Number::from_f64(n).map_or(Field::Null, Field::Num))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(s)))
    }

    fn visit_unit<E>(self) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Null)
    }

    fn visit_none<E>(self) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Field<'de>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Field<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(FieldSeed { items: false })? {
            if self.items {
                items.push(item);
            }
        }
        Ok(Field::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Field<'de>, A::Error> {
        while map.next_key_seed(KeySeed)?.is_some() {
            map.next_value_seed(FieldSeed { items: false })?;
        }
        Ok(Field::Object)
    }
}

/// Reads an object's key, borrowed from the input when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Cow<'de, str>, D::Error> {
        // As `Value` reads a key.
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> std::result::Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E>(self, s: &str) -> std::result::Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> std::result::Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s))
    }
}

/// One version's object as read: the known fields in their slots (the last value of a
/// key given twice), the other scalars as extra metadata.
#[derive(Debug, Default)]
struct Version<'a> {
    known: [Option<Field<'a>>; KNOWN.len()],
    extra: BTreeMap<String, String>,
}

fn version<'de, A: MapAccess<'de>>(mut map: A) -> std::result::Result<Version<'de>, A::Error> {
    let mut v = Version::default();
    while let Some(key) = map.next_key_seed(KeySeed)? {
        if let Some(i) = KNOWN.iter().position(|k| *k == key) {
            v.known[i] = Some(map.next_value_seed(FieldSeed {
                items: i == SENTENCES,
            })?);
            continue;
        }
        let value = match map.next_value_seed(FieldSeed { items: false })? {
            Field::Str(s) => s.into_owned(),
            Field::Num(n) => n.to_string(),
            Field::Bool(b) => b.to_string(),
            // A later value replaces an earlier one, even one that is not kept.
            _ => {
                v.extra.remove(&*key);
                continue;
            }
        };
        v.extra.insert(key.into_owned(), value);
    }
    Ok(v)
}

/// A JSON text: an object, an array (of objects or not), or anything else.
#[derive(Debug)]
enum Top<'a> {
    Object(Box<Version<'a>>),
    Array(Vec<Top<'a>>),
    Other,
}

/// Reads a [`Top`]; `outer` for the text itself (an array's items are not arrays of
/// versions).
struct TopSeed {
    outer: bool,
}

impl<'de> DeserializeSeed<'de> for TopSeed {
    type Value = Top<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Top<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed {
    type Value = Top<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<Top<'de>, E> {
        Ok(Top::Other)
    }

    fn visit_i64<E>(self, _: i64) -> std::result::Result<Top<'de>, E> {
        Ok(Top::Other)
    }

    fn visit_u64<E>(self, _: u64) -> std::result::Result<Top<'de>, E> {
        Ok(Top::Other)
    }

    fn visit_f64<E>(self, _: f64) -> std::result::Result<Top<'de>, E> {
        Ok(Top::Other)
    }

    fn visit_str<E>(self, _: &str) -> std::result::Result<Top<'de>, E> {
        Ok(Top::Other)
    }

    fn visit_unit<E>(self) -> std::result::Result<Top<'de>, E> {
        Ok(Top::Other)
    }

    fn visit_none<E>(self) -> std::result::Result<Top<'de>, E> {
        Ok(Top::Other)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Top<'de>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Top<'de>, A::Error> {
        if !self.outer {
            FieldSeed { items: false }.visit_seq(seq)?;
            return Ok(Top::Other);
        }
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(TopSeed { outer: false })? {
            items.push(item);
        }
        Ok(Top::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Top<'de>, A::Error> {
        Ok(Top::Object(Box::new(version(map)?)))
    }
}

/// Parses a JSON text as `serde_json::from_str` would (the same errors).
fn parse(text: &str) -> serde_json::Result<Top<'_>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let top = TopSeed { outer: true }.deserialize(&mut de)?;
    de.end()?;
    Ok(top)
}

/// Reads a JSON file: one object or an array of objects.
pub(super) fn documents(origin: &str, stem: &str, text: &str) -> Result<Vec<Document>> {
    match parse(text).map_err(|e| syntax(origin, 0, &e))? {
        Top::Object(v) => Ok(vec![object(origin, stem, v)?]),
        Top::Array(items) => {
            if items.is_empty() {
                return Err(Error::new(origin, "empty JSON array: no versions"));
            }
            items
                .into_iter()
                .enumerate()
                .map(|(k, item)| match item {
                    Top::Object(v) => {
                        let where_ = format!("{origin}[{k}]");
                        object(&where_, &format!("{stem}-{}", k + 1), v)
                    }
                    _ => Err(Error::new(
                        origin,
                        format!("item {k} of the array is not an object"),
                    )),
                })
                .collect()
        }
        Top::Other => Err(Error::new(
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
        let Top::Object(v) = parse(line).map_err(|e| syntax(origin, n, &e))? else {
            return Err(Error::at(
                origin,
                line_no,
                None,
                "line is not a JSON object",
            ));
        };
        let where_ = format!("{origin}:{line_no}");
        let doc = object(&where_, &format!("{stem}-{line_no}"), v)
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

/// The string in slot `i` of `v`, taken out of it (each slot is read once).
fn string_field(origin: &str, v: &mut Version, i: usize) -> Result<Option<String>> {
    match v.known[i].take() {
        None | Some(Field::Null) => Ok(None),
        Some(Field::Str(s)) => Ok(Some(s.into_owned())),
        Some(Field::Num(n)) if i == ID => Ok(Some(n.to_string())),
        Some(_) => Err(Error::new(
            origin,
            format!("field {:?} must be a string", KNOWN[i]),
        )),
    }
}

fn object(origin: &str, default_id: &str, mut v: Box<Version>) -> Result<Document> {
    let mut meta = Metadata {
        title: match string_field(origin, &mut v, TITLE)? {
            Some(t) => Some(t),
            None => string_field(origin, &mut v, HEADLINE)?,
        },
        date: string_field(origin, &mut v, DATE)?,
        url: string_field(origin, &mut v, URL)?,
        role: string_field(origin, &mut v, ROLE)?,
        ..Metadata::default()
    };
    let id = string_field(origin, &mut v, ID)?.unwrap_or_else(|| default_id.to_string());
    let source = match string_field(origin, &mut v, SOURCE)? {
        Some(s) => Some(s),
        None => string_field(origin, &mut v, OUTLET)?,
    };
    meta.inferred_source = source.is_none();
    let source = source.unwrap_or_else(|| id.clone());
    meta.extra = std::mem::take(&mut v.extra);

    let (text, given) = if let Some(sentences) = v.known[SENTENCES].take() {
        let Field::Array(items) = sentences else {
            return Err(Error::new(
                origin,
                "field \"sentences\" must be an array of strings",
            ));
        };
        let mut text = String::new();
        let mut ranges = Vec::with_capacity(items.len());
        for (k, item) in items.iter().enumerate() {
            let Field::Str(s) = item else {
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
        for i in TEXT_FIELDS {
            if let Some(t) = string_field(origin, &mut v, i)? {
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

/// The reader as it was, through `serde_json::Value`: the reference [`Version`] is
/// tested against.
#[cfg(test)]
mod reference {
    use serde_json::{Map, Value};

    use super::super::{Document, Metadata};
    use super::{KNOWN, syntax};
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

    /// Pieces a line is built of: keys known and not, values of every kind, and
    /// broken ones.
    fn pieces() -> impl proptest::strategy::Strategy<Value = String> {
        let keys = proptest::sample::select(vec![
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
            "story",
            "words",
            "x",
            "tag\\u0041",
            "t\\\"q",
        ]);
        let values = proptest::sample::select(vec![
            r#""One. Two.""#,
            r#""A \"quoted\" line.\nNext.""#,
            r#""\u00e9t\u00e9 \ud83d\ude00""#,
            r#""  ""#,
            r#""""#,
            "5",
            "-0",
            "1.5e3",
            "18446744073709551615",
            "-9223372036854775808",
            "1e400",
            "true",
            "false",
            "null",
            "[]",
            r#"["A.", "B."]"#,
            r#"["A.\nB."]"#,
            r#"["A.", 3]"#,
            r#"[["x"], {"a": 1}]"#,
            r#"{"a": [1, {"b": null}]}"#,
            r#"{}"#,
            r#""bad \x escape""#,
            "[1, 2",
            "tru",
            "01",
        ]);
        proptest::collection::vec((keys, values), 0..7).prop_map(|fields| {
            let body: Vec<String> = fields
                .into_iter()
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect();
            format!("{{{}}}", body.join(", "))
        })
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #[test]
        fn versions_read_as_through_a_value(
            objects in proptest::collection::vec(pieces(), 1..4),
            shape in 0usize..4,
            edits in proptest::collection::vec(
                (0usize..200, proptest::sample::select(vec![" ", "\"", "\n", "}", "]", ",", ":", "x", "\\"])),
                0..2,
            ),
        ) {
            let mut text = match shape {
                0 => objects[0].clone(),
                1 => format!("[{}]", objects.join(", ")),
                2 => format!("[{}, 7, \"s\"]", objects.join(", ")),
                _ => objects.join("\n"),
            };
            for (at, insert) in edits {
                let at = at.min(text.len());
                if text.is_char_boundary(at) {
                    text.insert_str(at, insert);
                }
            }
            proptest::prop_assert_eq!(
                documents("x.json", "x", &text),
                reference::documents("x.json", "x", &text)
            );
            proptest::prop_assert_eq!(
                lines("x.jsonl", "x", &text),
                reference::lines("x.jsonl", "x", &text)
            );
        }
    }

    #[test]
    fn odd_shapes_read_as_through_a_value() {
        for text in [
            "",
            " ",
            "5",
            "\"s\"",
            "null",
            "[]",
            "[5]",
            "[[{\"text\": \"a\"}]]",
            "{\"text\": \"a\"} x",
            "{\"text\": \"a\"}\n{\"text\": \"b\", \"text\": 5}",
            "{\"text\": 5, \"text\": \"b\"}",
            "{\"w\": 5, \"w\": null, \"text\": \"b\"}",
            "{\"w\": [], \"w\": 1.0, \"text\": \"b\"}",
            "{\"sentences\": null, \"text\": \"b\"}",
            "{\"sentences\": [], \"text\": \"b\"}",
            "{\"id\": 3.25, \"source\": null, \"outlet\": \"O\", \"text\": \"b\"}",
            "{\"title\": 5, \"headline\": \"h\", \"text\": \"b\"}",
            "{\"title\": \"t\", \"headline\": 5, \"text\": \"b\"}",
            "{\"source\": \"s\", \"outlet\": 5, \"text\": \"b\"}",
            "{\"text\": \"b\", \"body\": 5}",
            "{\"body\": null, \"text\": null, \"content\": \"c\"}",
            "{\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], \"text\": \"b\"}",
        ] {
            assert_eq!(
                documents("x.json", "x", text),
                reference::documents("x.json", "x", text),
                "{text}"
            );
            assert_eq!(
                lines("x.jsonl", "x", text),
                reference::lines("x.jsonl", "x", text),
                "{text}"
            );
        }
    }
}
