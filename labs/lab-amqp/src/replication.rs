//! What replication costs: confirmed publishing to a quorum queue on three
//! nodes against a classic queue on one, measured side by side in one run
//! on the same cluster. A benchmark, run on request; no test times it.
//!
//! A quorum queue confirms only after a majority has written the message
//! to its log and fsynced it; a classic queue confirms after its one node
//! has it. On one machine the "network" is loopback and the three nodes
//! share two cores and one disk, so the ratio here is a floor on the
//! difference, not a forecast for separate machines.

use labkit::cli::Scenario;
use labkit::measure::{Rounds, fmt_ratio, human_count};
use labkit::report::{Report, Table};

use crate::Lab;
use crate::throughput::{Variant, rate};

/// The benchmark, run only as `cargo run -p lab-amqp -- replication`.
pub const SCENARIO: Scenario = Scenario::benchmark(
    "replication",
    "confirmed publishing: quorum queue on 3 nodes vs classic queue on 1 (private cluster)",
    "the ratio between the two rows",
);

const CLASSIC: Variant = Variant {
    label: "classic queue, 1 node",
    persistent: true,
    confirms: true,
    quorum: false,
};
const QUORUM: Variant = Variant {
    label: "quorum queue, 3 nodes",
    persistent: true,
    confirms: true,
    quorum: true,
};

/// The scenario: three interleaved rounds through node 1; medians.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let cluster = lab.cluster().await?;
    let url = cluster.node(0).url();
    let n = 5_000;
    let mut rounds = Rounds::new();
    for _ in 0..3 {
        rounds.push([rate(url, CLASSIC, n).await?, rate(url, QUORUM, n).await?]);
    }
    let rates = rounds.medians().expect("three rounds ran");
    let mut t = Table::new(
        format!("{n} persistent 1 KiB messages with confirms, median of 3 rounds"),
        &["queue", "messages/s", "against classic"],
    );
    for (v, r) in [CLASSIC, QUORUM].iter().zip(&rates) {
        t.row([
            v.label.to_string(),
            human_count(*r),
            fmt_ratio(r / rates[0]),
        ]);
    }
    t.note("three nodes on one machine share its cores and disk: a floor, not a forecast");
    let mut report = Report::new(crate::LAB, "replication");
    report.table(t);
    Ok(report)
}
