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
    /// Prints the table within [`NOTE_WIDTH`] columns: a table that would be
    /// wider is split into parts that each repeat the first column, and a
    /// text column still too wide for its part wraps at spaces.
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

        writeln!(f, "{}", self.title)?;
        for (k, part) in parts(&widths).iter().enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            let limits = fit(
                part.iter().map(|&i| (widths[i], right[i])).collect(),
                NOTE_WIDTH.saturating_sub(width(INDENT) + width(GAP) * (part.len() - 1)),
            );
            let header: Vec<String> = part.iter().map(|&i| cell(&self.columns, i)).collect();
            let rule: Vec<String> = limits.iter().map(|w| "-".repeat(*w)).collect();
            let align: Vec<bool> = part.iter().map(|&i| right[i]).collect();
            for line in wrapped_row(&header, &limits, &align) {
                writeln!(f, "{line}")?;
            }
            for line in wrapped_row(&rule, &limits, &align) {
                writeln!(f, "{line}")?;
            }
            for row in &self.rows {
                let cells: Vec<String> = part.iter().map(|&i| cell(row, i)).collect();
                for line in wrapped_row(&cells, &limits, &align) {
                    writeln!(f, "{line}")?;
                }
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

/// Column widths that add up to at most `room`: each column as wide as its
/// widest cell, then the widest text column narrowed (its cells will wrap),
/// again and again, never below [`MIN_WRAP`].
fn fit(columns: Vec<(usize, bool)>, room: usize) -> Vec<usize> {
    let mut limits: Vec<usize> = columns.iter().map(|&(w, _)| w).collect();
    loop {
        let total: usize = limits.iter().sum();
        if total <= room {
            return limits;
        }
        let widest = (0..limits.len())
            .filter(|&i| !columns[i].1 && limits[i] > MIN_WRAP)
            .max_by_key(|&i| limits[i]);
        let Some(i) = widest else {
            return limits;
        };
        limits[i] = limits[i].saturating_sub(total - room).max(MIN_WRAP);
    }
}

/// The narrowest a wrapped column is made, so a word or two still fits.
const MIN_WRAP: usize = 16;

/// The columns of each printed part: all of them when the table fits in
/// [`NOTE_WIDTH`], else the first column followed by as many of the others
/// as fit beside it (at least one).
fn parts(widths: &[usize]) -> Vec<Vec<usize>> {
    let line = |cols: &[usize]| {
        width(INDENT)
            + cols.iter().map(|&i| widths[i]).sum::<usize>()
            + width(GAP) * cols.len().saturating_sub(1)
    };
    let all: Vec<usize> = (0..widths.len()).collect();
    if widths.len() <= 2 || line(&all) <= NOTE_WIDTH {
        return if widths.is_empty() { vec![] } else { vec![all] };
    }
    let mut parts: Vec<Vec<usize>> = vec![];
    let mut current = vec![0];
    for i in 1..widths.len() {
        let mut tried = current.clone();
        tried.push(i);
        if current.len() > 1 && line(&tried) > NOTE_WIDTH {
            parts.push(std::mem::replace(&mut current, vec![0, i]));
        } else {
            current = tried;
        }
    }
    parts.push(current);
    parts
}

/// One row as printed lines: each cell wrapped at spaces to its limit (a
/// longer word is cut), padded, numbers right-aligned.
fn wrapped_row(cells: &[String], limits: &[usize], right: &[bool]) -> Vec<String> {
    let pieces: Vec<Vec<String>> = cells
        .iter()
        .zip(limits)
        .map(|(c, &limit)| wrap_cell(c, limit))
        .collect();
    let height = pieces.iter().map(Vec::len).max().unwrap_or(1).max(1);
    (0..height)
        .map(|k| {
            let mut out = String::from(INDENT);
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    out.push_str(GAP);
                }
                let c = piece.get(k).map_or("", String::as_str);
                let pad = " ".repeat(limits[i].saturating_sub(width(c)));
                if right[i] {
                    out.push_str(&pad);
                    out.push_str(c);
                } else {
                    out.push_str(c);
                    out.push_str(&pad);
                }
            }
            out.trim_end().to_string()
        })
        .collect()
}

/// A cell as lines of at most `limit` characters, broken at spaces.
fn wrap_cell(cell: &str, limit: usize) -> Vec<String> {
    if width(cell) <= limit {
        return vec![cell.to_string()];
    }
    let mut lines: Vec<String> = vec![String::new()];
    for word in cell.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let line = lines.last_mut().expect("starts with one line");
            let used = width(line);
            let space = usize::from(used > 0);
            if used + space + word.len() <= limit {
                if space == 1 {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if used > 0 {
                lines.push(String::new());
                continue;
            }
            // A word longer than the column: cut it.
            let (head, tail) = word.split_at(limit.max(1));
            line.extend(head.iter());
            word = tail.to_vec();
            lines.push(String::new());
        }
    }
    lines.retain(|l| !l.is_empty());
    lines
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
