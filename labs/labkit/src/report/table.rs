//! Terminal tables: a title, aligned columns, notes under them.
//!
//! Numbers are right-aligned so their digits line up, text is left-aligned,
//! and widths count characters (so "µs" takes one column per letter). Kept by
//! hand rather than through a table crate: the whole job is thirty lines.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Gap between two columns.
const GAP: &str = "   ";
/// Indentation of the header, rows and notes under the title.
const INDENT: &str = "  ";
/// The widest line a note may take: the book shows reports in a column of
/// 88 characters, and a terminal of 80 still reads them with little wrap.
pub const NOTE_WIDTH: usize = 88;

/// A titled table of strings, printed with [`fmt::Display`].
///
/// ```
/// use labkit::report::Table;
/// let mut t = Table::new("Round trip over loopback", &["transport", "p50 (µs)"]);
/// t.row(["raw TCP", "4.1"]).row(["HTTP/1.1", "41.0"]).note("pinned to one CPU");
/// print!("{t}");
/// ```
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

impl Table {
    /// An empty table with a title and column headers.
    pub fn new(title: impl Into<String>, columns: &[&str]) -> Self {
        Self {
            title: title.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ..Self::default()
        }
    }

    /// Adds a row. A short row is padded with empty cells; a long one adds
    /// columns without a header.
    pub fn row<I: IntoIterator<Item = impl ToString>>(&mut self, cells: I) -> &mut Self {
        self.rows
            .push(cells.into_iter().map(|c| c.to_string()).collect());
        self
    }

    /// Adds a note printed under the table: how it was measured, what to
    /// compare it with.
    pub fn note(&mut self, s: impl Into<String>) -> &mut Self {
        self.notes.push(s.into());
        self
    }

    fn column_count(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain([self.columns.len()])
            .max()
            .unwrap_or(0)
    }

    /// True when every non-empty cell of column `i` reads as a number.
    fn is_numeric_column(&self, i: usize) -> bool {
        let mut any = false;
        for cell in self.rows.iter().filter_map(|r| r.get(i)) {
            match classify(cell) {
                Cell::Number => any = true,
                Cell::Blank => {}
                Cell::Text => return false,
            }
        }
        any
    }
}

enum Cell {
    Number,
    Blank,
    Text,
}

/// "41.0", "-3", "~12 ms", "3.2x" and "< 1" are numbers; "", "-", "n/a" are
/// blanks that fit either alignment; anything else is text.
fn classify(cell: &str) -> Cell {
    let cell = cell.trim();
    if matches!(cell, "" | "-" | "—" | "n/a") {
        return Cell::Blank;
    }
    let digits = cell.trim_start_matches(['-', '+', '~', '≈', '<', '>', '.', ' ']);
    if digits.starts_with(|c: char| c.is_ascii_digit()) {
        Cell::Number
    } else {
        Cell::Text
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.column_count();
        let cell = |row: &[String], i: usize| row.get(i).map_or("", String::as_str).to_string();
        let mut widths: Vec<usize> = (0..n).map(|i| width(&cell(&self.columns, i))).collect();
        for row in &self.rows {
            for (i, w) in widths.iter_mut().enumerate() {
                *w = (*w).max(width(&cell(row, i)));
            }
        }
        let right: Vec<bool> = (0..n).map(|i| self.is_numeric_column(i)).collect();

        let line = |cells: Vec<String>| -> String {
            let mut out = String::from(INDENT);
            for (i, c) in cells.iter().enumerate() {
                if i > 0 {
                    out.push_str(GAP);
                }
                let pad = " ".repeat(widths[i] - width(c));
                if right[i] {
                    out.push_str(&pad);
                    out.push_str(c);
                } else {
                    out.push_str(c);
                    out.push_str(&pad);
                }
            }
            out.trim_end().to_string()
        };

        writeln!(f, "{}", self.title)?;
        if n > 0 {
            writeln!(
                f,
                "{}",
                line((0..n).map(|i| cell(&self.columns, i)).collect())
            )?;
            writeln!(
                f,
                "{}",
                line(widths.iter().map(|w| "-".repeat(*w)).collect())
            )?;
            for row in &self.rows {
                writeln!(f, "{}", line((0..n).map(|i| cell(row, i)).collect()))?;
            }
        }
        for note in &self.notes {
            for line in wrap_note(note) {
                writeln!(f, "{line}")?;
            }
        }
        Ok(())
    }
}

/// A note as lines of at most [`NOTE_WIDTH`] characters, broken at spaces:
/// `  note: ` before the first, the same indentation before the others.
fn wrap_note(note: &str) -> Vec<String> {
    let first = format!("{INDENT}note: ");
    let rest = " ".repeat(width(&first));
    let mut lines = vec![first];
    for word in note.split_whitespace() {
        let line = lines.last_mut().expect("starts with one line");
        let bare = line.ends_with(' ');
        if !bare && width(line) + 1 + width(word) > NOTE_WIDTH {
            lines.push(format!("{rest}{word}"));
        } else {
            if !bare {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}
