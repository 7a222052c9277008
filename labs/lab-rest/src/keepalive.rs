//! Scenario `keepalive`: N requests on fresh connections against N on one
//! kept-alive connection.
//!
//! Every new TCP connection costs a handshake round trip before the first
//! request byte can leave (and TLS adds one or two more). HTTP/1.1 keeps a
//! connection open by default so the next request can reuse it. The proxy
//! counts the TCP connections each client actually opened.

use std::time::{Duration, Instant};

use labkit::cli::Scenario;
use labkit::measure::{Latencies, duration_ratio, fmt_ratio, human_micros};
use labkit::report::{Report, Table};
use labkit::wire::Proxy;

use crate::Lab;
use crate::client::Http1Conn;
use crate::target::Target;

/// The scenario, as `cargo run -p lab-rest -- keepalive` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "keepalive",
    "200 requests on fresh connections against one kept-alive connection",
    "the TCP connection count, and what the extra handshakes cost even on loopback",
);

/// What one way of sending `requests` requests cost.
#[derive(Debug, Clone)]
pub struct Run {
    pub label: &'static str,
    pub requests: usize,
    pub connections: usize,
    pub elapsed: Duration,
    pub latencies: Latencies,
}

// ANCHOR: sequential
/// Sends `requests` GETs one after another through a fresh proxy, on a new
/// connection each time or all on one, and counts the TCP connections.
pub async fn sequential(target: &Target, keep_alive: bool, requests: usize) -> anyhow::Result<Run> {
    let proxy = Proxy::start(target.addr()).await?;
    let mut latencies = Latencies::new();
    let started = Instant::now();
    let mut kept = None;
    for i in 0..requests {
        let sent = Instant::now();
        let path = format!("/readings/{i}");
        if keep_alive {
            if kept.is_none() {
                kept = Some(Http1Conn::open(proxy.addr()).await?);
            }
            if let Some(conn) = kept.as_mut() {
                conn.get(proxy.addr(), &path).await?;
            }
        } else {
            // A new connection, used once and dropped (which closes it).
            Http1Conn::open(proxy.addr())
                .await?
                .get(proxy.addr(), &path)
                .await?;
        }
        latencies.record(sent.elapsed());
    }
    Ok(Run {
        label: if keep_alive {
            "one kept-alive connection"
        } else {
            "new connection each"
        },
        requests,
        connections: proxy.connections_opened(),
        elapsed: started.elapsed(),
        latencies,
    })
}
// ANCHOR_END: sequential

/// Both ways, side by side.
pub async fn compare(target: &Target, requests: usize) -> anyhow::Result<(Run, Run)> {
    let fresh = sequential(target, false, requests).await?;
    let kept = sequential(target, true, requests).await?;
    Ok((fresh, kept))
}

/// The `keepalive` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let target = lab.server();
    let (fresh, kept) = compare(target, 200).await?;
    let mut table = Table::new(
        "200 sequential GETs on loopback",
        &["client", "TCP connections", "total", "p50", "p99"],
    );
    for r in [&fresh, &kept] {
        let s = r.latencies.summary();
        table.row([
            r.label.to_string(),
            r.connections.to_string(),
            labkit::measure::human_duration(r.elapsed),
            human_micros(s.p50_us),
            human_micros(s.p99_us),
        ]);
    }
    table.note(format!(
        "fresh connections took {} the time of the kept-alive one here; loopback has no real \
         round trip, so on a network each new connection adds at least one RTT (more with TLS)",
        fmt_ratio(duration_ratio(fresh.elapsed, kept.elapsed))
    ));
    let mut report = Report::new(crate::LAB, "keepalive");
    report.table(table);
    report.value("fresh_connections", fresh.connections);
    report.value("kept_alive_connections", kept.connections);
    report.value("fresh_elapsed_ms", fresh.elapsed.as_secs_f64() * 1e3);
    report.value("kept_alive_elapsed_ms", kept.elapsed.as_secs_f64() * 1e3);
    Ok(report)
}
