//! Scenario `drain`: shutting a WebSocket server down without losing
//! events.
//!
//! A draining server sends what its clients have not had yet, then a close
//! frame with code 1001 ("going away"). The client takes that as "connect
//! somewhere else" and reconnects to another server with the id of the last
//! event it holds; that server starts right after it. The two servers share
//! the event log (here, one in-process log standing in for a database or a
//! Redis stream), which is what makes the hand-over lossless.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

use crate::Lab;
use crate::server::{self, Hub, RunningServer};

/// The scenario, as `cargo run -p lab-realtime -- drain` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "drain",
    "a server shuts down with close 1001; its client resumes on another server",
    "the ids received from each server: none lost, none twice",
);

/// What the client saw across the hand-over.
#[derive(Debug, Clone)]
pub struct Handover {
    /// Ids received from the first server, then from the second.
    pub from_first: Vec<u64>,
    pub from_second: Vec<u64>,
    /// The close code and reason the first server sent.
    pub close_code: Option<u16>,
    pub close_reason: String,
    /// Every id published.
    pub published: Vec<u64>,
}

async fn spawn_pair() -> anyhow::Result<(RunningServer, RunningServer)> {
    let log = Arc::new(lab_rest::baseline::State::default());
    let a = server::spawn(
        TcpListener::bind("127.0.0.1:0").await?,
        Hub::new(log.clone(), None),
    )
    .await?;
    let b = server::spawn(TcpListener::bind("127.0.0.1:0").await?, Hub::new(log, None)).await?;
    Ok((a, b))
}

// ANCHOR: handover
/// A client on server A receives events; A drains while events keep
/// coming; the client moves to B from the last id it holds.
pub async fn handover(events: usize) -> anyhow::Result<Handover> {
    let (a, b) = spawn_pair().await?;
    let url = |s: &RunningServer, after: u64| format!("ws://{}/ws/events?after={after}", s.addr);
    let (mut ws, _) = tokio_tungstenite::connect_async(url(&a, 0)).await?;
    let mut published = Vec::new();
    let half = events / 2;
    for _ in 0..half {
        published.push(a.hub.publish("door-opened").id);
    }
    a.hub.drain();
    let (mut from_first, mut close_code, mut close_reason) = (Vec::new(), None, String::new());
    while let Some(msg) = ws.next().await {
        match msg? {
            Message::Text(t) => from_first.push(serde_json::from_str::<domain::Event>(&t)?.id),
            Message::Close(Some(f)) => {
                close_code = Some(u16::from(f.code));
                close_reason = f.reason.to_string();
                break;
            }
            _ => {}
        }
    }
    a.stop();
    // Events keep coming while the client is between servers.
    for _ in half..events {
        published.push(b.hub.publish("door-opened").id);
    }
    // ANCHOR: resume_from
    let last = from_first.last().copied().unwrap_or(0);
    let (mut ws, _) = tokio_tungstenite::connect_async(url(&b, last)).await?;
    // ANCHOR_END: resume_from
    let mut from_second = Vec::new();
    while from_first.len() + from_second.len() < events {
        let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(2), ws.next()).await else {
            break;
        };
        if let Message::Text(t) = msg? {
            from_second.push(serde_json::from_str::<domain::Event>(&t)?.id);
        }
    }
    Ok(Handover {
        from_first,
        from_second,
        close_code,
        close_reason,
        published,
    })
}
// ANCHOR_END: handover

/// The `drain` scenario: it starts its own pair of servers.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let h = handover(10).await.context("the drain hand-over failed")?;
    let mut table = Table::new(
        "A server drains; its client moves to another",
        &["", "value"],
    );
    table.row(["published", &format!("{:?}", h.published)]);
    table.row(["received from server A", &format!("{:?}", h.from_first)]);
    table.row([
        "A's close frame",
        &format!("{:?} {:?}", h.close_code, h.close_reason),
    ]);
    table.row(["received from server B", &format!("{:?}", h.from_second)]);
    let mut report = Report::new(crate::LAB, "drain");
    report.table(table);
    report.value(
        "handover",
        json!({"a": h.from_first, "b": h.from_second, "close": h.close_code}),
    );
    Ok(report)
}
