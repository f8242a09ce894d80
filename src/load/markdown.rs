//! Markdown: optional front matter (`key: value` lines between `---` lines at the top)
//! read as metadata, and the body rendered to plain text without markup. Each block
//! (paragraph, heading, list item, quote paragraph, table row) becomes one line; inline
//! markup keeps its text (link text, emphasis, code); images keep their alt text; HTML
//! is dropped. Offsets of such a document refer to this plain text.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{Document, Metadata, split_label};
use crate::error::{Error, Result};

/// Reads one Markdown document.
pub(super) fn document(origin: &str, stem: &str, text: &str) -> Result<Document> {
    let (fields, body) = front_matter(origin, text)?;
    let mut meta = Metadata::default();
    let mut id = None;
    let mut source = None;
    let mut outlet = None;
    for (key, value) in fields {
        match key.as_str() {
            "id" => id = Some(value),
            "source" => source = Some(value),
            "outlet" => outlet = Some(value),
            "title" | "headline" => meta.title = Some(value),
            "date" => meta.date = Some(value),
            "url" => meta.url = Some(value),
            "role" => meta.role = Some(value),
            _ => {
                meta.extra.insert(key, value);
            }
        }
    }
    let plain = render(body);
    let (plain, label) = split_label(&plain);
    if plain.trim().is_empty() {
        return Err(Error::new(origin, "empty input: the Markdown has no text"));
    }
    meta.label = label;
    meta.inferred_source = source.is_none() && outlet.is_none();
    let id = id.unwrap_or_else(|| stem.to_string());
    Ok(Document {
        source: source.or(outlet).unwrap_or_else(|| id.clone()),
        id,
        origin: origin.to_string(),
        meta,
        text: plain.to_string(),
        given_sentences: None,
    })
}

/// Splits off front matter: returns its fields and the body after it.
fn front_matter<'a>(origin: &str, text: &'a str) -> Result<(Vec<(String, String)>, &'a str)> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Ok((Vec::new(), text));
    };
    let mut fields = Vec::new();
    let mut offset = 0;
    for (n, line) in rest.split_inclusive('\n').enumerate() {
        offset += line.len();
        let line = line.trim_end();
        if line == "---" || line == "..." {
            return Ok((fields, &rest[offset..]));
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(Error::at(
                origin,
                n + 2,
                None,
                "front matter opened with `---` on line 1 is never closed (this line is not `key: value`)",
            ));
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        fields.push((key.trim().to_ascii_lowercase(), value.to_string()));
    }
    Err(Error::at(
        origin,
        1,
        None,
        "front matter opened with `---` is never closed",
    ))
}

/// The body's text without markup, one block per line.
fn render(body: &str) -> String {
    let mut out = String::new();
    let end_block = |out: &mut String| {
        let trimmed = out.trim_end_matches([' ', '\t']).len();
        out.truncate(trimmed);
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    };
    for event in Parser::new(body) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => end_block(&mut out),
            Event::Start(Tag::Item) | Event::Start(Tag::TableRow) => end_block(&mut out),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => end_block(&mut out),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    end_block(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_markup() {
        let md = "---\nid: herald\nsource: \"Daily Herald\"\nrole: outlet\ntitle: Port strike\ndate: 2026-03-14\nsection: world\n---\n\
            # Dockers walk out\n\nThe **strike** began at [dawn](https://example.org) on Monday.\nIt spread fast.\n\n- One item\n- Two items\n";
        let d = document("h.md", "h", md).unwrap();
        assert_eq!(d.id, "herald");
        assert_eq!(d.source, "Daily Herald");
        assert_eq!(d.meta.role.as_deref(), Some("outlet"));
        assert_eq!(d.meta.title.as_deref(), Some("Port strike"));
        assert_eq!(
            d.meta.extra.get("section").map(String::as_str),
            Some("world")
        );
        assert_eq!(
            d.text,
            "Dockers walk out\nThe strike began at dawn on Monday. It spread fast.\nOne item\nTwo items\n"
        );
    }

    #[test]
    fn outlet_names_the_source_when_source_is_absent() {
        let d = document("x.md", "x", "---\noutlet: Coast News\n---\nText here.\n").unwrap();
        assert_eq!(d.source, "Coast News");
        assert_eq!(d.id, "x");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = document("x.md", "x", "---\nid: x\nText.\n").unwrap_err();
        assert!(e.to_string().contains("never closed"), "{e}");
    }

    #[test]
    fn markup_only_is_empty() {
        let e = document("x.md", "x", "---\nid: x\n---\n<div></div>\n").unwrap_err();
        assert!(e.to_string().contains("no text"), "{e}");
    }
}
