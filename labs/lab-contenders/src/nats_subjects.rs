//! Scenario `nats-subjects`: who receives what when subscriptions use the
//! wildcards `*` (exactly one token) and `>` (one or more tokens, only last).
//!
//! Subjects are dot-separated tokens the publisher makes up: no exchange,
//! no queue, no declaration. Each subscription below is one `SUB` line;
//! the server matches every `PUB` against all of them.

use std::collections::BTreeMap;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::nats_client::{connect, ready, round_trip, run_prefix};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- nats-subjects` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "nats-subjects",
    "NATS subjects: which subscriptions a `*` and a `>` wildcard match",
    "`*` stands for exactly one token, `>` for one or more at the end",
);

/// The subscriptions, after the run's prefix.
pub const PATTERNS: [&str; 4] = ["charge.EUR", "charge.*", "charge.>", "*.EUR"];
/// The subjects published to, once each, after the run's prefix.
pub const SUBJECTS: [&str; 4] = [
    "charge.EUR",
    "charge.USD",
    "charge.EUR.refund",
    "refund.EUR",
];

/// For each pattern, the subjects it received, in publish order.
pub async fn matches(url: &str) -> anyhow::Result<BTreeMap<&'static str, Vec<String>>> {
    let client = connect(url).await?;
    let prefix = run_prefix("subjects");
    let mut subs = Vec::new();
    // ANCHOR: subscribe
    for pattern in PATTERNS {
        subs.push((
            pattern,
            client.subscribe(format!("{prefix}.{pattern}")).await?,
        ));
    }
    for subject in SUBJECTS {
        client
            .publish(format!("{prefix}.{subject}"), "1250 EUR".into())
            .await?;
    }
    round_trip(&client).await?;
    // ANCHOR_END: subscribe
    let mut out = BTreeMap::new();
    for (pattern, mut sub) in subs {
        let got = ready(&mut sub)
            .into_iter()
            .map(|m| {
                m.subject
                    .trim_start_matches(&format!("{prefix}."))
                    .to_owned()
            })
            .collect();
        out.insert(pattern, got);
    }
    Ok(out)
}

/// The `nats-subjects` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.nats().await?;
    let got = matches(broker.url()).await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut table = Table::new(
        "One message to each subject; what each subscription received",
        &["subscription", "received", "count"],
    );
    for pattern in PATTERNS {
        let subjects = &got[pattern];
        table.row([
            pattern.to_string(),
            subjects.join(", "),
            subjects.len().to_string(),
        ]);
    }
    table.note("subjects: charge.EUR, charge.USD, charge.EUR.refund, refund.EUR");
    report.table(table);
    report.value("matches", &got);
    Ok(report)
}
