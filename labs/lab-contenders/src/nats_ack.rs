//! Scenario `nats-ack`: a JetStream consumer with explicit acknowledgement
//! gets again what it did not acknowledge, once the ack wait has passed.
//!
//! The server counts every message it hands to a consumer as pending until
//! the consumer acknowledges it. When `ack_wait` passes without one, the
//! message is delivered again, with its delivery count raised; a crashed
//! worker therefore loses nothing, and the work must tolerate being done
//! twice. The lab sets the ack wait to one second.

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};
use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::nats_client::{connect, private_server, within_10s};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- nats-ack` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "nats-ack",
    "JetStream acknowledgements: the one message left unacknowledged comes back",
    "an unacknowledged message is delivered again after the ack wait",
);

/// The consumer's ack wait.
pub const ACK_WAIT: Duration = Duration::from_secs(1);

/// One delivery: which message, its delivery count, and whether the
/// worker acknowledged it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub round: u8,
    pub sequence: u64,
    pub delivered: i64,
    pub acked: bool,
}

/// Three charges; the worker acknowledges the first and the third, then
/// fetches again after the ack wait.
pub async fn deliveries() -> anyhow::Result<Vec<Delivery>> {
    let server = private_server().await?;
    let js = jetstream::new(connect(server.url()).await?);
    let stream = js
        .create_stream(stream::Config {
            name: "WORK".into(),
            subjects: vec!["work.>".into()],
            ..Default::default()
        })
        .await?;
    for n in 1..=3 {
        js.publish("work.charge", format!("charge {n}").into())
            .await?
            .await?;
    }
    // ANCHOR: consumer
    let worker = stream
        .create_consumer(consumer::pull::Config {
            durable_name: Some("worker".into()),
            ack_policy: consumer::AckPolicy::Explicit,
            ack_wait: ACK_WAIT,
            ..Default::default()
        })
        .await?;
    // ANCHOR_END: consumer
    let mut out = Vec::new();
    for round in 1..=2u8 {
        if round == 2 {
            // A wait to pass the ack wait, not a measurement.
            tokio::time::sleep(ACK_WAIT * 2).await;
        }
        let mut batch = worker
            .fetch()
            .max_messages(10)
            .expires(Duration::from_millis(500))
            .messages()
            .await?;
        while let Some(m) = within_10s(batch.next()).await? {
            let m = m.map_err(|e| anyhow::anyhow!("{e}"))?;
            let info = m.info().map_err(|e| anyhow::anyhow!("{e}"))?;
            let (sequence, delivered) = (info.stream_sequence, info.delivered);
            // ANCHOR: ack
            let acked = !(round == 1 && sequence == 2); // the worker "crashes" on #2
            if acked {
                m.ack().await.map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            // ANCHOR_END: ack
            out.push(Delivery {
                round,
                sequence,
                delivered,
                acked,
            });
        }
    }
    Ok(out)
}

/// The `nats-ack` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let deliveries = deliveries().await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut table = Table::new(
        "Three charges, explicit acks, ack wait 1 s; #2 is never acknowledged in round 1",
        &["fetch", "stream sequence", "delivery count", "acknowledged"],
    );
    for d in &deliveries {
        table.row([
            d.round.to_string(),
            d.sequence.to_string(),
            d.delivered.to_string(),
            d.acked.to_string(),
        ]);
    }
    report.table(table);
    report.value("deliveries", deliveries.len());
    Ok(report)
}
