//! Scenario `nats-away`: core NATS delivers at most once, to whoever is
//! subscribed at that moment.
//!
//! A subscriber that is disconnected while charges are published never
//! sees them: the server keeps no message for anyone and acknowledges
//! nothing, so the publisher cannot tell. Keeping messages for absent
//! consumers is JetStream's job (the `nats-stream` scenario).

use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::nats_client::{connect, delivered, ready, round_trip, run_prefix};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- nats-away` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "nats-away",
    "At most once: a subscriber that is away misses what was published meanwhile",
    "core NATS stores nothing; the publisher is never told",
);

/// Charges published in each phase: before, during and after the absence.
pub const PER_PHASE: usize = 50;

/// What the subscriber received, per phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Absence {
    pub before: usize,
    pub while_away: usize,
    pub after: usize,
    /// Publishes that returned an error (none: nobody tells the publisher).
    pub publish_errors: usize,
}

/// Publishes three phases of charges: the subscriber is connected for
/// the first, gone for the second, back (a new connection, the same
/// subject) for the third; it counts what it received from each phase.
pub async fn absence(url: &str) -> anyhow::Result<Absence> {
    let subject = format!("{}.charge", run_prefix("away"));
    let publisher = connect(url).await?;
    let mut counts = [0usize; 3];
    let mut publish_errors = 0;
    let mut publish_phase = async |phase: usize| -> anyhow::Result<()> {
        for n in 0..PER_PHASE {
            let sent = publisher.publish(subject.clone(), format!("{phase}:{n}").into());
            publish_errors += usize::from(sent.await.is_err());
        }
        Ok(publisher.flush().await?)
    };
    // ANCHOR: away
    let first = connect(url).await?;
    let mut sub = first.subscribe(subject.clone()).await?;
    round_trip(&first).await?; // subscribed
    publish_phase(0).await?;
    delivered(&publisher, &first).await?;
    let mut received = ready(&mut sub);
    first.drain().await?; // the subscriber goes away...
    publish_phase(1).await?;
    let back = connect(url).await?; // ...and comes back
    let mut sub = back.subscribe(subject.clone()).await?;
    round_trip(&back).await?;
    publish_phase(2).await?;
    delivered(&publisher, &back).await?;
    received.extend(ready(&mut sub));
    // ANCHOR_END: away
    for m in received {
        let phase = m
            .payload
            .first()
            .map_or(9, |b| usize::from(b.wrapping_sub(b'0')));
        if let Some(c) = counts.get_mut(phase) {
            *c += 1;
        }
    }
    Ok(Absence {
        before: counts[0],
        while_away: counts[1],
        after: counts[2],
        publish_errors,
    })
}

/// The `nats-away` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.nats().await?;
    let a = absence(broker.url()).await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut table = Table::new(
        format!("{PER_PHASE} charges per phase; the subscriber is away in the second"),
        &["phase", "published", "received"],
    );
    table.row([
        "subscribed".to_string(),
        PER_PHASE.to_string(),
        a.before.to_string(),
    ]);
    table.row([
        "away".to_string(),
        PER_PHASE.to_string(),
        a.while_away.to_string(),
    ]);
    table.row([
        "back".to_string(),
        PER_PHASE.to_string(),
        a.after.to_string(),
    ]);
    table.note(format!(
        "publishes that reported an error: {}",
        a.publish_errors
    ));
    report.table(table);
    report.value("received", [a.before, a.while_away, a.after]);
    Ok(report)
}
