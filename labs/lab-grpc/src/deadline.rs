//! Scenario `deadline`: a call past its deadline ends DEADLINE_EXCEEDED, and
//! the server finds out.
//!
//! The client gives the call 100 ms; the server would take 2 s. The deadline
//! travels to the server in the `grpc-timeout` header (read here off the
//! wire). At the deadline the client gives up with DEADLINE_EXCEEDED and
//! drops the call, which resets the HTTP/2 stream (RST_STREAM, error code
//! CANCEL = 0x8); the server's handler is dropped in turn, so its work stops:
//! the server's counters show the call cancelled, never completed.
//!
//! The same call left to tonic 0.14 alone ends CANCELLED, not
//! DEADLINE_EXCEEDED: tonic's server enforces `grpc-timeout` and reports
//! its timer as "Timeout expired" with code CANCELLED. The scenario shows
//! both, so you know which one your tonic client will see.

use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};

use crate::calls;
use crate::client;
use crate::server::{self, Options};
use crate::wire::sample_charge;
use labkit::cli::Scenario;

use crate::Lab;

/// What one call past its deadline showed, on both ends and on the wire.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub code: tonic::Code,
    pub message: String,
    /// The `grpc-timeout` header the client sent.
    pub grpc_timeout: Option<String>,
    /// An RST_STREAM on the call's stream: who sent it and its error code.
    pub reset: Option<(Direction, u32)>,
    /// The `grpc-status` in the server's trailers, if it sent any.
    pub trailer_status: Option<i32>,
    pub server_cancelled: u64,
    pub server_completed: u64,
}

// ANCHOR: deadline
/// Calls `Charge` with a `deadline` on a server that holds it `work`; with
/// `enforce`, the client gives up at the deadline itself.
pub async fn call_past_deadline(
    deadline: Duration,
    work: Duration,
    enforce: bool,
) -> anyhow::Result<Outcome> {
    let server = server::spawn(Options::default()).await?;
    let proxy = Proxy::start(server.addr).await?;
    let mut client = client::payments(proxy.addr()).await?;
    let mut request = client::held(sample_charge(1), work);
    request.set_timeout(deadline); // sends `grpc-timeout`
    let answer = if enforce {
        client::with_deadline(deadline, client.charge(request)).await
    } else {
        client.charge(request).await
    };
    let (code, message) = match answer {
        Ok(_) => (tonic::Code::Ok, String::new()),
        Err(status) => (status.code(), status.message().to_string()),
    };
    // The server notices when tonic drops its handler.
    let cancelled = &server.stats.cancelled;
    for _ in 0..250 {
        if cancelled.load(Ordering::SeqCst) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(client);
    proxy.wait_closed(Duration::from_secs(5)).await;
    let recording = proxy.recording();
    let conn = recording.first().context("the proxy saw no connection")?;
    let call = calls::calls(conn)?
        .into_iter()
        .next()
        .context("no call on the wire")?;
    Ok(Outcome {
        code,
        message,
        grpc_timeout: calls::header(&call.request_headers, "grpc-timeout").map(String::from),
        reset: call.reset,
        trailer_status: call.grpc_status(),
        server_cancelled: cancelled.load(Ordering::SeqCst),
        server_completed: server.stats.completed.load(Ordering::SeqCst),
    })
}
// ANCHOR_END: deadline

/// The scenario, as `cargo run -p lab-grpc -- deadline` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "deadline",
    "a call past its deadline: DEADLINE_EXCEEDED, and the server cancels its work",
    "the deadline travels as a header, and the server's handler never completes",
);

/// The `deadline` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let deadline = Duration::from_millis(100);
    let work = Duration::from_secs(2);
    let ours = call_past_deadline(deadline, work, true).await?;
    let plain = call_past_deadline(deadline, work, false).await?;
    let mut table = Table::new(
        "A 100 ms deadline on a call the server needs 2 s for",
        &["what", "client enforces the deadline", "tonic alone"],
    );
    let both = |f: &dyn Fn(&Outcome) -> String| [f(&ours), f(&plain)];
    let rows: [(&str, [String; 2]); 6] = [
        (
            "status at the client",
            both(&|o| format!("{:?} ({})", o.code, o.message)),
        ),
        (
            "grpc-timeout header sent",
            both(&|o| o.grpc_timeout.clone().unwrap_or("none".into())),
        ),
        (
            "grpc-status in trailers",
            both(&|o| o.trailer_status.map_or("none".into(), |s| s.to_string())),
        ),
        (
            "RST_STREAM on the call's stream",
            both(&|o| {
                o.reset
                    .map_or("none".into(), |(d, c)| format!("{d}, error code 0x{c:x}"))
            }),
        ),
        (
            "server handlers cancelled",
            both(&|o| o.server_cancelled.to_string()),
        ),
        (
            "server handlers completed",
            both(&|o| o.server_completed.to_string()),
        ),
    ];
    for (what, [a, b]) in rows {
        table.row([what.to_string(), a, b]);
    }
    let mut report = Report::new(crate::LAB, "deadline");
    report.table(table);
    Ok(report)
}
