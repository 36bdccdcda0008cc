//! Plain-text tables for terminal output of analysis results. Long cells (evidence
//! sentences) are cut so a row stays on one screen line; the JSON form keeps them whole.

use std::fmt;

const MAX_CELL: usize = 100;

pub(crate) struct TextTable {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    pub fn new<const N: usize>(header: [&str; N]) -> Self {
        TextTable {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row<const N: usize>(&mut self, cells: [String; N]) {
        self.rows
            .push(cells.into_iter().map(|c| clip(&c)).collect());
    }
}

/// One line, at most `MAX_CELL` characters, with "…" marking a cut.
fn clip(cell: &str) -> String {
    let one_line: String = cell
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= MAX_CELL {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(MAX_CELL - 1).collect();
    cut.push('…');
    cut
}

impl fmt::Display for TextTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, cells: &[String]| -> fmt::Result {
            let last = cells.len().saturating_sub(1);
            for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
                if i == last {
                    writeln!(f, "{cell}")?;
                } else {
                    let pad = w - cell.chars().count();
                    write!(f, "{cell}{}  ", " ".repeat(pad))?;
                }
            }
            Ok(())
        };
        line(f, &self.header)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(f, &rule)?;
        for row in &self.rows {
            line(f, row)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_and_long_cells_are_cut() {
        let mut t = TextTable::new(["actor", "note"]);
        t.row(["Zelensky".to_string(), "x".repeat(300)]);
        t.row(["Putin".to_string(), "line\nbreak".to_string()]);
        let text = t.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "header, rule, two rows");
        assert!(
            lines[3].starts_with("Putin     line break"),
            "{:?}",
            lines[3]
        );
        assert_eq!(lines[2].chars().count(), "Zelensky  ".len() + MAX_CELL);
        assert!(lines[2].ends_with('…'));
    }
}
