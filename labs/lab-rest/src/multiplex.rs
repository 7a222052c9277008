//! Scenario `multiplex`: many requests at once over HTTP/1.1 and over HTTP/2.
//!
//! HTTP/1.1 carries one request at a time per connection, so concurrency
//! costs connections: a client either opens one per request in flight or, as
//! browsers do (about six per host), queues requests behind a few. HTTP/2
//! interleaves many streams on one connection. The proxy counts connections;
//! the server counts how many requests it had in flight at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use labkit::measure::Latencies;
use labkit::report::{BarChart, Report, Table};
use labkit::wire::Proxy;
use tokio::sync::Mutex;
use tokio::task::JoinSet;

use crate::client::{self, failed};
use crate::server::Stats;
use crate::target::Target;

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
    let base = client::base(proxy.addr());
    let control = client::kept_alive();
    let stats_url = format!("http://{}/stats", target.addr());
    control.delete(&stats_url).send().await.map_err(|e| failed("DELETE /stats", e))?;

    let urls: Vec<String> = (0..requests)
        .map(|i| format!("{base}/readings/{i}?delay_ms={}", server_delay.as_millis()))
        .collect();
    let started = Instant::now();
    let latencies = match strategy {
        Strategy::Http1Unbounded => all_at_once(client::kept_alive(), urls).await?,
        Strategy::Http2 => all_at_once(client::http2(), urls).await?,
        Strategy::Http1Lanes(lanes) => in_lanes(lanes, urls).await?,
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
        latencies,
        elapsed,
    })
}

// ANCHOR: all_at_once
/// Starts every request at once on one client and lets it choose how to
/// carry them: reqwest opens HTTP/1.1 connections as needed, or multiplexes
/// HTTP/2 streams on one.
async fn all_at_once(http: reqwest::Client, urls: Vec<String>) -> anyhow::Result<Latencies> {
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for url in urls {
        let http = http.clone();
        tasks.spawn(async move {
            let response = http.get(&url).send().await.map_err(|e| failed("GET", e))?;
            response.bytes().await.map_err(|e| failed("reading a body", e))?;
            anyhow::Ok(started.elapsed())
        });
    }
    collect(tasks).await
}
// ANCHOR_END: all_at_once

/// `lanes` workers, each with its own single kept-alive connection, take
/// the requests from one queue: at most `lanes` are in flight.
async fn in_lanes(lanes: usize, urls: Vec<String>) -> anyhow::Result<Latencies> {
    let started = Instant::now();
    let queue = Arc::new(Mutex::new(urls));
    let mut workers = JoinSet::new();
    for _ in 0..lanes {
        let queue = queue.clone();
        let http = client::kept_alive();
        workers.spawn(async move {
            let mut finished = Vec::new();
            loop {
                let Some(url) = queue.lock().await.pop() else { break };
                let response = http.get(&url).send().await.map_err(|e| failed("GET", e))?;
                response.bytes().await.map_err(|e| failed("reading a body", e))?;
                finished.push(started.elapsed());
            }
            anyhow::Ok(finished)
        });
    }
    let mut latencies = Latencies::new();
    while let Some(done) = workers.join_next().await {
        for d in done.context("a lane task died")?? {
            latencies.record(d);
        }
    }
    Ok(latencies)
}

/// Gathers the completion times (measured from the common start) of tasks.
async fn collect(mut tasks: JoinSet<anyhow::Result<Duration>>) -> anyhow::Result<Latencies> {
    let mut latencies = Latencies::new();
    while let Some(done) = tasks.join_next().await {
        latencies.record(done.context("a request task died")??);
    }
    Ok(latencies)
}

/// The three strategies on the same batch, one after the other.
pub async fn compare(
    target: &Target,
    requests: usize,
    server_delay: Duration,
) -> anyhow::Result<Vec<Outcome>> {
    let mut outcomes = Vec::new();
    for strategy in [Strategy::Http1Unbounded, Strategy::Http1Lanes(6), Strategy::Http2] {
        outcomes.push(batch(target, strategy, requests, server_delay).await?);
    }
    Ok(outcomes)
}

/// The `multiplex` scenario.
pub async fn run(target: &Target) -> anyhow::Result<Report> {
    let delay = Duration::from_millis(50);
    let outcomes = compare(target, 100, delay).await?;
    let mut table = Table::new(
        "100 GETs started at once; the server takes 50 ms over each",
        &["client", "TCP conns", "server in flight (max)", "done p50", "done max"],
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
        BarChart {
            title: "100 concurrent requests: time until the last one completes".into(),
            unit: "ms".into(),
            categories: outcomes.iter().map(|o| o.strategy.label()).collect(),
            series: vec![(
                "last response".into(),
                outcomes.iter().map(|o| o.latencies.summary().max_us / 1e3).collect(),
            )],
        }
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
