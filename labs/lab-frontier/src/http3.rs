//! Scenario `http3`: three requests over one QUIC connection with HTTP/3
//! (RFC 9114), spoken by the `h3` crate over quinn (`h3-quinn`). h3's
//! authors still call it experimental; the lab uses it as it is.
//!
//! Two views of the same connection:
//!
//! - **The server's**: what the h3 server was handed for each request —
//!   the QUIC stream id it arrived on and the ALPN the handshake agreed.
//! - **The wire's**: QUIC encrypts everything, so a UDP proxy would see
//!   nothing but packet headers. The lab puts a *tap* in the middle instead:
//!   a QUIC endpoint holding the lab's certificate, which ends the client's
//!   connection, opens its own to the server and copies every stream across
//!   byte for byte, recording it. That is what a TLS-terminating load
//!   balancer does; it is how the lab reads HTTP/3 frames (type and length,
//!   RFC 9114 §7.1) and QPACK header blocks (RFC 9204 §4.5) in clear.
//!
//! h3 0.0.8 encodes every header block with QPACK's static table only
//! (`qpack::encode_stateless`): a field that is in the static table becomes
//! its index, a known name gets a literal value, anything else goes as a
//! literal name and value; strings are always Huffman-coded; the dynamic
//! table is never used, so every block starts with a Required Insert Count
//! of 0 and the QPACK encoder stream carries nothing but its type byte.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use bytes::{Buf, Bytes};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::tls::Throwaway;
use quinn::crypto::rustls::{QuicClientConfig, QuicServerConfig};

use crate::Lab;
use crate::quic::{self, Tickets};

/// The scenario, as `cargo run -p lab-frontier -- http3` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "http3",
    "HTTP/3 with h3 (experimental upstream): one QUIC stream per request, QPACK headers",
    "each request is its own bidirectional stream (0, 4, 8) on one connection",
);

/// HTTP/3's ALPN token (RFC 9114 §3.1).
pub const ALPN_H3: &[u8] = b"h3";

/// The requests the client sends, one after the other: method, path, body.
pub const REQUESTS: &[(&str, &str, &str)] = &[
    ("GET", "/charges/ch_1", ""),
    ("GET", "/charges/ch_2", ""),
    ("POST", "/charges", r#"{"amount":1250,"currency":"EUR"}"#),
];

/// What the h3 server was handed for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The QUIC stream id the request arrived on.
    pub stream_id: u64,
    pub method: String,
    pub path: String,
    /// Body bytes received.
    pub body: usize,
    /// The ALPN the server's connection agreed on.
    pub alpn: String,
    /// The QUIC connection, numbered in the order the server accepted them.
    pub connection: usize,
}

/// The bytes of one QUIC stream, as the tap copied them.
#[derive(Debug, Clone, Default)]
pub struct Tapped {
    /// Client to server.
    pub up: Vec<u8>,
    /// Server to client.
    pub down: Vec<u8>,
}

/// Stream id → its bytes.
type Streams = Arc<Mutex<BTreeMap<u64, Tapped>>>;

// ANCHOR: server
/// The HTTP/3 server: each request arrives as its own bidirectional QUIC
/// stream; it answers with JSON and notes the stream id and the ALPN.
async fn serve(endpoint: quinn::Endpoint, log: Arc<Mutex<Vec<Served>>>) -> anyhow::Result<()> {
    let mut connection = 0;
    while let Some(incoming) = endpoint.accept().await {
        let conn = incoming.await?;
        connection += 1;
        let alpn = alpn_of(&conn);
        let mut h3 =
            h3::server::Connection::<_, Bytes>::new(h3_quinn::Connection::new(conn)).await?;
        while let Some(resolver) = h3.accept().await? {
            let (request, mut stream) = resolver.resolve_request().await?;
            let mut body = 0;
            while let Some(chunk) = stream.recv_data().await? {
                body += chunk.remaining();
            }
            let stream_id = stream.id().into_inner(); // 0, 4, 8…
            let answer = format!(
                r#"{{"stream":{stream_id},"path":"{}"}}"#,
                request.uri().path()
            );
            let response = http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .header("x-served-on-stream", stream_id.to_string())
                .body(())?;
            stream.send_response(response).await?;
            stream.send_data(Bytes::from(answer)).await?;
            stream.finish().await?;
            crate::served::lock(&log).push(Served {
                stream_id,
                method: request.method().to_string(),
                path: request.uri().path().to_string(),
                body,
                alpn: alpn.clone(),
                connection,
            });
        }
    }
    Ok(())
}
// ANCHOR_END: server

/// The ALPN protocol a QUIC connection agreed on, as text.
fn alpn_of(conn: &quinn::Connection) -> String {
    conn.handshake_data()
        .and_then(|d| d.downcast::<quinn::crypto::rustls::HandshakeData>().ok())
        .and_then(|d| d.protocol)
        .map(|p| String::from_utf8_lossy(&p).into_owned())
        .unwrap_or_else(|| "(none)".into())
}

// ANCHOR: client
/// The client: one QUIC connection, one `send_request` per request, one
/// after the other. h3 opens a new bidirectional stream for each.
async fn client(conn: quinn::Connection) -> anyhow::Result<Vec<(u16, String)>> {
    let (mut driver, mut send) = h3::client::new(h3_quinn::Connection::new(conn)).await?;
    let driving = tokio::spawn(async move { driver.wait_idle().await });
    let mut answers = Vec::new();
    for (method, path, body) in REQUESTS {
        let request = http::Request::builder()
            .method(*method)
            .uri(format!("https://localhost{path}"))
            .header("accept", "application/json")
            .header("user-agent", "lab-frontier")
            .body(())?;
        let mut stream = send.send_request(request).await?; // a new stream
        if !body.is_empty() {
            stream
                .send_data(Bytes::from_static(body.as_bytes()))
                .await?;
        }
        stream.finish().await?;
        let response = stream.recv_response().await?;
        let mut text = Vec::new();
        while let Some(mut chunk) = stream.recv_data().await? {
            text.extend_from_slice(&chunk.copy_to_bytes(chunk.remaining()));
        }
        answers.push((response.status().as_u16(), String::from_utf8(text)?));
    }
    drop(send); // the last handle gone: h3 closes the connection
    let _ = driving.await;
    Ok(answers)
}
// ANCHOR_END: client

/// A TLS server config with the lab's certificate and ALPN "h3".
fn tls_server_h3(certs: &Throwaway) -> anyhow::Result<quinn::ServerConfig> {
    let mut tls = quic::tls_server(certs, Tickets::SingleUse)?;
    tls.max_early_data_size = 0;
    tls.alpn_protocols = vec![ALPN_H3.to_vec()];
    Ok(quinn::ServerConfig::with_crypto(Arc::new(
        QuicServerConfig::try_from(tls)?,
    )))
}

/// A client config that trusts the lab's CA and offers ALPN "h3".
fn client_config_h3(certs: &Throwaway) -> anyhow::Result<quinn::ClientConfig> {
    let mut tls = quic::tls_client(certs)?;
    tls.enable_early_data = false;
    tls.alpn_protocols = vec![ALPN_H3.to_vec()];
    Ok(quinn::ClientConfig::new(Arc::new(
        QuicClientConfig::try_from(tls)?,
    )))
}

/// An HTTP/3 server endpoint on a free loopback port.
pub fn h3_server(certs: &Throwaway) -> anyhow::Result<quinn::Endpoint> {
    quinn::Endpoint::server(tls_server_h3(certs)?, quic::loopback())
        .context("could not open a UDP socket on 127.0.0.1")
}

/// An HTTP/3 client endpoint on a free loopback port.
pub fn h3_client(certs: &Throwaway) -> anyhow::Result<quinn::Endpoint> {
    quic::client_with(client_config_h3(certs)?)
}

// ANCHOR: tap
/// Copies one stream's bytes from `recv` to `send`, recording them.
async fn copy(
    mut recv: quinn::RecvStream,
    mut send: quinn::SendStream,
    id: u64,
    up: bool,
    streams: Streams,
) {
    while let Ok(Some(chunk)) = recv.read_chunk(usize::MAX, true).await {
        {
            let mut all = crate::served::lock(&streams);
            let tapped = all.entry(id).or_default();
            let side = if up { &mut tapped.up } else { &mut tapped.down };
            side.extend_from_slice(&chunk.bytes);
        }
        if send.write_all(&chunk.bytes).await.is_err() {
            return;
        }
    }
    let _ = send.finish();
}

/// The tap: ends the client's QUIC connection with the lab's certificate,
/// opens its own to `server`, and copies every stream both ways. Streams
/// are opened on the far side in the order they arrive, so they keep
/// their ids (0, 4, 8… for requests; 2, 6, 10… for the client's
/// unidirectional streams; 3, 7, 11… for the server's).
async fn tap(
    front: quinn::Endpoint,
    server: SocketAddr,
    back: quinn::Endpoint,
    streams: Streams,
) -> anyhow::Result<()> {
    let Some(incoming) = front.accept().await else {
        return Ok(());
    };
    let client = incoming.await?;
    let upstream = back.connect(server, "localhost")?.await?;
    let (c, u, s) = (client.clone(), upstream.clone(), streams.clone());
    let requests = tokio::spawn(async move {
        while let Ok((c_send, c_recv)) = c.accept_bi().await {
            let Ok((u_send, u_recv)) = u.open_bi().await else {
                break;
            };
            let id = u64::from(c_recv.id());
            tokio::spawn(copy(c_recv, u_send, id, true, s.clone()));
            tokio::spawn(copy(u_recv, c_send, id, false, s.clone()));
        }
    });
    let uni = |from: quinn::Connection, to: quinn::Connection, up: bool| {
        let s = streams.clone();
        tokio::spawn(async move {
            while let Ok(recv) = from.accept_uni().await {
                let Ok(send) = to.open_uni().await else {
                    break;
                };
                let id = u64::from(recv.id());
                tokio::spawn(copy(recv, send, id, up, s.clone()));
            }
        })
    };
    let up = uni(client.clone(), upstream.clone(), true);
    let down = uni(upstream.clone(), client.clone(), false);
    // The client closing its connection ends the tap's one to the server.
    let reason = client.closed().await;
    if let quinn::ConnectionError::ApplicationClosed(close) = reason {
        upstream.close(close.error_code, &close.reason);
    }
    for task in [requests, up, down] {
        task.abort();
    }
    Ok(())
}
// ANCHOR_END: tap

/// One HTTP/3 frame: type, length, payload (RFC 9114 §7.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub kind: u64,
    pub payload: Bytes,
}

impl Frame {
    /// The frame type's name in RFC 9114 §7.2.
    pub fn name(&self) -> String {
        frame_name(self.kind)
    }
}

/// The name of HTTP/3 frame type `kind`.
pub fn frame_name(kind: u64) -> String {
    match kind {
        0x00 => "DATA".into(),
        0x01 => "HEADERS".into(),
        0x03 => "CANCEL_PUSH".into(),
        0x04 => "SETTINGS".into(),
        0x05 => "PUSH_PROMISE".into(),
        0x07 => "GOAWAY".into(),
        0x0d => "MAX_PUSH_ID".into(),
        k if k >= 0x21 && (k - 0x21) % 0x1f == 0 => "reserved".into(),
        k => format!("0x{k:x}"),
    }
}

/// The name of unidirectional stream type `kind` (RFC 9114 §6.2, RFC 9204 §4.2).
pub fn stream_type_name(kind: u64) -> String {
    match kind {
        0x00 => "control".into(),
        0x01 => "push".into(),
        0x02 => "QPACK encoder".into(),
        0x03 => "QPACK decoder".into(),
        k if k >= 0x21 && (k - 0x21) % 0x1f == 0 => "reserved".into(),
        k => format!("0x{k:x}"),
    }
}

/// The name of SETTINGS parameter `id` (RFC 9114 §7.2.4.1, RFC 9204 §5,
/// RFC 9220, RFC 9297).
pub fn setting_name(id: u64) -> String {
    match id {
        0x01 => "QPACK_MAX_TABLE_CAPACITY".into(),
        0x06 => "MAX_FIELD_SECTION_SIZE".into(),
        0x07 => "QPACK_BLOCKED_STREAMS".into(),
        0x08 => "ENABLE_CONNECT_PROTOCOL".into(),
        0x33 => "H3_DATAGRAM".into(),
        0x2b60_3742 => "ENABLE_WEBTRANSPORT (draft)".into(),
        0x2b60_3743 => "WEBTRANSPORT_MAX_SESSIONS (draft)".into(),
        k if k >= 0x21 && (k - 0x21) % 0x1f == 0 => "reserved".into(),
        k => format!("0x{k:x}"),
    }
}

/// A QUIC variable-length integer (RFC 9000 §16) at the front of `buf`.
pub fn varint(buf: &mut &[u8]) -> Option<u64> {
    let first = *buf.first()?;
    let len = 1usize << (first >> 6);
    if buf.len() < len {
        return None;
    }
    let mut value = u64::from(first & 0x3f);
    for b in &buf[1..len] {
        value = (value << 8) | u64::from(*b);
    }
    *buf = &buf[len..];
    Some(value)
}

/// The frames in `bytes`, as far as they are complete.
pub fn frames(mut bytes: &[u8]) -> Vec<Frame> {
    let mut out = Vec::new();
    loop {
        let mut rest = bytes;
        let (Some(kind), Some(len)) = (varint(&mut rest), varint(&mut rest)) else {
            return out;
        };
        let Ok(len) = usize::try_from(len) else {
            return out;
        };
        if rest.len() < len {
            return out;
        }
        out.push(Frame {
            kind,
            payload: Bytes::copy_from_slice(&rest[..len]),
        });
        bytes = &rest[len..];
    }
}

/// The (id, value) pairs of a SETTINGS frame's payload.
pub fn settings(mut payload: &[u8]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    while let (Some(id), Some(value)) = (varint(&mut payload), varint(&mut payload)) {
        out.push((id, value));
    }
    out
}

/// One field line of a QPACK header block (RFC 9204 §4.5.2–4.5.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldLine {
    /// The whole field is entry `index` of a table: one or two bytes.
    Indexed { is_static: bool, index: u64 },
    /// The name is entry `index`, the value follows as a string.
    NameRef {
        is_static: bool,
        index: u64,
        value: usize,
        huffman: bool,
    },
    /// Name and value both follow as strings.
    Literal {
        name: usize,
        value: usize,
        huffman: bool,
    },
    /// A line that refers to entries after the Base (dynamic table only).
    PostBase,
}

/// A decoded QPACK header block: its prefix and its field lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 0 means the block needs no dynamic table entry at all.
    pub required_insert_count: u64,
    pub lines: Vec<FieldLine>,
    /// The block's size in bytes (the HEADERS frame's payload).
    pub size: usize,
}

/// A QPACK prefixed integer with an `n`-bit prefix (RFC 9204 §4.1.1,
/// which is HPACK's, RFC 7541 §5.1).
fn prefix_int(buf: &mut &[u8], n: u8) -> Option<u64> {
    let mask = ((1u16 << n) - 1) as u8;
    let mut value = u64::from(*buf.first()? & mask);
    *buf = &buf[1..];
    if value < u64::from(mask) {
        return Some(value);
    }
    let mut shift = 0;
    loop {
        let b = *buf.first()?;
        *buf = &buf[1..];
        value += u64::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 || shift > 56 {
            return Some(value);
        }
    }
}

/// A string literal with an `n`-bit length prefix and the Huffman flag
/// just above it: skipped, its encoded length and flag returned.
fn string(buf: &mut &[u8], n: u8) -> Option<(usize, bool)> {
    let huffman = *buf.first()? & (1 << n) != 0;
    let len = usize::try_from(prefix_int(buf, n)?).ok()?;
    if buf.len() < len {
        return None;
    }
    *buf = &buf[len..];
    Some((len, huffman))
}

// ANCHOR: qpack
/// Reads a QPACK header block: the prefix, then each field line's kind
/// from its first bits.
pub fn qpack_block(payload: &[u8]) -> anyhow::Result<Block> {
    let bad = || anyhow::anyhow!("a QPACK block cut short: {payload:02x?}");
    let mut buf = payload;
    let required_insert_count = prefix_int(&mut buf, 8).ok_or_else(bad)?;
    prefix_int(&mut buf, 7).ok_or_else(bad)?; // sign bit and Delta Base
    let mut lines = Vec::new();
    while let Some(&first) = buf.first() {
        let line = if first & 0x80 != 0 {
            // 1Txxxxxx: indexed field line
            let is_static = first & 0x40 != 0;
            let index = prefix_int(&mut buf, 6).ok_or_else(bad)?;
            FieldLine::Indexed { is_static, index }
        } else if first & 0x40 != 0 {
            // 01NTxxxx: literal value, name from a table
            let is_static = first & 0x10 != 0;
            let index = prefix_int(&mut buf, 4).ok_or_else(bad)?;
            let (value, huffman) = string(&mut buf, 7).ok_or_else(bad)?;
            FieldLine::NameRef {
                is_static,
                index,
                value,
                huffman,
            }
        } else if first & 0x20 != 0 {
            // 001NHxxx: literal name, literal value
            let (name, _) = string(&mut buf, 3).ok_or_else(bad)?;
            let (value, huffman) = string(&mut buf, 7).ok_or_else(bad)?;
            FieldLine::Literal {
                name,
                value,
                huffman,
            }
        } else {
            // 0001xxxx or 0000Nxxx: post-base references, dynamic table only
            let n = if first & 0x10 != 0 { 4 } else { 3 };
            prefix_int(&mut buf, n).ok_or_else(bad)?;
            if first & 0x10 == 0 {
                string(&mut buf, 7).ok_or_else(bad)?;
            }
            FieldLine::PostBase
        };
        lines.push(line);
    }
    Ok(Block {
        required_insert_count,
        lines,
        size: payload.len(),
    })
}
// ANCHOR_END: qpack

impl FieldLine {
    /// How the line is written, in a few words.
    pub fn describe(&self) -> String {
        let table = |s: bool| if s { "static" } else { "dynamic" };
        let coded = |h: bool| if h { "Huffman" } else { "raw" };
        match self {
            FieldLine::Indexed { is_static, index } => {
                format!("whole field = {} entry {index}", table(*is_static))
            }
            FieldLine::NameRef {
                is_static,
                index,
                value,
                huffman,
            } => format!(
                "name = {} entry {index}, value {value} B {}",
                table(*is_static),
                coded(*huffman)
            ),
            FieldLine::Literal {
                name,
                value,
                huffman,
            } => format!("literal name {name} B, value {value} B {}", coded(*huffman)),
            FieldLine::PostBase => "post-base reference (dynamic)".into(),
        }
    }
}

/// The header fields one request carries, as the client builds them: the
/// pseudo-header fields first (RFC 9114 §4.3.1), then the rest.
pub fn request_fields(method: &str, path: &str) -> Vec<(String, String)> {
    vec![
        (":method".into(), method.into()),
        (":scheme".into(), "https".into()),
        (":authority".into(), "localhost".into()),
        (":path".into(), path.into()),
        ("accept".into(), "application/json".into()),
        ("user-agent".into(), "lab-frontier".into()),
    ]
}

/// The header fields of one response.
pub fn response_fields(stream_id: u64) -> Vec<(String, String)> {
    vec![
        (":status".into(), "200".into()),
        ("content-type".into(), "application/json".into()),
        ("x-served-on-stream".into(), stream_id.to_string()),
    ]
}

/// Plain size of a header list: names and values, byte for byte, with
/// nothing between them.
pub fn plain_size(fields: &[(String, String)]) -> usize {
    fields.iter().map(|(n, v)| n.len() + v.len()).sum()
}

/// One stream as the tap saw it: its id, who opened it, what it carries.
#[derive(Debug, Clone)]
pub struct StreamView {
    pub id: u64,
    /// For a unidirectional stream, its type (first varint).
    pub uni_type: Option<u64>,
    /// Frames client to server, then server to client.
    pub up: Vec<Frame>,
    pub down: Vec<Frame>,
    /// Bytes after the stream type (unidirectional streams).
    pub body_bytes: usize,
}

impl StreamView {
    fn from_tapped(id: u64, tapped: &Tapped) -> StreamView {
        if id & 0x2 == 0 {
            return StreamView {
                id,
                uni_type: None,
                up: frames(&tapped.up),
                down: frames(&tapped.down),
                body_bytes: 0,
            };
        }
        let raw = if id & 0x1 == 0 {
            &tapped.up
        } else {
            &tapped.down
        };
        let mut rest = raw.as_slice();
        let kind = varint(&mut rest);
        // Control streams hold frames; QPACK's streams hold instructions.
        let framed = if kind == Some(0) {
            frames(rest)
        } else {
            Vec::new()
        };
        let (up, down) = if id & 0x1 == 0 {
            (framed, Vec::new())
        } else {
            (Vec::new(), framed)
        };
        StreamView {
            id,
            uni_type: kind,
            up,
            down,
            body_bytes: rest.len(),
        }
    }

    /// "client, bidi" and so on (RFC 9000 §2.1: the two low bits).
    pub fn opened_by(&self) -> &'static str {
        match self.id & 0x3 {
            0 => "client, bidi",
            1 => "server, bidi",
            2 => "client, uni",
            _ => "server, uni",
        }
    }
}

/// Everything one run of the scenario saw.
#[derive(Debug, Clone)]
pub struct Run {
    pub served: Vec<Served>,
    /// Status and body of each answer, in order.
    pub answers: Vec<(u16, String)>,
    pub streams: Vec<StreamView>,
}

impl Run {
    /// The request streams (client-initiated, bidirectional).
    pub fn requests(&self) -> Vec<&StreamView> {
        self.streams.iter().filter(|s| s.id & 0x3 == 0).collect()
    }

    /// The unidirectional stream of type `kind` opened by the client
    /// (`client = true`) or the server.
    pub fn uni(&self, kind: u64, client: bool) -> Option<&StreamView> {
        self.streams
            .iter()
            .find(|s| s.uni_type == Some(kind) && (s.id & 0x1 == 0) == client && s.id & 0x2 != 0)
    }
}

/// One run: the h3 server, the tap in front of it, the h3 client sending
/// [`REQUESTS`] over one connection through the tap.
pub async fn exchange(certs: &Throwaway) -> anyhow::Result<Run> {
    let server = h3_server(certs)?;
    let log = Arc::new(Mutex::new(Vec::new()));
    let serving = tokio::spawn(serve(server.clone(), log.clone()));
    let front = h3_server(certs)?;
    let front_addr = front.local_addr()?;
    let streams: Streams = Arc::default();
    let tapping = tokio::spawn(tap(
        front.clone(),
        server.local_addr()?,
        h3_client(certs)?,
        streams.clone(),
    ));
    let endpoint = h3_client(certs)?;
    let conn = endpoint.connect(front_addr, "localhost")?.await?;
    let answers = client(conn).await?;
    endpoint.wait_idle().await;
    tokio::time::timeout(std::time::Duration::from_secs(10), tapping)
        .await
        .context("the tap did not see the client close within 10 s")???;
    // Let the server finish noting the last request, then stop it.
    for _ in 0..100 {
        if crate::served::lock(&log).len() >= REQUESTS.len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    server.close(0u32.into(), b"done");
    front.close(0u32.into(), b"done");
    serving.abort();
    let served = crate::served::lock(&log).clone();
    let streams = crate::served::lock(&streams)
        .iter()
        .map(|(id, t)| StreamView::from_tapped(*id, t))
        .collect();
    Ok(Run {
        served,
        answers,
        streams,
    })
}

fn frame_list(frames: &[Frame]) -> String {
    frames
        .iter()
        .map(|f| format!("{} {}", f.name(), f.payload.len()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `http3` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let run = exchange(&*lab.certs()?).await?;
    let mut report = Report::new(crate::LAB, "http3");

    let mut served = Table::new(
        "what the h3 server was handed: one connection, one stream per request",
        &["request", "QUIC stream", "connection", "ALPN", "answer"],
    );
    for (s, (status, _)) in run.served.iter().zip(&run.answers) {
        served.row([
            format!("{} {}", s.method, s.path),
            s.stream_id.to_string(),
            s.connection.to_string(),
            s.alpn.clone(),
            status.to_string(),
        ]);
    }
    report.table(served);

    let mut wire = Table::new(
        "every stream, as the tap copied it (frame type and payload bytes)",
        &["stream", "carries", "client → server", "server → client"],
    );
    for s in &run.streams {
        let carries = match s.uni_type {
            None => "a request".to_string(),
            Some(kind) => stream_type_name(kind),
        };
        let (up, down) = match (s.uni_type, s.id & 0x1) {
            (None, _) | (Some(0), _) => (frame_list(&s.up), frame_list(&s.down)),
            (Some(_), 0) => (format!("{} B after the type", s.body_bytes), String::new()),
            (Some(_), _) => (String::new(), format!("{} B after the type", s.body_bytes)),
        };
        wire.row([s.id.to_string(), carries, up, down]);
    }
    wire.note(
        "stream ids (RFC 9000 §2.1, the two low bits): 0, 4, 8… the client's \
         bidirectional; 2, 6, 10… the client's unidirectional; 3, 7, 11… the server's",
    );
    for (client, who) in [(true, "client"), (false, "server")] {
        let Some(control) = run.uni(0, client) else {
            continue;
        };
        let frames = if client { &control.up } else { &control.down };
        if let Some(f) = frames.iter().find(|f| f.kind == 0x04) {
            let listed: Vec<String> = settings(&f.payload)
                .iter()
                .map(|(id, v)| match v {
                    0x3fff_ffff_ffff_ffff => format!("{}=2^62-1", setting_name(*id)),
                    v => format!("{}={v}", setting_name(*id)),
                })
                .collect();
            wire.note(format!("{who}'s SETTINGS: {}", listed.join(", ")));
        }
    }
    report.table(wire);

    let mut qpack = Table::new(
        "QPACK header blocks (static table only, as h3 encodes them)",
        &[
            "stream",
            "headers",
            "fields",
            "plain B",
            "QPACK B",
            "insert count",
        ],
    );
    let mut first_block = None;
    for (s, (method, path, _)) in run.requests().iter().zip(REQUESTS) {
        for (up, fields) in [
            (true, request_fields(method, path)),
            (false, response_fields(s.id)),
        ] {
            let frames = if up { &s.up } else { &s.down };
            let headers = frames
                .iter()
                .find(|f| f.kind == 0x01)
                .context("a request stream without HEADERS")?;
            let block = qpack_block(&headers.payload)?;
            qpack.row([
                s.id.to_string(),
                if up { "request" } else { "response" }.to_string(),
                block.lines.len().to_string(),
                plain_size(&fields).to_string(),
                block.size.to_string(),
                block.required_insert_count.to_string(),
            ]);
            if first_block.is_none() {
                first_block = Some((fields, block));
            }
        }
    }
    qpack.note("plain B: names and values byte for byte; insert count 0: no dynamic table");
    report.table(qpack);

    if let Some((fields, block)) = first_block {
        let mut lines = Table::new(
            "the first request's header block, line by line",
            &["field", "how QPACK wrote it"],
        );
        lines.note("2 bytes of prefix come first: Required Insert Count 0, Delta Base 0");
        for ((name, value), line) in fields.iter().zip(&block.lines) {
            lines.row([format!("{name}: {value}"), line.describe()]);
        }
        report.table(lines);
    }
    report.value(
        "stream_ids",
        run.served.iter().map(|s| s.stream_id).collect::<Vec<_>>(),
    );
    report.value("alpn", run.served.first().map(|s| s.alpn.clone()));
    Ok(report)
}
