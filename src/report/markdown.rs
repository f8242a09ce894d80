//! Markdown report, for a newsroom chat or a GitHub issue: a summary, coverage per
//! version, a claim-by-version table, then every differing claim with a word-level diff
//! (deletions as `~~struck~~`, insertions as `**bold**`, which GitHub renders). Article
//! text is escaped so it can never turn into markup, links or HTML, and long sentences
//! are cut in the table (the full text is in the claim's own section).

use std::io;

use super::{
    Renderer, ReportOptions, audit_rows, boilerplate_heading, boilerplate_rows, is_shown,
    key_difference, provenance_summary, tallies,
};
use crate::compare::{ClaimResult, Comparison, DiffOp, VersionStatus};

/// Characters of claim text shown in a table cell.
const CELL_CHARS: usize = 140;

/// Renders the Markdown report.
pub struct MarkdownRenderer {
    opts: ReportOptions,
}

impl MarkdownRenderer {
    /// A renderer with these options (`only_differences` filters the claim table).
    pub fn new(opts: ReportOptions) -> Self {
        MarkdownRenderer { opts }
    }
}

/// Escapes text so Markdown shows it literally, on one line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            // Text never starts a line here, so only inline markup needs escaping;
            // `[` and `]` escaped means no link or image can form.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '>' | '<' | '&' => {
                if c == '<' {
                    out.push_str("&lt;");
                } else if c == '>' {
                    out.push_str("&gt;");
                } else if c == '&' {
                    out.push_str("&amp;");
                } else {
                    out.push('\\');
                    out.push(c);
                }
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max).collect();
    s.push('…');
    s
}

fn status_label(status: VersionStatus) -> &'static str {
    match status {
        VersionStatus::Reference => "base",
        VersionStatus::Absent => "–",
        other => other.as_str(),
    }
}

impl Renderer for MarkdownRenderer {
    fn render(&self, cmp: &Comparison, out: &mut dyn io::Write) -> io::Result<()> {
        let base = &cmp.versions[cmp.base].doc;
        let (by_status, by_kind) = tallies(cmp);
        writeln!(out, "# claimdiff report\n")?;
        let statuses: Vec<String> = by_status.iter().map(|(k, n)| format!("{n} {k}")).collect();
        writeln!(
            out,
            "**Base:** {} ({}) · **Versions:** {} · **Claims:** {} ({})\n",
            escape(&base.id),
            escape(&base.source),
            cmp.versions.len(),
            cmp.claims.len(),
            statuses.join(", ")
        )?;
        if !by_kind.is_empty() {
            let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
            writeln!(out, "**Differences:** {}\n", kinds.join(", "))?;
        }

        writeln!(out, "## Versions\n")?;
        writeln!(
            out,
            "| version | source | sentences | identical | reworded | changed | dropped | added | new text | moved | came from |"
        )?;
        writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")?;
        for (v, (version, cov)) in cmp.versions.iter().zip(&cmp.coverage).enumerate() {
            let base_mark = if v == cmp.base { " (base)" } else { "" };
            writeln!(
                out,
                "| {}{} | {} | {} | {} | {} | {} | {} | {} | {:.0}% | {} | {} |",
                escape(&version.doc.id),
                base_mark,
                escape(&version.doc.source),
                version.sentences.len(),
                cov.identical,
                cov.reworded,
                cov.changed,
                cov.dropped,
                cov.added_sentences,
                100.0 * cov.new_share,
                cov.moved,
                escape(&provenance_summary(cmp, v))
            )?;
        }

        writeln!(out, "\n## Claims\n")?;
        let others: Vec<usize> = (0..cmp.versions.len()).filter(|&v| v != cmp.base).collect();
        let mut header = format!("| # | claim (text of {}) |", escape(&base.id));
        let mut rule = String::from("|---:|---|");
        for &v in &others {
            header.push_str(&format!(" {} |", escape(&cmp.versions[v].doc.id)));
            rule.push_str("---|");
        }
        writeln!(out, "{header} key difference |\n{rule}---|")?;
        for c in cmp.claims.iter().filter(|c| is_shown(c, &self.opts)) {
            let text = cmp.group_text(c.reference, &c.members[c.reference].sentences);
            let mut row = format!(
                "| [{}](#claim-{}) | {} |",
                c.number,
                c.number,
                escape(&cut(&text, CELL_CHARS))
            );
            for &v in &others {
                row.push_str(&format!(" {} |", status_label(c.members[v].status)));
            }
            row.push_str(&format!(" {} |", escape(&key_difference(cmp, c))));
            writeln!(out, "{row}")?;
        }

        let differing: Vec<&ClaimResult> = cmp
            .claims
            .iter()
            .filter(|c| !c.differences.is_empty())
            .collect();
        if !differing.is_empty() {
            writeln!(out, "\n## Differences")?;
        }
        for c in differing {
            write_claim(cmp, c, out)?;
        }
        let rows = audit_rows(cmp);
        if !rows.is_empty() {
            writeln!(out, "\n## Credit audit\n")?;
            writeln!(out, "| version | sentence | credit | verdict | evidence |")?;
            writeln!(out, "|---|---|---|---|---|")?;
            for r in rows {
                writeln!(
                    out,
                    "| {} | {} | {} | **{}** | {} |",
                    escape(&r[0]),
                    escape(&cut(&r[1], CELL_CHARS)),
                    escape(&r[2]),
                    escape(&r[3]),
                    escape(&r[4])
                )?;
            }
        }
        let rows = boilerplate_rows(cmp);
        if !rows.is_empty() {
            writeln!(out, "\n## {}\n", boilerplate_heading(cmp))?;
            writeln!(out, "| version | kind | text |")?;
            writeln!(out, "|---|---|---|")?;
            for r in rows {
                writeln!(
                    out,
                    "| {} | {} | {} |",
                    escape(&r[0]),
                    escape(&r[1]),
                    escape(&cut(&r[2], CELL_CHARS))
                )?;
            }
        }
        Ok(())
    }
}

fn write_claim(cmp: &Comparison, c: &ClaimResult, out: &mut dyn io::Write) -> io::Result<()> {
    let reference = &cmp.versions[c.reference].doc.id;
    writeln!(
        out,
        "\n<a id=\"claim-{}\"></a>\n### Claim {} — {}\n",
        c.number,
        c.number,
        c.status.as_str()
    )?;
    let text = cmp.group_text(c.reference, &c.members[c.reference].sentences);
    writeln!(out, "> **{}:** {}\n", escape(reference), escape(&text))?;
    for (v, m) in c.members.iter().enumerate() {
        if v == c.reference || matches!(m.status, VersionStatus::Absent) {
            continue;
        }
        let id = escape(&cmp.versions[v].doc.id);
        let notes: Vec<String> = c
            .differences
            .iter()
            .filter(|d| d.version == v)
            .map(|d| match &d.detail {
                Some(detail) => format!("{} ({})", d.kind.as_str(), escape(detail)),
                None => d.kind.as_str().to_string(),
            })
            .collect();
        let sim = m
            .similarity
            .map(|s| format!(", similarity {s:.2}"))
            .unwrap_or_default();
        writeln!(
            out,
            "- **{id}** — {}{sim}{}{}",
            m.status.as_str(),
            if notes.is_empty() { "" } else { ": " },
            notes.join("; ")
        )?;
        if let Some(diff) = &m.diff {
            let rendered = diff.layout(|op, t| match op {
                DiffOp::Equal => escape(t),
                DiffOp::Delete => format!("~~{}~~", escape(t)),
                DiffOp::Insert => format!("**{}**", escape(t)),
            });
            writeln!(out, "  - diff: {rendered}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_markup_and_html_out() {
        assert_eq!(
            escape("<script>alert(1)</script> *a* | [x](y)"),
            "&lt;script&gt;alert(1)&lt;/script&gt; \\*a\\* \\| \\[x\\](y)"
        );
        assert_eq!(escape("two\nlines"), "two lines");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let s = "word ".repeat(100);
        let c = cut(&s, 20);
        assert_eq!(c.chars().count(), 21);
        assert!(c.ends_with('…'));
    }
}
