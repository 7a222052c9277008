//! Scenario `thrift`: one IDL, the same struct in the binary and compact
//! protocols byte for byte, the `Payments` service over TCP with the framed
//! transport, and what the generated code says when a `required` field is
//! missing.

use std::sync::Arc;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};

use crate::ledger::Ledger;
use crate::thrift_gen::{ChargeRequest, Refused, TPaymentsSyncClient};
use crate::thrift_service::{self, Protocol};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- thrift` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "thrift",
    "Thrift: one struct in two protocols, a framed service over TCP, a missing required field",
    "compact needs about half of binary's bytes; a missing required field is a decode error",
);

/// Lowercase hex, a space between bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the framed service did for a few calls through the proxy.
#[derive(Debug, Clone)]
pub struct ServiceRun {
    /// Charges that came back.
    pub charged: Vec<String>,
    /// The `Refused` exception's text for the negative amount.
    pub refused: String,
    /// Frames the client sent, each `(length prefix, bytes that followed)`.
    pub frames: Vec<(u32, usize)>,
    pub bytes_to_server: u64,
    pub bytes_to_client: u64,
    pub connections: usize,
}

/// Cuts a framed stream into `(length prefix, body length)` pairs.
pub fn frames(stream: &[u8]) -> Vec<(u32, usize)> {
    let mut out = Vec::new();
    let mut rest = stream;
    while rest.len() >= 4 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let body = (rest.len() - 4).min(len as usize);
        out.push((len, body));
        rest = &rest[4 + body..];
    }
    out
}

// ANCHOR: service
/// Three charges and one refused charge over one framed connection, with
/// labkit's proxy between client and server.
pub async fn service() -> anyhow::Result<ServiceRun> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let server_addr = listener.local_addr()?;
    let ledger = Arc::new(Ledger::new());
    let server = std::thread::spawn(move || thrift_service::serve(listener, ledger, 1));
    let proxy = Proxy::start(server_addr).await?;
    let addr = proxy.addr();
    let (charged, refused) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let mut client = thrift_service::client(addr)?;
        let mut charged = Vec::new();
        for _ in 0..3 {
            charged.push(client.charge(thrift_service::request())?.charge_id);
        }
        let refused = match client.charge(ChargeRequest::new(-5, "EUR".into())) {
            Err(::thrift::Error::User(e)) => match e.downcast_ref::<Refused>() {
                Some(refused) => format!("Refused {{ reason: {:?} }}", refused.reason),
                None => e.to_string(),
            },
            other => anyhow::bail!("a negative amount was not refused: {other:?}"),
        };
        Ok((charged, refused))
    })
    .await??;
    // The server returns once the proxy passes on the client's hang-up,
    // which needs this runtime free: wait for it on a blocking thread.
    tokio::task::spawn_blocking(move || server.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the Thrift server panicked"))??;
    let conn = proxy.recording().into_iter().next();
    let stream = conn
        .map(|c| c.stream(Direction::ToServer))
        .unwrap_or_default();
    Ok(ServiceRun {
        charged,
        refused,
        frames: frames(&stream),
        bytes_to_server: proxy.bytes(Direction::ToServer),
        bytes_to_client: proxy.bytes(Direction::ToClient),
        connections: proxy.connections_opened(),
    })
}
// ANCHOR_END: service

// ANCHOR: missing
/// What the generated reader says about a `ChargeRequest` without its
/// required `currency`: the protocol error's kind and message.
pub fn missing_field_error() -> anyhow::Result<String> {
    let partial = thrift_service::request_without_currency()?;
    Ok(
        match thrift_service::decode::<ChargeRequest>(&partial, Protocol::Compact) {
            Ok(r) => format!("decoded without error: {r:?}"),
            Err(::thrift::Error::Protocol(e)) => format!("{:?}: {}", e.kind, e.message),
            Err(other) => other.to_string(),
        },
    )
}
// ANCHOR_END: missing

/// The `thrift` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut report = Report::new(LAB, SCENARIO.name);
    let request = thrift_service::request();
    let binary = thrift_service::encode(&request, Protocol::Binary)?;
    let compact = thrift_service::encode(&request, Protocol::Compact)?;
    let mut t = Table::new(
        "ChargeRequest { amount_cents: 1250, currency: \"EUR\" }",
        &["protocol", "bytes", "on the wire (hex)"],
    );
    t.row(["binary", &binary.len().to_string(), &hex(&binary)]);
    t.row(["compact", &compact.len().to_string(), &hex(&compact)]);
    t.note("binary: type byte, 2-byte field id, fixed-width value; compact: type and id delta in one byte, varints");
    report.table(t);
    report.value("binary_bytes", binary.len());
    report.value("compact_bytes", compact.len());

    let run = service().await?;
    let mut t = Table::new(
        "Payments.charge over TCP, framed transport, binary protocol",
        &["what", "value"],
    );
    t.row(["TCP connections", &run.connections.to_string()]);
    t.row(["charges returned", &run.charged.join(" ")]);
    t.row(["declared exception for -5", &run.refused]);
    let lengths: Vec<String> = run.frames.iter().map(|(l, _)| l.to_string()).collect();
    t.row(["frames sent (length prefixes)", &lengths.join(" ")]);
    t.row([
        "bytes to server / to client".to_string(),
        format!("{} / {}", run.bytes_to_server, run.bytes_to_client),
    ]);
    t.note("each call is one frame: a 4-byte big-endian length, then the message");
    report.table(t);

    let partial = thrift_service::request_without_currency()?;
    let error = missing_field_error()?;
    let mut t = Table::new(
        "A ChargeRequest without its required currency",
        &["what", "value"],
    );
    t.row(["bytes (compact)", &hex(&partial)]);
    t.row(["the generated reader says", &error]);
    report.table(t);
    Ok(report)
}
