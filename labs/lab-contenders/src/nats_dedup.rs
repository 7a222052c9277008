//! Scenario `nats-dedup`: JetStream drops a publish whose `Nats-Msg-Id` it
//! has already stored within the stream's duplicate window.
//!
//! A publisher that timed out waiting for an acknowledgement cannot know
//! whether its message was stored; it publishes again with the same id. The
//! server remembers the ids of the last `duplicate_window` (two minutes by
//! default) and answers a repeat with an acknowledgement marked
//! `duplicate`, storing nothing. Past the window the id is forgotten and a
//! repeat is stored again, so the window must outlast the publisher's
//! retries. The lab shortens it to one second to show both sides.

use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream::{self, context::Context, stream};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::nats_client::{connect, private_server};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- nats-dedup` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "nats-dedup",
    "JetStream de-duplication by Nats-Msg-Id: within the window and past it",
    "a repeat within the window is acknowledged as a duplicate and not stored",
);

/// The duplicate window the lab gives its stream.
pub const WINDOW: Duration = Duration::from_secs(1);

/// One publish and the server's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub when: &'static str,
    pub msg_id: &'static str,
    pub sequence: u64,
    pub duplicate: bool,
    /// Messages in the stream after this publish.
    pub stored: u64,
}

// ANCHOR: publish
/// Publishes one charge with `msg_id` as its `Nats-Msg-Id` header.
async fn publish(js: &Context, msg_id: &str) -> anyhow::Result<(u64, bool)> {
    let mut headers = HeaderMap::new();
    headers.insert("Nats-Msg-Id", msg_id);
    let ack = js
        .publish_with_headers("pay.charge", headers, "1250 EUR".into())
        .await?
        .await?;
    Ok((ack.sequence, ack.duplicate))
}
// ANCHOR_END: publish

/// The four publishes: an id, the same id at once, another id, the first
/// id again after twice the window.
pub async fn attempts() -> anyhow::Result<Vec<Attempt>> {
    let server = private_server().await?;
    let js = jetstream::new(connect(server.url()).await?);
    let mut stream = js
        .create_stream(stream::Config {
            name: "PAY".into(),
            subjects: vec!["pay.>".into()],
            duplicate_window: WINDOW,
            ..Default::default()
        })
        .await?;
    let plan = [
        ("first", "ch-1", Duration::ZERO),
        ("at once", "ch-1", Duration::ZERO),
        ("at once", "ch-2", Duration::ZERO),
        (
            "after 2 windows",
            "ch-1",
            WINDOW * 2 + Duration::from_millis(500),
        ),
    ];
    let mut out = Vec::new();
    for (when, msg_id, wait) in plan {
        // A wait to cross the window, not a measurement.
        tokio::time::sleep(wait).await;
        let (sequence, duplicate) = publish(&js, msg_id).await?;
        let stored = stream.info().await?.state.messages;
        out.push(Attempt {
            when,
            msg_id,
            sequence,
            duplicate,
            stored,
        });
    }
    Ok(out)
}

/// The `nats-dedup` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let attempts = attempts().await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut table = Table::new(
        "Publishes with a Nats-Msg-Id, duplicate window 1 s",
        &[
            "when",
            "Nats-Msg-Id",
            "ack: sequence",
            "ack: duplicate",
            "stored",
        ],
    );
    for a in &attempts {
        table.row([
            a.when.to_string(),
            a.msg_id.to_string(),
            a.sequence.to_string(),
            a.duplicate.to_string(),
            a.stored.to_string(),
        ]);
    }
    report.table(table);
    report.value(
        "stored",
        attempts.iter().map(|a| a.stored).collect::<Vec<_>>(),
    );
    Ok(report)
}
