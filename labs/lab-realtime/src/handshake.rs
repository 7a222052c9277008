//! Scenario `handshake`: the HTTP request that becomes a WebSocket, and
//! the `Sec-WebSocket-Accept` value computed by hand.
//!
//! The client sends a `GET` with `Upgrade: websocket`, `Connection:
//! Upgrade`, `Sec-WebSocket-Version: 13` and a random 16-byte
//! `Sec-WebSocket-Key` in base64. The server proves it understood the
//! request as a WebSocket handshake (and is not some HTTP cache replaying an
//! old answer) by hashing the key with a fixed GUID: base64(SHA-1(key +
//! GUID)). From the `101` on, both sides speak frames.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use base64::Engine;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy, http1};
use serde_json::json;
use sha1::{Digest, Sha1};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::Lab;
use crate::raw::read_head;

/// The scenario, as `cargo run -p lab-realtime -- handshake` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "handshake",
    "the HTTP Upgrade request, the 101 answer, Sec-WebSocket-Accept by hand",
    "the accept value computed here equals the server's",
);

/// The GUID from RFC 6455 section 1.3, the same for every server.
pub const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// RFC 6455's own example key (section 1.3), so the reader can compare.
pub const SAMPLE_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";

// ANCHOR: accept_for
/// What the server must answer in `Sec-WebSocket-Accept` for `key`.
pub fn accept_for(key: &str) -> String {
    let mut sha1 = Sha1::new();
    sha1.update(key.as_bytes());
    sha1.update(GUID.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(sha1.finalize())
}
// ANCHOR_END: accept_for

/// The upgrade request for `path` on `addr`, with `key`.
pub fn request(addr: SocketAddr, path: &str, key: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\n\
         Host: {addr}\r\n\
         Upgrade: websocket\r\n\
         Connection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\n\
         Sec-WebSocket-Version: 13\r\n\r\n"
    )
}

/// The parts of a handshake answer the lesson looks at.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub upgrade: Option<String>,
    pub accept: Option<String>,
    /// The whole head, as text.
    pub head: String,
}

impl Answer {
    /// Parses an HTTP response head (with labkit's HTTP/1.1 decoder).
    pub fn parse(head: &str) -> anyhow::Result<Answer> {
        let message = http1::response_head(head.as_bytes())
            .with_context(|| format!("not an HTTP answer: {head:?}"))?;
        let header = |name: &str| message.header(name).map(str::to_string);
        Ok(Answer {
            status: message.status().unwrap_or_default(),
            upgrade: header("upgrade"),
            accept: header("sec-websocket-accept"),
            head: head.to_string(),
        })
    }
}

/// What one handshake showed.
#[derive(Debug, Clone)]
pub struct Handshake {
    pub request: String,
    pub answer: Answer,
    /// `accept_for(key)`, computed here.
    pub expected_accept: String,
    /// Bytes each way on the wire, handshake only.
    pub request_bytes: u64,
    pub answer_bytes: u64,
}

/// Sends `request_text` raw through a recording proxy to `server` and
/// reads the answer's head.
pub async fn exchange(
    server: SocketAddr,
    request_text: &str,
    key: &str,
) -> anyhow::Result<Handshake> {
    let proxy = Proxy::start(server).await?;
    let mut stream = TcpStream::connect(proxy.addr()).await?;
    stream.write_all(request_text.as_bytes()).await?;
    let (head, _) = read_head(&mut stream).await?;
    let answer = Answer::parse(&head)?;
    drop(stream);
    proxy.wait_closed(std::time::Duration::from_secs(5)).await;
    Ok(Handshake {
        request: request_text.to_string(),
        expected_accept: accept_for(key),
        request_bytes: proxy.bytes(Direction::ToServer),
        answer_bytes: head.len() as u64,
        answer,
    })
}

/// A correct handshake with RFC 6455's sample key.
pub async fn upgrade(server: SocketAddr) -> anyhow::Result<Handshake> {
    exchange(server, &request(server, "/ws/echo", SAMPLE_KEY), SAMPLE_KEY).await
}

/// The same request without `Sec-WebSocket-Version`: not a handshake.
pub async fn without_version(server: SocketAddr) -> anyhow::Result<Handshake> {
    let text = request(server, "/ws/echo", SAMPLE_KEY).replace("Sec-WebSocket-Version: 13\r\n", "");
    exchange(server, &text, SAMPLE_KEY).await
}

/// The `handshake` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let server = lab.server().await?.addr;
    let ok = upgrade(server).await?;
    if ok.answer.status != 101 {
        bail!(
            "the lab's server answered {} to a WebSocket handshake",
            ok.answer.status
        );
    }
    let bad = without_version(server).await?;
    let mut report = Report::new(crate::LAB, "handshake");
    let mut wire = Table::new("The handshake on the wire", &["who", "line"]);
    for line in ok.request.lines().filter(|l| !l.is_empty()) {
        wire.row(["client", line]);
    }
    for line in ok.answer.head.lines().filter(|l| !l.is_empty()) {
        wire.row(["server", line]);
    }
    report.table(wire);
    let mut table = Table::new(
        "Sec-WebSocket-Accept, by hand and from the server",
        &["", "value"],
    );
    table.row(["key sent".to_string(), SAMPLE_KEY.to_string()]);
    table.row([
        "base64(SHA-1(key + GUID)), computed here".to_string(),
        ok.expected_accept.clone(),
    ]);
    table.row([
        "the server's answer".to_string(),
        ok.answer.accept.clone().unwrap_or_default(),
    ]);
    table.row([
        "without Sec-WebSocket-Version".to_string(),
        format!("HTTP {}, no upgrade", bad.answer.status),
    ]);
    table.note(format!(
        "the handshake cost {} bytes up and {} bytes down, once per connection",
        ok.request_bytes, ok.answer_bytes
    ));
    report.table(table);
    report.value(
        "handshake",
        json!({"status": ok.answer.status, "accept": ok.answer.accept, "expected": ok.expected_accept,
               "request_bytes": ok.request_bytes, "answer_bytes": ok.answer_bytes,
               "without_version_status": bad.answer.status}),
    );
    Ok(report)
}
