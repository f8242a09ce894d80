//! Saved web pages: the article text of an HTML page, without the navigation, related
//! links, comments, cookie banners and footers around it, and its metadata.
//!
//! Extraction is done by `dom_smoothie`, a port of Mozilla's Readability. What this
//! module adds is the shape claimdiff needs: one paragraph per line with runs of white
//! space collapsed, so the segmenter sees the same text a plain-text copy of the story
//! would give; and metadata from Open Graph and schema.org tags (title, byline, date,
//! site name, URL). The site name becomes the source when the page names one. Offsets in
//! reports refer to this extracted text, not to the HTML bytes.

use dom_smoothie::{Config, Readability};

use super::{Document, Metadata};
use crate::error::{Error, Result};

/// Pages with more elements than this are refused rather than parsed slowly.
const MAX_ELEMENTS: usize = 200_000;

/// Deepest element nesting accepted. HTML parsing costs time with the square of the
/// depth (20,000 nested `div`s take over a minute); real pages nest a few dozen deep.
const MAX_DEPTH: usize = 1_000;

/// The article of one saved page.
pub(super) fn document(origin: &str, stem: &str, html: &str) -> Result<Document> {
    let cfg = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Config::default()
    };
    let depth = nesting_depth(html);
    if depth > MAX_DEPTH {
        return Err(Error::new(
            origin,
            format!("HTML nested {depth} elements deep; the limit is {MAX_DEPTH}"),
        ));
    }
    let (page, canonical) = declutter(html);
    let mut reader = Readability::with_document(page, None, Some(cfg))
        .map_err(|e| Error::new(origin, format!("cannot read the HTML page: {e}")))?;
    let article = reader
        .parse()
        .map_err(|e| Error::new(origin, format!("no article text found in the page ({e})")))?;
    let text = article_text(&article.content);
    if !text.lines().any(is_prose) {
        return Err(Error::new(
            origin,
            "no article text found in the page (no paragraph of running text)",
        ));
    }
    let site = clean(article.site_name.as_deref());
    let mut meta = Metadata {
        title: clean(Some(&article.title)),
        date: clean(article.published_time.as_deref()),
        url: clean(article.url.as_deref()).or(canonical),
        ..Metadata::default()
    };
    if let Some(byline) = clean(article.byline.as_deref()) {
        meta.extra.insert("byline".into(), byline);
    }
    if let Some(lang) = clean(article.lang.as_deref()) {
        meta.extra.insert("lang".into(), lang);
    }
    let inferred = site.is_none();
    if let Some(site) = &site {
        meta.extra.insert("site_name".into(), site.clone());
    }
    meta.inferred_source = inferred;
    Ok(Document {
        id: stem.to_string(),
        source: site.unwrap_or_else(|| stem.to_string()),
        origin: origin.to_string(),
        meta,
        text,
        given_sentences: None,
    })
}

/// Elements that never take an end tag, or whose end tag may be left out: they do not
/// deepen the nesting.
const FLAT: [&str; 31] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "html",
];

/// How deep the page's elements nest, counted from the tags alone (comments, doctype,
/// script and style contents skipped), without building a tree.
fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    let find = |from: usize, pat: &[u8]| -> usize {
        b[from.min(b.len())..]
            .windows(pat.len())
            .position(|w| w.eq_ignore_ascii_case(pat))
            .map_or(b.len(), |k| from + k)
    };
    while let Some(k) = b[i..].iter().position(|&c| c == b'<') {
        i += k + 1;
        if b[i..].starts_with(b"!--") {
            i = find(i, b"-->");
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = find(name_start, b">");
        let self_closing = end > 0 && b.get(end - 1) == Some(&b'/');
        i = end;
        if FLAT.contains(&name.as_str()) || name == "head" || name == "body" {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            max = max.max(depth);
            if name == "script" || name == "style" {
                i = find(i, format!("</{name}").as_bytes());
            }
        }
    }
    max
}

/// A short block around a visible form control is a widget (a newsletter sign-up, a
/// poll), not prose; a long one may be a whole page wrapped in a form.
const WIDGET_MAX_CHARS: usize = 300;

/// Removes what is structurally not article text before Readability scores the page:
/// figures and their captions, asides, and short blocks holding a visible form control.
/// Readability keeps such furniture when it sits inside the article body. Also returns
/// the page's own address (`og:url`, else the canonical link), which Readability leaves.
fn declutter(html: &str) -> (dom_query::Document, Option<String>) {
    let page = dom_query::Document::from(html);
    let canonical = page
        .select(r#"meta[property="og:url"]"#)
        .attr("content")
        .or_else(|| page.select(r#"link[rel="canonical"]"#).attr("href"))
        .and_then(|u| clean(Some(&u)));
    page.select("figure, figcaption, aside").remove();
    let controls = page.select("input:not([type=hidden]), button, select, textarea");
    for control in controls.nodes() {
        if let Some(block) = control.parent()
            && block.text().chars().count() <= WIDGET_MAX_CHARS
            && !block.is("body")
        {
            block.remove_from_parent();
        }
    }
    (page, canonical)
}

/// The text of the extracted article HTML, one paragraph per line.
fn article_text(content: &str) -> String {
    paragraphs(&dom_query::Document::from(content).formatted_text())
}

/// Whether a paragraph reads as running text: five words or more, ending like a sentence.
/// Menus, link lists and labels do not.
fn is_prose(paragraph: &str) -> bool {
    let end = paragraph
        .trim_end()
        .trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')']);
    paragraph.split_whitespace().count() >= 5 && end.ends_with(['.', '!', '?', '\u{2026}'])
}

/// One paragraph per line: blank-line separated blocks become lines, and every run of
/// white space inside a block becomes one space (HTML source wraps lines anywhere).
fn paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut block = String::new();
    let flush = |block: &mut String, out: &mut String| {
        let joined = block.split_whitespace().collect::<Vec<_>>().join(" ");
        if !joined.is_empty() && !is_page_label(&joined) {
            out.push_str(&joined);
            out.push('\n');
        }
        block.clear();
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut block, &mut out);
        } else {
            block.push_str(line);
            block.push(' ');
        }
    }
    flush(&mut block, &mut out);
    out
}

/// Labels that ad slots and page furniture leave inside an article body. A paragraph
/// that is nothing but one of these is dropped.
const PAGE_LABELS: [&str; 10] = [
    "advertisement",
    "advertisements",
    "sponsored",
    "sponsored content",
    "skip advertisement",
    "story continues below advertisement",
    "article continues below advertisement",
    "article continues below",
    "continue reading below",
    "scroll to continue with content",
];

fn is_page_label(paragraph: &str) -> bool {
    let p = paragraph
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    PAGE_LABELS.contains(&p.as_str())
}

fn clean(s: Option<&str>) -> Option<String> {
    let s = s?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines() {
        assert_eq!(
            paragraphs("  First line\n wraps here.\n\n\nSecond.\n\nADVERTISEMENT\n"),
            "First line wraps here.\nSecond.\n"
        );
    }

    #[test]
    fn article_without_clutter() {
        let html = r#"<html><head><meta property="og:site_name" content="Gazette">
            <title>Dam opens</title></head><body>
            <nav><a href="/">Home</a> <a href="/news">News</a></nav>
            <article><h1>Dam opens</h1>
            <p>The new dam on the Varn river opened on Monday after six years of work, the
            regional government said.</p>
            <p>It will supply water to about 40,000 homes and generate power for twice as many,
            officials said at the opening ceremony.</p>
            <p>Farmers downstream have complained that the reservoir flooded grazing land
            that their families had used for generations.</p></article>
            <footer>© Gazette. All rights reserved.</footer></body></html>"#;
        let d = document("p.html", "p", html).unwrap();
        assert_eq!(d.source, "Gazette");
        assert!(!d.meta.inferred_source);
        assert!(
            d.text
                .starts_with("The new dam on the Varn river opened on Monday")
        );
        assert_eq!(d.text.lines().count(), 3, "{}", d.text);
        assert!(!d.text.contains("Home"));
        assert!(!d.text.contains("rights reserved"));
    }

    #[test]
    fn nesting_is_counted_from_tags() {
        assert_eq!(
            nesting_depth("<div><p>a<p>b<br><img/></div><div><span>x</span></div>"),
            2
        );
        assert_eq!(
            nesting_depth("<!-- <div><div> --><script>if (a<b) {}</script>"),
            1
        );
        let deep = format!("{}x{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let e = document("d.html", "d", &deep).unwrap_err();
        assert_eq!(
            e.to_string(),
            "d.html: HTML nested 5000 elements deep; the limit is 1000"
        );
    }

    #[test]
    fn page_without_article_is_an_error() {
        let e = document("e.html", "e", "<html><body><nav>Home</nav></body></html>").unwrap_err();
        assert!(e.to_string().starts_with("e.html: no article text"), "{e}");
    }
}
