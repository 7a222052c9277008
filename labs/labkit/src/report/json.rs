//! A report as JSON: what scripts, CI and the book's tables read back.
//!
//! The JSON holds the lab and scenario names, every table (title, columns,
//! rows, notes), the named `values`, and the file names of the charts written
//! beside it. Reading it back gives the same report without the charts'
//! SVG text, which lives in its own files.

use super::Report;

impl Report {
    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_value(self).expect("a report is plain data");
        let charts: Vec<serde_json::Value> = self
            .charts
            .iter()
            .map(|(name, _)| self.chart_file_name(name).into())
            .collect();
        json.as_object_mut()
            .expect("a report serializes to an object")
            .insert("charts".to_string(), charts.into());
        let mut text = serde_json::to_string_pretty(&json).expect("a JSON value prints");
        text.push('\n');
        text
    }

    /// Reads a report written by [`Report::to_json`] (charts are not read
    /// back: they are separate files).
    pub fn from_json(text: &str) -> serde_json::Result<Self> {
        serde_json::from_str(text)
    }
}
