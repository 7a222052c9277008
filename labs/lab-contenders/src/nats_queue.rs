//! Scenario `nats-queue`: a queue group spreads messages over its members.
//!
//! Subscribers that name the same queue group on `SUB` share the subject:
//! the server hands each message to one member of the group, chosen at
//! random, while an ordinary subscriber to the same subject still gets
//! every message. No queue is declared anywhere: the group exists as long
//! as one member is subscribed.

use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::nats_client::{connect, ready, round_trip, run_prefix};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- nats-queue` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "nats-queue",
    "NATS queue groups: three workers share the charges, a monitor sees them all",
    "each message goes to one member of the group; plain subscribers still get all",
);

/// Charges published to the group's subject.
pub const CHARGES: usize = 300;

/// What the workers and the monitor received.
pub struct Spread {
    /// Charges each worker handled.
    pub per_worker: Vec<usize>,
    /// Charges handled by more than one worker.
    pub handled_twice: usize,
    /// Charges the monitor (a plain subscriber) saw.
    pub monitor: usize,
}

/// Publishes [`CHARGES`] charges to a group of `workers` and a monitor.
pub async fn spread(url: &str, workers: usize) -> anyhow::Result<Spread> {
    let client = connect(url).await?;
    let subject = format!("{}.charge", run_prefix("queue"));
    // ANCHOR: group
    let mut members = Vec::new();
    for _ in 0..workers {
        members.push(
            client
                .queue_subscribe(subject.clone(), "workers".into())
                .await?,
        );
    }
    let mut monitor = client.subscribe(subject.clone()).await?;
    for n in 0..CHARGES {
        client
            .publish(subject.clone(), n.to_string().into())
            .await?;
    }
    // ANCHOR_END: group
    round_trip(&client).await?;
    let mut seen = vec![0usize; CHARGES];
    let mut per_worker = Vec::new();
    for mut member in members {
        let handled = ready(&mut member);
        for m in &handled {
            let n: usize = String::from_utf8_lossy(&m.payload).parse()?;
            seen[n] += 1;
        }
        per_worker.push(handled.len());
    }
    let watched = ready(&mut monitor).len();
    Ok(Spread {
        per_worker,
        handled_twice: seen.iter().filter(|&&k| k > 1).count(),
        monitor: watched,
    })
}

/// The `nats-queue` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.nats().await?;
    let s = spread(broker.url(), 3).await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut table = Table::new(
        format!("{CHARGES} charges to a queue group of 3 and one plain subscriber"),
        &["subscriber", "charges received"],
    );
    for (i, n) in s.per_worker.iter().enumerate() {
        table.row([
            format!("worker {} (group \"workers\")", i + 1),
            n.to_string(),
        ]);
    }
    table.row(["monitor (no group)".to_string(), s.monitor.to_string()]);
    table.note(format!(
        "handled by the group: {} · handled twice: {}",
        s.per_worker.iter().sum::<usize>(),
        s.handled_twice
    ));
    report.table(table);
    report.value("per_worker", &s.per_worker);
    report.value("monitor", s.monitor);
    Ok(report)
}
