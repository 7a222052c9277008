//! Scenario `keepalive`: N requests on fresh connections against N on one
//! kept-alive connection.
//!
//! Every new TCP connection costs a handshake round trip before the first
//! request byte can leave (and TLS adds one or two more). HTTP/1.1 keeps a
//! connection open by default so the next request can reuse it. The proxy
//! counts the TCP connections each client actually opened.

use std::time::{Duration, Instant};

use labkit::measure::Latencies;
use labkit::report::{Report, Table};
use labkit::wire::Proxy;

use crate::client::{self, failed};
use crate::target::Target;

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
/// Sends `requests` GETs one after another with `http`, through a fresh
/// proxy, and counts the TCP connections they needed.
pub async fn sequential(
    target: &Target,
    label: &'static str,
    http: reqwest::Client,
    requests: usize,
) -> anyhow::Result<Run> {
    let proxy = Proxy::start(target.addr()).await?;
    let base = client::base(proxy.addr());
    let mut latencies = Latencies::new();
    let started = Instant::now();
    for i in 0..requests {
        let sent = Instant::now();
        http.get(format!("{base}/readings/{i}"))
            .send()
            .await
            .map_err(|e| failed("GET /readings", e))?
            .bytes()
            .await
            .map_err(|e| failed("reading a response body", e))?;
        latencies.record(sent.elapsed());
    }
    Ok(Run {
        label,
        requests,
        connections: proxy.connections_opened(),
        elapsed: started.elapsed(),
        latencies,
    })
}
// ANCHOR_END: sequential

/// Both ways, side by side.
pub async fn compare(target: &Target, requests: usize) -> anyhow::Result<(Run, Run)> {
    let fresh = sequential(target, "new connection each", client::fresh_connections(), requests).await?;
    let kept = sequential(target, "one kept-alive connection", client::kept_alive(), requests).await?;
    Ok((fresh, kept))
}

/// The `keepalive` scenario.
pub async fn run(target: &Target) -> anyhow::Result<Report> {
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
            format!("{:.0} µs", s.p50_us),
            format!("{:.0} µs", s.p99_us),
        ]);
    }
    table.note(format!(
        "fresh connections took {:.1}x the time of the kept-alive one here; loopback has no real \
         round trip, so on a network each new connection adds at least one RTT (more with TLS)",
        fresh.elapsed.as_secs_f64() / kept.elapsed.as_secs_f64()
    ));
    let mut report = Report::new(crate::LAB, "keepalive");
    report.table(table);
    report.value("fresh_connections", fresh.connections);
    report.value("kept_alive_connections", kept.connections);
    report.value("fresh_elapsed_ms", fresh.elapsed.as_secs_f64() * 1e3);
    report.value("kept_alive_elapsed_ms", kept.elapsed.as_secs_f64() * 1e3);
    Ok(report)
}
