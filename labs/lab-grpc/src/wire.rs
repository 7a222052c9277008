//! Scenario `wire`: one unary call, frame by frame, and what it weighs next
//! to the same charge as JSON over HTTP/1.1 (Chapter 1's server).
//!
//! The client makes two `Charge` calls on one connection through labkit's
//! proxy. The HTTP/2 decoder shows the frames: HEADERS (`:path` names the
//! method), DATA (the gRPC 5-byte prefix, then protobuf), and HEADERS again
//! at the end carrying `grpc-status` — the trailers. Chapter 1's server takes
//! the same charge as `POST /charges` with a JSON body, through another proxy.

use std::time::Duration;

use anyhow::{Context, bail};
use lab_rest::baseline::Target;
use labkit::cli::Scenario;
use labkit::report::{BarChart, Report, Table};
use labkit::wire::http2::{self, Frame, FrameType};
use labkit::wire::{Direction, Proxy, Unit, http1};

use crate::Lab;
use crate::calls::{self, Call};
use crate::client;
use crate::proto::v1::ChargeRequest;
use crate::server::{self, Options};

/// The charge both protocols carry.
pub fn sample_charge(n: u32) -> ChargeRequest {
    ChargeRequest {
        idempotency_key: format!("order-{n:04}"),
        amount_cents: 1250,
        currency: "EUR".into(),
        source_token: String::new(),
    }
}

/// What two gRPC calls on one connection looked like on the wire.
#[derive(Debug, Clone)]
pub struct GrpcCalls {
    pub client_frames: Vec<Frame>,
    pub server_frames: Vec<Frame>,
    pub calls: Vec<Call>,
    /// Bytes of the preface and of stream-0 frames (SETTINGS, WINDOW_UPDATE, PING, GOAWAY).
    pub connection_bytes: usize,
    /// The proxy's recording, for a pcap file.
    pub pcap: Vec<u8>,
}

// ANCHOR: measure
/// Makes two unary `Charge` calls on one connection through a recording
/// proxy and reads them back off the wire.
pub async fn grpc_calls() -> anyhow::Result<GrpcCalls> {
    let server = server::spawn(Options::default()).await?;
    let proxy = Proxy::start(server.addr).await?;
    let mut client = client::payments(proxy.addr()).await?;
    for n in 1..=2 {
        client.charge(sample_charge(n)).await.context("Charge")?;
    }
    drop(client);
    proxy.wait_closed(Duration::from_secs(5)).await;
    let recording = proxy.recording();
    let conn = recording.first().context("the proxy saw no connection")?;
    let (client_frames, server_frames) = calls::frames(conn)?;
    let calls = calls::calls(conn)?;
    if calls.len() != 2 {
        bail!("expected 2 calls on the connection, found {}", calls.len());
    }
    let connection_bytes = client_frames
        .iter()
        .chain(&server_frames)
        .filter(|f| f.stream_id == 0)
        .map(|f| f.wire_len())
        .sum();
    let mut pcap = Vec::new();
    labkit::wire::pcap::write(&mut pcap, &recording, std::time::SystemTime::now())?;
    Ok(GrpcCalls {
        client_frames,
        server_frames,
        calls,
        connection_bytes,
        pcap,
    })
}
// ANCHOR_END: measure

/// The same charge twice as `POST /charges` with JSON over HTTP/1.1 to
/// Chapter 1's server (`baseline`, from [`Lab::baseline`]): bytes of each
/// exchange (request and response).
pub async fn rest_calls(baseline: &Target) -> anyhow::Result<Vec<usize>> {
    let server = baseline;
    let proxy = Proxy::start(server.addr()).await?;
    let mut conn = lab_rest::baseline::Http1Conn::open(proxy.addr()).await?;
    for n in 1..=2 {
        let charge = sample_charge(n);
        let body = serde_json::to_vec(&domain::ChargeRequest {
            amount_cents: charge.amount_cents,
            currency: charge.currency,
        })?;
        let mut request =
            lab_rest::baseline::request("POST", proxy.addr(), "/charges", Some(body))?;
        request
            .headers_mut()
            .insert("idempotency-key", charge.idempotency_key.parse()?);
        conn.send(request).await.context("POST /charges")?;
    }
    let recording = proxy.recording();
    let conn = recording.first().context("the proxy saw no connection")?;
    let requests = http1::parse_requests(&conn.stream(Direction::ToServer)).complete()?;
    let responses = http1::parse_responses(&conn.stream(Direction::ToClient)).complete()?;
    Ok(requests
        .iter()
        .zip(&responses)
        .map(|(q, a)| q.len() + a.len())
        .collect())
}

/// What a frame carries, in a few words.
fn describe(f: &Frame) -> String {
    match f.kind {
        FrameType::Headers => {
            let list = f.headers.clone().unwrap_or_default();
            let pick = [
                ":path",
                ":status",
                "grpc-timeout",
                "grpc-status",
                "grpc-message",
            ];
            let shown: Vec<String> = pick
                .iter()
                .filter_map(|n| calls::header(&list, n).map(|v| format!("{n}: {v}")))
                .collect();
            shown.join(", ")
        }
        FrameType::Data => {
            let d = f.data();
            if d.len() >= calls::PREFIX_LEN {
                format!(
                    "gRPC prefix: compressed={}, length={}",
                    d[0],
                    u32::from_be_bytes([d[1], d[2], d[3], d[4]])
                )
            } else if d.is_empty() {
                "empty".into()
            } else {
                format!("{} bytes", d.len())
            }
        }
        FrameType::Settings => {
            let s = f.settings();
            if f.has_flag(http2::flags::ACK) {
                "ACK".into()
            } else {
                s.iter()
                    .map(|(id, v)| format!("0x{id:x}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        }
        FrameType::Preface => "PRI * HTTP/2.0 ...".into(),
        _ => String::new(),
    }
}

/// The scenario, as `cargo run -p lab-grpc -- wire` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "wire",
    "one unary call frame by frame, and its bytes against JSON over HTTP/1.1",
    "the status arrives in a second HEADERS frame (the trailers), and call 2 is smaller than call 1",
);

/// The `wire` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let grpc = grpc_calls().await?;
    let rest = rest_calls(lab.baseline().await?).await?;
    let mut report = Report::new(crate::LAB, "wire");

    let mut frames = Table::new(
        "The first Charge call and the connection around it, frame by frame",
        &["from", "frame", "id", "flags", "bytes", "what is inside"],
    );
    for (dir, list) in [
        ("client", &grpc.client_frames),
        ("server", &grpc.server_frames),
    ] {
        for f in list.iter().filter(|f| f.stream_id <= 1) {
            frames.row([
                dir.to_string(),
                f.kind.name(),
                f.stream_id.to_string(),
                format!("0x{:02x}", f.flags),
                f.wire_len().to_string(),
                describe(f),
            ]);
        }
    }
    frames.note("id: the HTTP/2 stream the frame belongs to; 0 is the connection itself");
    frames.note("a DATA frame's protobuf follows its 5-byte gRPC prefix");
    report.table(frames);

    let mut bytes = Table::new(
        "Bytes on the wire per charge, both directions",
        &["call", "gRPC (HTTP/2 + protobuf)", "REST (HTTP/1.1 + JSON)"],
    );
    for (i, call) in grpc.calls.iter().enumerate() {
        bytes.row([
            format!("charge {}", i + 1),
            call.wire_bytes().to_string(),
            rest[i].to_string(),
        ]);
    }
    bytes.row([
        "connection frames".to_string(),
        grpc.connection_bytes.to_string(),
        "0".into(),
    ]);
    // Files are written only where the reader asks: `--pcap DIR` saves every
    // connection the lab's proxies saw, this one included.
    bytes.note("connection frames: the preface, SETTINGS, WINDOW_UPDATE and GOAWAY");
    bytes.note(
        "to open this connection in Wireshark, run with --pcap DIR; or: tshark -r FILE -d tcp.port==PORT,http2",
    );
    bytes.note("the second gRPC call is smaller: HPACK sends headers it has seen as table indexes");
    bytes.note(format!(
        "the protobuf request is {} bytes; the JSON body {} bytes",
        prost::Message::encoded_len(&sample_charge(1)),
        serde_json::to_vec(&domain::ChargeRequest {
            amount_cents: 1250,
            currency: "EUR".into()
        })?
        .len()
    ));
    report.table(bytes);
    let chart = BarChart::new("Bytes on the wire per charge, both directions", "bytes")
        .categories(["charge 1", "charge 2"])
        .series(
            "gRPC (HTTP/2 + protobuf)",
            grpc.calls.iter().map(|c| c.wire_bytes() as f64),
        )
        .series("REST (HTTP/1.1 + JSON)", rest.iter().map(|&n| n as f64));
    report.chart("bytes", chart.to_svg());
    report.value(
        "bytes_per_call",
        serde_json::json!({
            "grpc": grpc.calls.iter().map(Call::wire_bytes).collect::<Vec<_>>(),
            "rest": rest,
            "grpc_connection_setup": grpc.connection_bytes,
        }),
    );
    Ok(report)
}
