//! What a lab prints and saves: terminal tables, JSON and SVG charts.
//!
//! Every lab run ends in a [`Report`]: the tables a reader sees in the
//! terminal, the same numbers as JSON for scripts and CI (under `values`), and
//! charts as SVG files the book embeds. One report is one scenario of one lab,
//! so the files land at `<dir>/<lab>/<scenario>.json` and
//! `<dir>/<lab>/<scenario>-<chart>.svg`, and re-running a scenario replaces
//! exactly its own files.
//!
//! | file | what it holds |
//! |---|---|
//! | `table.rs` | [`Table`]: aligned columns for the terminal |
//! | `json.rs` | the report as JSON, and back |
//! | `svg.rs` | [`BarChart`] and [`LineChart`], hand-written SVG |
//! | `bytes_svg.rs` | [`ByteFigure`]: one protocol unit's bytes, every field named |

mod bytes_svg;
mod json;
mod svg;
mod table;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use bytes_svg::{ByteFigure, Field, hex, unhex};
pub use svg::{BarChart, LineChart};
pub use table::Table;

/// One scenario's results: tables for people, values for machines, charts
/// for the book.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// The lab's package name, e.g. `lab-rest`.
    pub lab: String,
    /// The scenario's name, e.g. `keep-alive`.
    pub scenario: String,
    /// Tables, printed in order.
    pub tables: Vec<Table>,
    /// Named numbers (or any JSON) for scripts and CI to read back.
    pub values: serde_json::Map<String, serde_json::Value>,
    /// `(name, svg)` pairs, written as separate files (not part of the JSON).
    #[serde(skip)]
    pub charts: Vec<(String, String)>,
}

impl Report {
    /// An empty report for `scenario` of `lab`.
    pub fn new(lab: &str, scenario: &str) -> Self {
        Self {
            lab: lab.to_string(),
            scenario: scenario.to_string(),
            ..Self::default()
        }
    }

    /// Adds a table, shown after the ones added before it.
    pub fn table(&mut self, t: Table) -> &mut Self {
        self.tables.push(t);
        self
    }

    /// Records a named value (a number, a [`crate::measure::LatencySummary`],
    /// anything serializable); a second value under the same key replaces the
    /// first. A value serde cannot represent as JSON is stored as a string
    /// saying why, so a report is never lost to one bad value.
    pub fn value(&mut self, key: &str, v: impl Serialize) -> &mut Self {
        let v = serde_json::to_value(v)
            .unwrap_or_else(|e| serde_json::Value::String(format!("not serializable: {e}")));
        self.values.insert(key.to_string(), v);
        self
    }

    /// Adds a chart (from [`BarChart::to_svg`] or [`LineChart::to_svg`]); a
    /// second chart with the same name replaces the first.
    pub fn chart(&mut self, name: &str, svg: String) -> &mut Self {
        self.charts.retain(|(n, _)| n != name);
        self.charts.push((name.to_string(), svg));
        self
    }

    /// Prints the tables to standard output.
    pub fn print(&self) {
        print!("{self}");
    }

    /// Writes `<dir>/<lab>/<scenario>.json` and one
    /// `<dir>/<lab>/<scenario>-<chart>.svg` per chart; returns the paths
    /// written, JSON first.
    pub fn write(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let lab_dir = dir.join(file_stem(&self.lab));
        std::fs::create_dir_all(&lab_dir)?;
        let mut written = Vec::with_capacity(1 + self.charts.len());

        let json_path = lab_dir.join(format!("{}.json", file_stem(&self.scenario)));
        std::fs::write(&json_path, self.to_json())?;
        written.push(json_path);

        for (name, svg) in &self.charts {
            let path = lab_dir.join(self.chart_file_name(name));
            std::fs::write(&path, svg)?;
            written.push(path);
        }
        Ok(written)
    }

    /// The file name a chart is written under: `<scenario>-<name>.svg`.
    pub fn chart_file_name(&self, name: &str) -> String {
        format!("{}-{}.svg", file_stem(&self.scenario), file_stem(name))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.tables.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{t}")?;
        }
        Ok(())
    }
}

/// A name made safe to use in a file name: letters, digits, `.`, `_` and `-`
/// are kept, anything else becomes `-`.
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    match stem.trim_matches('.') {
        "" => "unnamed".to_string(),
        s => s.to_string(),
    }
}
