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
//! Right after connecting that is a race with the server's SETTINGS frame;
//! the scenario makes the client lose it every time by having the proxy hold
//! the server's frames back while the burst goes out.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy, http2};

use crate::Lab;
use crate::client;
use crate::server::{self, Options};
use crate::wire::sample_charge;

/// What one batch of concurrent calls showed.
#[derive(Debug, Clone)]
pub struct Batch {
    pub calls: usize,
    pub succeeded: usize,
    pub connections: usize,
    /// Streams the client opened, counted on the wire (a retried call would
    /// open one more).
    pub client_streams: usize,
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

/// When the burst leaves, against the server's SETTINGS frame (the first
/// frame a server sends, which carries its stream limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// After one call has completed: the client has read the limit.
    Warm,
    /// Before the client can have read the limit: the proxy holds every
    /// frame from the server back for [`HELD_BACK`], so the whole burst is
    /// on its way first. (Right after connecting, without the proxy's help,
    /// it is a race, won or lost from run to run.)
    SettingsHeldBack,
}

/// How long [`Start::SettingsHeldBack`] delays the server's frames.
pub const HELD_BACK: Duration = Duration::from_millis(300);

// ANCHOR: batch
/// Sends `calls` concurrent `Charge` calls, each held `hold` by the server,
/// on one channel through a proxy, to a server announcing `limit`, starting
/// the burst as `start` says.
pub async fn batch(
    calls: usize,
    hold: Duration,
    limit: Option<u32>,
    start: Start,
) -> anyhow::Result<Batch> {
    let server = server::spawn(Options {
        max_concurrent_streams: limit,
        ..Options::default()
    })
    .await?;
    let proxy = Proxy::start(server.addr).await?;
    if start == Start::SettingsHeldBack {
        proxy.faults().set_delay(Direction::ToClient, HELD_BACK);
    }
    let client = client::payments(proxy.addr()).await?;
    if start == Start::Warm {
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
    let conn = recording.first().context("the proxy saw no connection")?;
    let server_frames = http2::parse(&conn.stream(Direction::ToClient)).units;
    let client_frames = http2::parse(&conn.stream(Direction::ToServer)).units;
    Ok(Batch {
        calls,
        succeeded: answers.iter().filter(|a| a.is_ok()).count(),
        connections: proxy.connections_opened(),
        client_streams: http2::streams(&client_frames).len(),
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

/// The stream limit the HTTP/2 server at `addr` announces in its SETTINGS
/// frame, read off the wire (`None`: it announces none). Any h2c server
/// will do: one gRPC call through a proxy opens the connection, and the
/// call's own outcome does not matter.
pub async fn announced_limit(addr: std::net::SocketAddr) -> anyhow::Result<Option<u32>> {
    let proxy = Proxy::start(addr).await?;
    let mut client = client::payments(proxy.addr()).await?;
    let _ = client.charge(sample_charge(0)).await;
    drop(client);
    proxy.wait_closed(Duration::from_secs(5)).await;
    let recording = proxy.recording();
    let conn = recording.first().context("the proxy saw no connection")?;
    let frames = http2::parse(&conn.stream(Direction::ToClient)).units;
    Ok(http2::max_concurrent_streams(&frames))
}

/// The scenario, as `cargo run -p lab-grpc -- multiplex` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "multiplex",
    "100 concurrent calls on one connection, then a server limit of 10 streams",
    "one TCP connection every time; past a limit the client knows, calls wait instead of failing",
);

/// The `multiplex` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let hold = Duration::from_millis(200);
    let open = batch(100, hold, None, Start::Warm).await?;
    let limited = batch(100, hold, Some(10), Start::Warm).await?;
    let cold = batch(100, hold, Some(10), Start::SettingsHeldBack).await?;
    let mut table = Table::new(
        "100 concurrent unary calls, each held 200 ms by the server, on one channel",
        &[
            "server",
            "announced",
            "conns",
            "ok",
            "peak",
            "time",
            "RST_STREAM sent",
        ],
    );
    let rows = [
        ("no limit", &open),
        ("limit 10", &limited),
        ("limit 10, burst", &cold),
    ];
    for (what, b) in rows {
        table.row([
            what.to_string(),
            b.announced_limit.map_or("none".into(), |l| l.to_string()),
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
    table.note("announced: SETTINGS_MAX_CONCURRENT_STREAMS on the wire; conns: TCP connections; ok: calls that succeeded; peak: most calls in the server's handlers at once");
    table.note(
        "limit 10, burst: the client sent all its calls before it had read the server's SETTINGS",
    );
    for (failure, n) in &cold.failures {
        table.note(format!(
            "burst before SETTINGS: {n} calls failed with {failure}"
        ));
    }
    let axum = announced_limit(lab.baseline().await?.addr()).await?;
    table.note(format!(
        "tonic's server announces no limit unless told to; Chapter 1's server (hyper under axum) announces {}",
        axum.map_or("none".into(), |l| l.to_string())
    ));
    table.note("once the client knows the limit, nothing fails past it: the extra streams wait their turn (about 100/10 × 200 ms)");
    table.note(format!(
        "in the last row the proxy held the server's frames back {} ms, so the client sent the whole burst before it could read the limit; the server refused the streams past it (RST_STREAM 0x7 REFUSED_STREAM) and tonic retried none",
        HELD_BACK.as_millis()
    ));
    let mut report = Report::new(crate::LAB, "multiplex");
    report.table(table);
    Ok(report)
}
