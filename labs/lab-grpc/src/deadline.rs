//! Scenario `deadline`: a call past its deadline, and the server finds out.
//!
//! The client gives the call 100 ms; the server would take 2 s. The deadline
//! travels to the server in the `grpc-timeout` header (read here off the
//! wire). When it expires the call is dropped on the client side, which
//! resets the HTTP/2 stream (RST_STREAM, error code CANCEL = 0x8); the
//! server's handler is dropped in turn, so its work stops: the server's
//! counters show the call cancelled, never completed.
//!
//! Two timers hold that deadline in tonic 0.14, both set from the same
//! header: the client's channel reads `grpc-timeout` off its own request,
//! and the server reads it off the request it received. They fire at about
//! the same moment; both report "Timeout expired" with code CANCELLED, and
//! whether the server's trailers (`grpc-status: 1`) make it onto the wire
//! before the client's reset varies from run to run. The scenario runs the
//! call twice: once with the lab's [`client::with_deadline`], which reports
//! any failure past the deadline as DEADLINE_EXCEEDED, and once with tonic
//! alone. [`header_only_to_a_silent_peer`] shows the client's timer with no
//! server timer at all.

use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};

use crate::Lab;
use crate::calls;
use crate::client;
use crate::server::{self, Options};
use crate::wire::sample_charge;

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
/// `enforce`, inside the lab's [`client::with_deadline`] (which ends it
/// DEADLINE_EXCEEDED); without, as tonic alone ends it.
pub async fn call_past_deadline(
    deadline: Duration,
    work: Duration,
    enforce: bool,
) -> anyhow::Result<Outcome> {
    let server = server::spawn(Options::default()).await?;
    let proxy = Proxy::start(server.addr).await?;
    let mut client = client::payments(proxy.addr()).await?;
    let mut request = client::held(sample_charge(1), work);
    request.set_timeout(deadline); // sends `grpc-timeout`; tonic's channel enforces it too
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

/// How tonic ends a call whose only deadline is its `grpc-timeout` header,
/// sent to a peer that accepts the connection and never answers. No server
/// runs a timer there, so what ends the call is tonic's client: its channel
/// reads the request's own `grpc-timeout` header and enforces it.
pub async fn header_only_to_a_silent_peer(deadline: Duration) -> anyhow::Result<tonic::Status> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let peer = tokio::spawn(async move {
        // Read whatever arrives and never write a byte back.
        if let Ok((mut socket, _)) = listener.accept().await {
            let _ = tokio::io::copy(&mut socket, &mut tokio::io::sink()).await;
        }
    });
    let mut client = client::payments(addr).await?;
    let mut request = tonic::Request::new(sample_charge(1));
    request.set_timeout(deadline);
    let answer = tokio::time::timeout(Duration::from_secs(10), client.charge(request))
        .await
        .context("the call was still open after 10 s: nothing enforced its grpc-timeout")?;
    peer.abort();
    match answer {
        Ok(_) => anyhow::bail!("a peer that never writes cannot have answered"),
        Err(status) => Ok(status),
    }
}

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
        &[
            "what",
            "with the lab's with_deadline",
            "tonic alone (set_timeout only)",
        ],
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
    table.note("the server's timer fires at about the moment the client's does: whether its trailers (grpc-status 1, CANCELLED) get onto the wire, and whether tonic's client still resets the stream, varies from run to run");
    let silent = header_only_to_a_silent_peer(deadline).await?;
    table.note(format!(
        "the same call with only set_timeout, to a peer that never answers (no server timer at all): {:?} ({}), from tonic's client",
        silent.code(),
        silent.message()
    ));
    let mut report = Report::new(crate::LAB, "deadline");
    report.table(table);
    Ok(report)
}
