//! Scenario `readtime` (a benchmark): how long reading one amount from a
//! received ledger of 10,000 charges takes in each format, as ratios against
//! Cap'n Proto measured in the same run.

use std::hint::black_box;

use labkit::cli::Scenario;
use labkit::measure::{duration_ratio, fmt_ratio, human_duration, median_of, time_per_op};
use labkit::report::{Report, Table};

use crate::Lab;
use crate::zerocopy::{FORMATS, Received};

/// The scenario, as `cargo run -p lab-capnp -- readtime` runs it.
pub const SCENARIO: Scenario = Scenario::benchmark(
    "readtime",
    "time to read one amount from a 10,000-charge ledger, per format",
    "decoding everything costs time in proportion to the message, not the field",
);

/// Charges in the ledger read.
pub const CHARGES: u64 = 10_000;

/// The `readtime` benchmark: the median of 7 rounds per format.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let received = Received::ledger(CHARGES)?;
    let mut times = Vec::new();
    for f in 0..FORMATS.len() {
        received.read(f)?;
        let reps = if f >= 3 { 10_000 } else { 20 };
        times.push(median_of(7, || {
            time_per_op(reps, || {
                black_box(received.read(black_box(f)).ok());
            })
        }));
    }
    let floor = times[4];
    let mut table = Table::new(
        format!("One amount out of {CHARGES} charges (median of 7 rounds)"),
        &["format", "per read", "against Cap'n Proto"],
    );
    for (name, t) in FORMATS.iter().zip(&times) {
        table.row([
            name.to_string(),
            human_duration(*t),
            fmt_ratio(duration_ratio(*t, floor)),
        ]);
    }
    table.note("one process, one thread, measured side by side in this run");
    let mut report = Report::new(crate::LAB, "readtime");
    report.table(table);
    report.value(
        "ratios",
        times
            .iter()
            .map(|t| duration_ratio(*t, floor))
            .collect::<Vec<_>>(),
    );
    Ok(report)
}
