//! Scenario `kinds`: gRPC's four kinds of call, messages counted on the wire.
//!
//! Each kind is one HTTP/2 stream; what differs is how many gRPC messages
//! travel each way inside its DATA frames. The counts come from the bytes the
//! proxy recorded ([`crate::calls`]), not from what tonic reports.

use std::time::Duration;

use anyhow::Context;
use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::Proxy;

use crate::Lab;
use crate::calls::{self, Call};
use crate::client;
use crate::proto::v1::{ChatMessage, ImportRecord, WatchRequest};
use crate::server::{self, Options};
use crate::wire::sample_charge;

/// How many messages the streaming calls send.
pub const N: usize = 5;

/// One call kind as seen on the wire.
#[derive(Debug, Clone)]
pub struct Kind {
    pub name: &'static str,
    pub to_server: usize,
    pub to_client: usize,
    pub grpc_status: Option<i32>,
    pub stream_id: u32,
}

// ANCHOR: four
/// Makes one call of each kind on one connection and counts the messages
/// each way from the recorded bytes.
pub async fn measure() -> anyhow::Result<Vec<Kind>> {
    let server = server::spawn(Options::default()).await?;
    let proxy = Proxy::start(server.addr).await?;
    let mut client = client::payments(proxy.addr()).await?;

    // Unary: one message each way.
    client.charge(sample_charge(1)).await?;
    // Server streaming: one request, N events back.
    let request = WatchRequest {
        count: N as u32,
        interval_ms: 1,
    };
    let mut events = client.watch_events(request).await?.into_inner();
    while events.next().await.transpose()?.is_some() {}
    // Client streaming: N records in, one summary back.
    let records = (1..=N as i64).map(|i| ImportRecord {
        amount_cents: i * 100,
    });
    client.batch_import(futures::stream::iter(records)).await?;
    // Bidirectional: the client sends N, the server answers each.
    let (tx, rx) = tokio::sync::mpsc::channel(N);
    let mut replies = client
        .chat(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await?
        .into_inner();
    for i in 0..N {
        tx.send(ChatMessage {
            text: format!("message {i}"),
        })
        .await?;
        // Wait for the answer before sending the next: both sides talk
        // on the same stream, turn by turn.
        replies.next().await.context("the chat ended early")??;
    }
    drop(tx);
    while replies.next().await.transpose()?.is_some() {}
    drop((replies, events, client)); // close the connection: the recording is complete

    proxy.wait_closed(Duration::from_secs(5)).await;

    let recording = proxy.recording();
    let conn = recording.first().context("the proxy saw no connection")?;
    let calls = calls::calls(conn)?;
    let names = [
        "unary",
        "server streaming",
        "client streaming",
        "bidirectional",
    ];
    Ok(names
        .iter()
        .zip(&calls)
        .map(|(name, call): (&&str, &Call)| Kind {
            name,
            to_server: call.to_server.len(),
            to_client: call.to_client.len(),
            grpc_status: call.grpc_status(),
            stream_id: call.stream_id,
        })
        .collect())
}
// ANCHOR_END: four

/// The scenario, as `cargo run -p lab-grpc -- kinds` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "kinds",
    "unary, server, client and bidirectional streaming: messages counted on the wire",
    "every kind is one HTTP/2 stream; only the message counts differ",
);

/// The `kinds` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let kinds = measure().await?;
    let mut table = Table::new(
        "Four kinds of call on one connection, gRPC messages counted in the DATA frames",
        &[
            "kind",
            "HTTP/2 stream",
            "messages →",
            "messages ←",
            "grpc-status",
        ],
    );
    for k in &kinds {
        table.row([
            k.name.to_string(),
            k.stream_id.to_string(),
            k.to_server.to_string(),
            k.to_client.to_string(),
            k.grpc_status.map_or("-".into(), |s| s.to_string()),
        ]);
    }
    table.note("one stream per call, whatever its kind; the streams are 1, 3, 5, 7 because clients use odd ids");
    let mut report = Report::new(crate::LAB, "kinds");
    report.table(table);
    Ok(report)
}
