//! Scenario `nats-stream`: a JetStream stream keeps what core NATS drops.
//!
//! A stream captures every message published to its subjects into a log
//! (here on disk), and the server answers each publish with an
//! acknowledgement naming the stream and the message's sequence number.
//! The log survives a restart of the server; a consumer can start reading
//! it anywhere, for instance from a sequence number. A private server is
//! used, because the scenario restarts it.

use async_nats::jetstream::{self, consumer, stream};
use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::nats_client::{connect, private_server, within_10s};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- nats-stream` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "nats-stream",
    "JetStream: a stream survives a server restart; a consumer replays from sequence 7",
    "each publish is acknowledged with its sequence number; the log is on disk",
);

/// Charges published before the restart.
pub const CHARGES: u64 = 10;
/// Where the replaying consumer starts.
pub const START_AT: u64 = 7;

/// What the stream held and what the consumer read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survival {
    /// Sequence numbers the server acknowledged, in publish order.
    pub acked: Vec<u64>,
    /// Messages in the stream after the restart.
    pub after_restart: u64,
    /// Sequence numbers the consumer started at [`START_AT`] read.
    pub replayed: Vec<u64>,
}

// ANCHOR: stream
/// The stream every charge is kept in: subjects `charges.>`, on disk.
pub fn charges_stream() -> stream::Config {
    stream::Config {
        name: "CHARGES".into(),
        subjects: vec!["charges.>".into()],
        storage: stream::StorageType::File,
        ..Default::default()
    }
}
// ANCHOR_END: stream

/// Publishes [`CHARGES`] charges, restarts the server, then replays.
pub async fn survive_restart() -> anyhow::Result<Survival> {
    let mut server = private_server().await?;
    let js = jetstream::new(connect(server.url()).await?);
    js.create_stream(charges_stream()).await?;
    let mut acked = Vec::new();
    for n in 1..=CHARGES {
        // ANCHOR: publish
        let ack = js
            .publish("charges.EUR", format!("charge {n}").into())
            .await?
            .await?;
        acked.push(ack.sequence);
        // ANCHOR_END: publish
    }
    server.restart().await?;

    let js = jetstream::new(connect(server.url()).await?);
    let mut stream = js.get_stream("CHARGES").await?;
    let after_restart = stream.info().await?.state.messages;
    // ANCHOR: replay
    let reader = stream
        .create_consumer(consumer::pull::Config {
            deliver_policy: consumer::DeliverPolicy::ByStartSequence {
                start_sequence: START_AT,
            },
            ..Default::default()
        })
        .await?;
    let mut messages = reader.fetch().max_messages(100).messages().await?;
    // ANCHOR_END: replay
    let mut replayed = Vec::new();
    while let Some(m) = within_10s(messages.next()).await? {
        let m = m.map_err(|e| anyhow::anyhow!("{e}"))?;
        replayed.push(
            m.info()
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .stream_sequence,
        );
        m.ack().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(Survival {
        acked,
        after_restart,
        replayed,
    })
}

/// The `nats-stream` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let s = survive_restart().await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut table = Table::new(
        "A JetStream stream across a restart",
        &["step", "what we saw"],
    );
    let seqs = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(" ");
    table.row([
        "publish 10 charges: acknowledged sequences".into(),
        seqs(&s.acked),
    ]);
    table.row([
        "restart the server (SIGINT, start)".to_string(),
        String::new(),
    ]);
    table.row([
        "messages in the stream".to_string(),
        s.after_restart.to_string(),
    ]);
    table.row([
        format!("consumer from sequence {START_AT} reads"),
        seqs(&s.replayed),
    ]);
    report.table(table);
    report.value("after_restart", s.after_restart);
    report.value("replayed", &s.replayed);
    Ok(report)
}
