//! Scenario `json`: what JSON costs as payloads grow — bytes, encode time,
//! decode time — the baseline later chapters compare binary formats with.
//!
//! Sizes are exact; times are a benchmark (many repetitions, median of
//! rounds) and vary with your machine. Nothing here runs in the tests except
//! the byte accounting, which does not depend on timing.

use std::hint::black_box;
use std::time::Duration;

use domain::Reading;
use labkit::cli::Scenario;
use labkit::measure::{Rounds, time_per_op};
use labkit::report::{BarChart, Report, Table};

use crate::Lab;

/// The scenario, as `cargo run -p lab-rest -- json` runs it.
pub const SCENARIO: Scenario = Scenario::benchmark(
    "json",
    "JSON encode/decode time and bytes for growing payloads",
    "the share of bytes that are field names, repeated in every record",
);

/// The byte accounting of one JSON document holding `records` readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bytes {
    pub records: usize,
    pub total: usize,
    /// Bytes spent on field names: `"sensor_id":` and the like, per record.
    pub field_names: usize,
}

impl Bytes {
    pub fn per_record(&self) -> f64 {
        self.total as f64 / self.records as f64
    }

    pub fn field_name_share(&self) -> f64 {
        self.field_names as f64 / self.total as f64
    }
}

/// `records` sample readings.
pub fn readings(records: usize) -> Vec<Reading> {
    (0..records as u64).map(Reading::sample).collect()
}

// ANCHOR: accounting
/// Encodes `records` readings as a JSON array and counts how many of its
/// bytes are field names repeated in every object.
pub fn account(records: usize) -> serde_json::Result<Bytes> {
    // ANCHOR: field_names
    let batch = readings(records);
    let encoded = serde_json::to_vec(&batch)?;
    let value: serde_json::Value = serde_json::from_slice(&encoded)?;
    let field_names = value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|record| record.as_object())
        .flat_map(|object| object.keys())
        .map(|key| key.len() + 3) // the quotes and the colon
        .sum();
    // ANCHOR_END: field_names
    Ok(Bytes {
        records,
        total: encoded.len(),
        field_names,
    })
}
// ANCHOR_END: accounting

/// Times of one size: median of several rounds, per document.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub encode: Duration,
    pub decode: Duration,
}

/// Measures encoding and decoding of a `records`-reading document.
pub fn time(records: usize) -> serde_json::Result<Timing> {
    let batch = readings(records);
    let encoded = serde_json::to_vec(&batch)?;
    // Enough repetitions that one round takes a few milliseconds; seven
    // rounds, encode and decode interleaved, and the median of each.
    let reps = (20_000 / records.max(1)).clamp(3, 20_000) as u32;
    let mut rounds = Rounds::new();
    for _ in 0..7 {
        let encode = time_per_op(reps, || {
            black_box(serde_json::to_vec(black_box(&batch)).ok());
        });
        let decode = time_per_op(reps, || {
            black_box(serde_json::from_slice::<Vec<Reading>>(black_box(&encoded)).ok());
        });
        rounds.push([encode, decode]);
    }
    let [encode, decode] = rounds.medians().expect("seven rounds ran");
    Ok(Timing { encode, decode })
}

/// The sizes the scenario compares.
pub const SIZES: [usize; 5] = [1, 10, 100, 1_000, 10_000];

/// The `json` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut table = Table::new(
        "JSON arrays of readings (serde_json), median of 7 rounds",
        &[
            "records",
            "bytes",
            "bytes/record",
            "field names",
            "encode",
            "decode",
            "decode MB/s",
        ],
    );
    let mut per_record_ns = Vec::new();
    let mut progress = labkit::cli::Progress::new("timing JSON", SIZES.len() as u64);
    for records in SIZES {
        progress.advance(1);
        let bytes = account(records)?;
        let t = time(records)?;
        table.row([
            records.to_string(),
            bytes.total.to_string(),
            format!("{:.1}", bytes.per_record()),
            format!("{:.0}%", 100.0 * bytes.field_name_share()),
            labkit::measure::human_duration(t.encode),
            labkit::measure::human_duration(t.decode),
            format!("{:.0}", bytes.total as f64 / t.decode.as_secs_f64() / 1e6),
        ]);
        per_record_ns.push((
            t.encode.as_nanos() as f64 / records as f64,
            t.decode.as_nanos() as f64 / records as f64,
        ));
    }
    table.note("a benchmark, not a test: times depend on your CPU; sizes do not");
    if cfg!(debug_assertions) {
        table.note("this is a debug build: times are several times slower than optimized code; run `cargo run --release -p lab-rest -- json`");
    }
    let mut report = Report::new(crate::LAB, "json");
    report.table(table);
    report.chart(
        "json",
        BarChart::new("JSON cost per reading, by document size", "ns per reading")
            .categories(SIZES.iter().map(|&n| match n {
                1 => "1 reading".to_string(),
                n => format!("{n} readings"),
            }))
            .series("encode", per_record_ns.iter().map(|p| p.0))
            .series("decode", per_record_ns.iter().map(|p| p.1))
            .to_svg(),
    );
    report.value("bytes_per_reading", account(1_000)?.per_record());
    Ok(report)
}
