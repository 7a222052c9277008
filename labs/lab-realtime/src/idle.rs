//! Scenario `idle`: what open WebSocket connections cost a server that is
//! doing nothing with them.
//!
//! Unlike a request, a WebSocket is state the server holds for as long as
//! the client stays: a socket, a task, its buffers. The scenario opens
//! connections in steps and reads the process's resident memory (`VmRSS`
//! in `/proc/self/status`) after each step. Both ends live in this
//! process, but the client side is a bare socket that did its handshake by
//! hand — a file descriptor and kernel buffers, which VmRSS does not count
//! — so the growth is the server's.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use labkit::cli::Scenario;
use labkit::report::{LineChart, Report, Table};
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::Lab;
use crate::handshake::{self, SAMPLE_KEY};

/// The scenario, as `cargo run -p lab-realtime -- idle` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "idle",
    "thousands of idle WebSocket connections and the server's memory",
    "memory per connection (a measurement, not a limit)",
);
use crate::raw::read_head;

/// Resident memory of this process, in bytes (Linux only).
pub fn rss_bytes() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")
        .context("cannot read /proc/self/status (this scenario needs Linux)")?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("no VmRSS line in /proc/self/status")?;
    Ok(kb * 1024)
}

/// Raises the open-file limit to the hard limit; returns the new soft limit.
pub fn raise_fd_limit() -> anyhow::Result<u64> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (_, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    setrlimit(Resource::RLIMIT_NOFILE, hard, hard)?;
    Ok(hard)
}

/// One idle WebSocket: handshake done, then nothing.
async fn open_one(server: SocketAddr, path: &str) -> anyhow::Result<TcpStream> {
    let mut stream = TcpStream::connect(server).await?;
    stream
        .write_all(handshake::request(server, path, SAMPLE_KEY).as_bytes())
        .await?;
    let (head, _) = read_head(&mut stream).await?;
    if !head.starts_with("HTTP/1.1 101") {
        bail!("handshake refused: {head}");
    }
    Ok(stream)
}

/// Memory after each step of open connections.
#[derive(Debug, Clone)]
pub struct Step {
    pub connections: usize,
    pub rss_bytes: u64,
}

// ANCHOR: hold
/// Opens connections to `path` up to each count in `steps`, reading VmRSS
/// after each step; returns the steps and keeps nothing open afterwards.
pub async fn hold(server: SocketAddr, path: &str, steps: &[usize]) -> anyhow::Result<Vec<Step>> {
    let limit = raise_fd_limit()? as usize;
    let most = steps.iter().copied().max().unwrap_or(0);
    let need = most * 2 + 64; // both ends of each connection are in this process
    if need > limit {
        bail!("{need} file descriptors needed, the limit is {limit}: raise it (`ulimit -Hn`)");
    }
    let mut open = Vec::with_capacity(most);
    let mut out = vec![Step {
        connections: 0,
        rss_bytes: rss_bytes()?,
    }];
    for &target in steps {
        while open.len() < target {
            open.push(open_one(server, path).await?);
        }
        // Let the server's tasks settle before reading the memory.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        out.push(Step {
            connections: open.len(),
            rss_bytes: rss_bytes()?,
        });
    }
    Ok(out)
}
// ANCHOR_END: hold

/// Bytes in a mebibyte: the chart's unit, the same as the table's.
const MIB: f64 = 1024.0 * 1024.0;

/// Memory per connection between the first and the last step, in bytes.
pub fn per_connection(steps: &[Step]) -> f64 {
    match (steps.first(), steps.last()) {
        (Some(a), Some(b)) if b.connections > a.connections => {
            (b.rss_bytes as f64 - a.rss_bytes as f64) / (b.connections - a.connections) as f64
        }
        _ => 0.0,
    }
}

/// The `idle` scenario: `/ws/lean` first (memory freed by the allocator
/// is not always returned, so the larger run goes second), then `/ws/echo`
/// with the library's defaults. Each runs on its own fresh server.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let counts = [1_000, 2_000, 4_000];
    let mut table = Table::new(
        "Idle WebSocket connections and the process's memory",
        &[
            "server buffers",
            "connections",
            "VmRSS",
            "per connection since 0",
        ],
    );
    let mut chart = LineChart::new(
        "Resident memory against idle WebSocket connections",
        "connections",
        "MiB",
    );
    let mut values = Vec::new();
    for (label, path) in [
        ("4 KiB read buffer", "/ws/lean"),
        ("tungstenite defaults", "/ws/echo"),
    ] {
        let server = lab.fresh_server().await?;
        let steps = hold(server.addr, path, &counts).await?;
        drop(server);
        for s in &steps[1..] {
            let since = [steps[0].clone(), s.clone()];
            table.row([
                label.to_string(),
                s.connections.to_string(),
                labkit::measure::human_bytes(s.rss_bytes),
                format!("{:.1} KiB", per_connection(&since) / 1024.0),
            ]);
        }
        chart = chart.series(
            label,
            steps
                .iter()
                .map(|s| (s.connections as f64, s.rss_bytes as f64 / MIB)),
        );
        values.push(json!({"path": path, "steps": steps.iter().map(|s| [s.connections as u64, s.rss_bytes]).collect::<Vec<_>>()}));
    }
    table.note("VmRSS of the whole process: user-space memory of the server (axum, tungstenite, tokio); kernel socket buffers come on top");
    let mut report = Report::new(crate::LAB, "idle");
    report.table(table);
    report.chart("idle-memory", chart.to_svg());
    report.value("runs", values);
    Ok(report)
}
