//! Terminal table: one row per claim (the reference text, each version's status, the
//! key difference), then one row per version summarising its coverage of the base.
//! Colour only when asked; the binary asks only on a terminal without `NO_COLOR`.

use std::io;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};

use super::{
    Renderer, ReportOptions, audit_rows, boilerplate_heading, boilerplate_rows, is_shown,
    key_difference, provenance_summary,
};
use crate::compare::{Comparison, DiffOp, Member, VersionStatus};

/// Width used when none is given.
pub const DEFAULT_WIDTH: u16 = 120;

/// Renders the claim table and the per-version summary.
pub struct TableRenderer {
    opts: ReportOptions,
}

impl TableRenderer {
    /// A renderer with these options.
    pub fn new(opts: ReportOptions) -> Self {
        TableRenderer { opts }
    }

    fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(self.opts.width.unwrap_or(DEFAULT_WIDTH));
        if self.opts.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t
    }

    /// A version's cell: its status and, for a changed claim, the word diff against the
    /// reference (red struck-out and green words in colour, `[-old-]{+new+}` without).
    fn member_cell(&self, m: &Member) -> Cell {
        let status = m.status;
        let mut label = match status {
            VersionStatus::Reference => "base".to_string(),
            VersionStatus::Absent => "–".to_string(),
            other => other.as_str().to_string(),
        };
        if let (VersionStatus::Changed, Some(diff)) = (status, &m.diff) {
            label.push('\n');
            label.push_str(&diff.layout(|op, t| match (op, self.opts.color) {
                (DiffOp::Equal, _) => t.to_string(),
                (DiffOp::Delete, true) => format!("\x1b[31;9m{t}\x1b[0m"),
                (DiffOp::Insert, true) => format!("\x1b[32;1m{t}\x1b[0m"),
                (DiffOp::Delete, false) => format!("[-{t}-]"),
                (DiffOp::Insert, false) => format!("{{+{t}+}}"),
            }));
        }
        let cell = Cell::new(label);
        if !self.opts.color {
            return cell;
        }
        match status {
            VersionStatus::Identical => cell.fg(Color::Green),
            VersionStatus::Reworded => cell.fg(Color::Yellow),
            VersionStatus::Changed => cell.fg(Color::Red),
            VersionStatus::Missing => cell.fg(Color::Magenta),
            VersionStatus::Added => cell.fg(Color::Cyan),
            VersionStatus::Reference | VersionStatus::Absent => cell,
        }
    }
}

impl Renderer for TableRenderer {
    fn render(&self, cmp: &Comparison, out: &mut dyn io::Write) -> io::Result<()> {
        let base = cmp.base;
        let mut claims = self.table();
        let mut header = vec![
            Cell::new("#"),
            Cell::new(format!("claim (text of {})", cmp.versions[base].doc.id)),
        ];
        for (v, version) in cmp.versions.iter().enumerate() {
            if v != base {
                header.push(Cell::new(&version.doc.id));
            }
        }
        header.push(Cell::new("key difference"));
        claims.set_header(header);
        let mut shown = 0;
        for c in cmp.claims.iter().filter(|c| is_shown(c, &self.opts)) {
            shown += 1;
            let text = cmp.group_text(c.reference, &c.members[c.reference].sentences);
            let text = if c.reference == base {
                text
            } else {
                format!(
                    "[only in some; text of {}] {text}",
                    cmp.versions[c.reference].doc.id
                )
            };
            let mut row = vec![Cell::new(c.number), Cell::new(text)];
            for (v, m) in c.members.iter().enumerate() {
                if v != base {
                    row.push(self.member_cell(m));
                }
            }
            row.push(Cell::new(key_difference(cmp, c)));
            claims.add_row(row);
        }
        if shown > 0 {
            writeln!(out, "{claims}")?;
        } else {
            writeln!(out, "No claims differ.")?;
        }

        let mut summary = self.table();
        summary.set_header(vec![
            "version",
            "source",
            "sentences",
            "identical",
            "reworded",
            "changed",
            "dropped",
            "added",
            "new text",
            "moved",
            "came from",
        ]);
        for (v, (version, cov)) in cmp.versions.iter().zip(&cmp.coverage).enumerate() {
            let pct = |n: usize| {
                if cov.base_sentences == 0 {
                    format!("{n}")
                } else {
                    format!("{n} ({:.0}%)", 100.0 * n as f64 / cov.base_sentences as f64)
                }
            };
            let id = if v == base {
                format!("{} (base)", version.doc.id)
            } else {
                version.doc.id.clone()
            };
            summary.add_row(vec![
                id,
                version.doc.source.clone(),
                version.sentences.len().to_string(),
                pct(cov.identical),
                pct(cov.reworded),
                pct(cov.changed),
                pct(cov.dropped),
                cov.added_sentences.to_string(),
                format!("{:.0}%", 100.0 * cov.new_share),
                cov.moved.to_string(),
                provenance_summary(cmp, v),
            ]);
        }
        writeln!(out, "{summary}")?;
        let rows = audit_rows(cmp);
        if !rows.is_empty() {
            let mut audit = self.table();
            audit.set_header(vec!["version", "sentence", "credit", "verdict", "evidence"]);
            for r in rows {
                audit.add_row(r.to_vec());
            }
            writeln!(out, "Credit audit\n{audit}")?;
        }
        let rows = boilerplate_rows(cmp);
        if !rows.is_empty() {
            let mut table = self.table();
            table.set_header(vec!["version", "kind", "text"]);
            for r in rows {
                table.add_row(r.to_vec());
            }
            writeln!(out, "{}\n{table}", boilerplate_heading(cmp))?;
        }
        Ok(())
    }
}
