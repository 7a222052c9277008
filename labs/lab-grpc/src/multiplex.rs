//! Scenario `multiplex`: a hundred concurrent calls on one TCP connection,
//! and the server's stream limit read off the wire.
//!
//! First the calls go to a server that announces no limit of its own: the
//! proxy counts one connection, and the server sees them all at once. Then
//! the server announces `SETTINGS_MAX_CONCURRENT_STREAMS = 10`: the decoder
//! reads the number from its SETTINGS frame, and once the client has read
//! that frame the same hundred calls all still succeed — the client holds
//! back the streams past the limit until earlier ones finish, so the server
//! never has more than ten in hand. A burst sent before the client has read
//! the limit is another story: the server refuses the streams past it with
//! RST_STREAM (REFUSED_STREAM), and tonic reports those calls UNAVAILABLE.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy, http2};

use crate::client;
use crate::server::{self, Options};
use crate::wire::sample_charge;
use labkit::cli::Scenario;

use crate::Lab;

/// What one batch of concurrent calls showed.
#[derive(Debug, Clone)]
pub struct Batch {
    pub calls: usize,
    pub succeeded: usize,
    pub connections: usize,
    /// The limit the server announced in SETTINGS, read off the wire.
    pub announced_limit: Option<u32>,
    /// The most calls the server had in its handlers at once.
    pub server_max_in_flight: u64,
    pub elapsed: Duration,
    /// Failed calls by status code and message.
    pub failures: std::collections::BTreeMap<String, usize>,
    /// RST_STREAM frames the server sent, by error code (0x7: REFUSED_STREAM).
    pub server_resets: std::collections::BTreeMap<u32, usize>,
}

// ANCHOR: batch
/// Sends `calls` concurrent `Charge` calls, each held `hold` by the server,
/// on one channel through a proxy, to a server announcing `limit`. With
/// `warm`, one call goes first, so the client has read the server's SETTINGS
/// (the first frame a server sends) before the burst.
pub async fn batch(
    calls: usize,
    hold: Duration,
    limit: Option<u32>,
    warm: bool,
) -> anyhow::Result<Batch> {
    let server = server::spawn(Options {
        max_concurrent_streams: limit,
        ..Options::default()
    })
    .await?;
    let proxy = Proxy::start(server.addr).await?;
    let client = client::payments(proxy.addr()).await?;
    if warm {
        client.clone().charge(sample_charge(0)).await?;
        server.stats.max_in_flight.store(0, Ordering::SeqCst);
    }
    let started = Instant::now();
    let answers = futures::future::join_all((0..calls).map(|i| {
        let mut client = client.clone(); // a clone shares the connection
        async move {
            client
                .charge(client::held(sample_charge(i as u32), hold))
                .await
        }
    }))
    .await;
    let elapsed = started.elapsed();
    let recording = proxy.recording();
    let mut failures = std::collections::BTreeMap::new();
    for a in &answers {
        if let Err(status) = a {
            *failures
                .entry(format!("{:?}: {}", status.code(), status.message()))
                .or_insert(0) += 1;
        }
    }
    let server_frames = http2::parse(
        &recording
            .first()
            .context("the proxy saw no connection")?
            .stream(Direction::ToClient),
    )
    .units;
    Ok(Batch {
        calls,
        succeeded: answers.iter().filter(|a| a.is_ok()).count(),
        connections: proxy.connections_opened(),
        announced_limit: http2::max_concurrent_streams(&server_frames),
        server_max_in_flight: server.stats.max_in_flight.load(Ordering::SeqCst),
        elapsed,
        failures,
        server_resets: server_frames
            .iter()
            .filter_map(|f| {
                f.error_code()
                    .filter(|_| f.kind == http2::FrameType::RstStream)
            })
            .fold(std::collections::BTreeMap::new(), |mut m, c| {
                *m.entry(c).or_insert(0) += 1;
                m
            }),
    })
}
// ANCHOR_END: batch

/// The scenario, as `cargo run -p lab-grpc -- multiplex` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "multiplex",
    "100 concurrent calls on one connection, then a server limit of 10 streams",
    "one TCP connection either way; past the limit calls wait instead of failing",
);

/// The `multiplex` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let hold = Duration::from_millis(200);
    let open = batch(100, hold, None, true).await?;
    let limited = batch(100, hold, Some(10), true).await?;
    let cold = batch(100, hold, Some(10), false).await?;
    let mut table = Table::new(
        "100 concurrent unary calls, each held 200 ms by the server, on one channel",
        &[
            "server",
            "limit on the wire",
            "TCP connections",
            "succeeded",
            "max in server at once",
            "time",
            "server's RST_STREAM codes",
        ],
    );
    let rows = [
        ("no limit set", &open),
        ("limit 10, client has read SETTINGS", &limited),
        ("limit 10, burst right after connecting", &cold),
    ];
    for (what, b) in rows {
        table.row([
            what.to_string(),
            b.announced_limit
                .map_or("none announced".into(), |l| l.to_string()),
            b.connections.to_string(),
            format!("{}/{}", b.succeeded, b.calls),
            b.server_max_in_flight.to_string(),
            labkit::measure::human_duration(b.elapsed),
            b.server_resets
                .iter()
                .map(|(code, n)| format!("{n}× 0x{code:x}"))
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    for (failure, n) in &cold.failures {
        table.note(format!(
            "burst right after connecting: {n} calls failed with {failure}"
        ));
    }
    table.note("once the client knows the limit, nothing fails past it: the extra streams wait their turn (about 100/10 × 200 ms)");
    table.note("streams opened before the client has read the limit are refused (RST_STREAM 0x7 REFUSED_STREAM); how many depends on timing");
    let mut report = Report::new(crate::LAB, "multiplex");
    report.table(table);
    Ok(report)
}
