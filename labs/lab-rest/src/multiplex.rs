//! Scenario `multiplex`: many requests at once over HTTP/1.1 and over HTTP/2.
//!
//! HTTP/1.1 carries one request at a time per connection, so concurrency
//! costs connections: a client either opens one per request in flight or, as
//! browsers do (about six per host), queues requests behind a few. HTTP/2
//! interleaves many streams on one connection. The proxy counts connections;
//! the server counts how many requests it had in flight at once.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::measure::Latencies;
use labkit::report::{BarChart, Report, Table};
use labkit::wire::Proxy;
use tokio::sync::Mutex;
use tokio::task::JoinSet;

use crate::Lab;
use crate::client::{self, Http1Conn, Http2Conn, failed};
use crate::server::Stats;
use crate::target::Target;

/// The scenario, as `cargo run -p lab-rest -- multiplex` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "multiplex",
    "100 concurrent requests over HTTP/1.1 (unbounded, 6 lanes) and HTTP/2",
    "connections used, and how long the last request waits with only six lanes",
);

/// How a client spreads concurrent requests over connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// HTTP/1.1, a new connection whenever none is idle.
    Http1Unbounded,
    /// HTTP/1.1 with a fixed number of connections, requests queued behind
    /// them, as a browser does with its ~6 connections per host.
    Http1Lanes(usize),
    /// HTTP/2: every request a stream on one connection.
    Http2,
}

impl Strategy {
    pub fn label(&self) -> String {
        match self {
            Strategy::Http1Unbounded => "HTTP/1.1, as many connections as needed".into(),
            Strategy::Http1Lanes(n) => format!("HTTP/1.1, {n} connections (browser-like)"),
            Strategy::Http2 => "HTTP/2 (h2c), one connection".into(),
        }
    }
}

/// What one strategy cost for the same batch of requests.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub strategy: Strategy,
    pub connections: usize,
    pub server_max_in_flight: usize,
    pub latencies: Latencies,
    pub elapsed: Duration,
}

/// Sends `requests` GETs, all started at once, each taking the server
/// `server_delay`, in the way `strategy` says.
pub async fn batch(
    target: &Target,
    strategy: Strategy,
    requests: usize,
    server_delay: Duration,
) -> anyhow::Result<Outcome> {
    let proxy = Proxy::start(target.addr()).await?;
    let control = client::pooled();
    let stats_url = format!("http://{}/stats", target.addr());
    control
        .delete(&stats_url)
        .send()
        .await
        .map_err(|e| failed("DELETE /stats", e))?;

    let paths: Vec<String> = (0..requests)
        .map(|i| format!("/readings/{i}?delay_ms={}", server_delay.as_millis()))
        .collect();
    let started = Instant::now();
    let finished = match strategy {
        Strategy::Http1Unbounded => connection_each(proxy.addr(), paths, started).await?,
        Strategy::Http1Lanes(lanes) => in_lanes(proxy.addr(), lanes, paths, started).await?,
        Strategy::Http2 => streams(proxy.addr(), paths, started).await?,
    };
    let elapsed = started.elapsed();

    let stats: Stats = control
        .get(&stats_url)
        .send()
        .await
        .map_err(|e| failed("GET /stats", e))?
        .json()
        .await
        .map_err(|e| failed("decoding /stats", e))?;
    Ok(Outcome {
        strategy,
        connections: proxy.connections_opened(),
        server_max_in_flight: stats.max_in_flight,
        latencies: finished.into_iter().collect(),
        elapsed,
    })
}

// ANCHOR: all_at_once
/// HTTP/2: one connection, every request a stream on it, all in flight at once.
async fn streams(
    addr: SocketAddr,
    paths: Vec<String>,
    started: Instant,
) -> anyhow::Result<Vec<Duration>> {
    let conn = Http2Conn::open(addr).await?;
    let mut tasks = JoinSet::new();
    for path in paths {
        let mut conn = conn.clone(); // another handle to the same connection
        tasks.spawn(async move {
            conn.get(addr, &path).await?;
            anyhow::Ok(started.elapsed())
        });
    }
    join(tasks).await
}

/// HTTP/1.1 with no limit: each request in flight needs its own connection.
async fn connection_each(
    addr: SocketAddr,
    paths: Vec<String>,
    started: Instant,
) -> anyhow::Result<Vec<Duration>> {
    let mut tasks = JoinSet::new();
    for path in paths {
        tasks.spawn(async move {
            Http1Conn::open(addr).await?.get(addr, &path).await?;
            anyhow::Ok(started.elapsed())
        });
    }
    join(tasks).await
}
// ANCHOR_END: all_at_once

/// HTTP/1.1 like a browser: `lanes` connections take requests from one
/// queue, one at a time each.
async fn in_lanes(
    addr: SocketAddr,
    lanes: usize,
    paths: Vec<String>,
    started: Instant,
) -> anyhow::Result<Vec<Duration>> {
    let queue = Arc::new(Mutex::new(paths));
    let mut workers = JoinSet::new();
    for _ in 0..lanes {
        let queue = queue.clone();
        workers.spawn(async move {
            let mut conn = Http1Conn::open(addr).await?;
            let mut finished = Vec::new();
            loop {
                let Some(path) = queue.lock().await.pop() else {
                    break;
                };
                conn.get(addr, &path).await?;
                finished.push(started.elapsed());
            }
            anyhow::Ok(finished)
        });
    }
    let mut finished = Vec::new();
    while let Some(lane) = workers.join_next().await {
        finished.extend(lane.context("a lane task died")??);
    }
    Ok(finished)
}

/// Waits for every task and collects their completion times.
async fn join(mut tasks: JoinSet<anyhow::Result<Duration>>) -> anyhow::Result<Vec<Duration>> {
    let mut finished = Vec::new();
    while let Some(done) = tasks.join_next().await {
        finished.push(done.context("a request task died")??);
    }
    Ok(finished)
}

/// The three strategies on the same batch, one after the other.
pub async fn compare(
    target: &Target,
    requests: usize,
    server_delay: Duration,
) -> anyhow::Result<Vec<Outcome>> {
    let mut outcomes = Vec::new();
    for strategy in [
        Strategy::Http1Unbounded,
        Strategy::Http1Lanes(6),
        Strategy::Http2,
    ] {
        outcomes.push(batch(target, strategy, requests, server_delay).await?);
    }
    Ok(outcomes)
}

/// The `multiplex` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let target = lab.server();
    let delay = Duration::from_millis(50);
    let outcomes = compare(target, 100, delay).await?;
    let mut table = Table::new(
        "100 GETs started at once; the server takes 50 ms over each",
        &[
            "client",
            "TCP conns",
            "server in flight (max)",
            "done p50",
            "done max",
        ],
    );
    for o in &outcomes {
        let s = o.latencies.summary();
        table.row([
            o.strategy.label(),
            o.connections.to_string(),
            o.server_max_in_flight.to_string(),
            format!("{:.0} ms", s.p50_us / 1e3),
            format!("{:.0} ms", s.max_us / 1e3),
        ]);
    }
    table.note("latency is measured from the moment all requests were started, as a page load would feel it");
    let mut report = Report::new(crate::LAB, "multiplex");
    report.table(table);
    report.chart(
        "multiplex",
        BarChart::new(
            "100 concurrent requests: time until the last one completes",
            "ms",
        )
        .categories(outcomes.iter().map(|o| o.strategy.label()))
        .series(
            "last response",
            outcomes.iter().map(|o| o.latencies.summary().max_us / 1e3),
        )
        .to_svg(),
    );
    for o in &outcomes {
        report.value(
            &format!("{:?}", o.strategy).to_lowercase(),
            serde_json::json!({"connections": o.connections, "server_max_in_flight": o.server_max_in_flight,
                               "latency": o.latencies.summary()}),
        );
    }
    Ok(report)
}
