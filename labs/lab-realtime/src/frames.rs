//! Scenario `frames`: what a WebSocket message looks like on the wire.
//!
//! A real client (tokio-tungstenite) talks to the lab's echo endpoint
//! through labkit's recording proxy, and labkit's frame decoder reads both
//! directions: header sizes grow from 2 to 4 to 10 bytes with the payload,
//! a client adds a 4-byte masking key to every frame and a server never
//! does. Then a client written by hand sends what libraries never send: a
//! message in three fragments, and a frame without a mask.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use futures::{SinkExt, StreamExt};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::websocket::{Frame, Frames, Opcode};
use labkit::wire::{Decoder, Direction, Proxy};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::Lab;
use crate::handshake::SAMPLE_KEY;
use crate::raw::RawSocket;

/// The scenario, as `cargo run -p lab-realtime -- frames` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "frames",
    "frame headers by payload size, masking, ping/pong, fragments, close codes",
    "2, 4 or 10 header bytes, +4 on every client frame; an unmasked client frame ends the connection",
);

/// Payload sizes that need 0, 2 and 8 bytes of extended length.
pub const SIZES: [usize; 3] = [100, 1_000, 70_000];

/// One message each way, as the decoder saw it.
#[derive(Debug, Clone)]
pub struct Sized {
    pub payload: usize,
    pub client_header: usize,
    pub client_masked: bool,
    pub server_header: usize,
    pub server_masked: bool,
}

/// Everything the library client's conversation showed.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub sizes: Vec<Sized>,
    /// The ping's payload and the pong's: the same bytes.
    pub ping: Vec<u8>,
    pub pong: Vec<u8>,
    /// The close codes each way (the server echoes the client's).
    pub close_sent: Option<u16>,
    pub close_back: Option<u16>,
    pub client_frames: Vec<Frame>,
    pub server_frames: Vec<Frame>,
}

// ANCHOR: converse
/// Echoes one text message of each size, a ping, then closes with 1000,
/// and decodes both directions of the recorded connection.
pub async fn converse(server: SocketAddr) -> anyhow::Result<Conversation> {
    let proxy = Proxy::start(server).await?;
    let url = format!("ws://{}/ws/echo", proxy.addr());
    let (mut ws, _) = tokio_tungstenite::connect_async(&url)
        .await
        .with_context(|| format!("WebSocket handshake with {url} failed"))?;
    for n in SIZES {
        ws.send(Message::text("x".repeat(n))).await?;
        ws.next().await.context("the echo never came")??;
    }
    ws.send(Message::Ping(b"are you there?".to_vec().into()))
        .await?;
    ws.next().await.context("no pong")??;
    let bye = CloseFrame {
        code: CloseCode::Normal,
        reason: "done".into(),
    };
    ws.close(Some(bye)).await?;
    while let Some(Ok(_)) = ws.next().await {}
    drop(ws);
    proxy.wait_closed(Duration::from_secs(5)).await;

    let conn = proxy
        .recording()
        .into_iter()
        .next()
        .context("no connection recorded")?;
    let sent = Frames.decode_conn(&conn, Direction::ToServer).complete()?;
    let back = Frames.decode_conn(&conn, Direction::ToClient).complete()?;
    let find = |frames: &[Frame], op: Opcode| frames.iter().find(|f| f.opcode == op).cloned();
    let sizes = sent
        .iter()
        .zip(&back)
        .filter(|(s, _)| s.opcode == Opcode::Text)
        .map(|(s, b)| Sized {
            payload: s.payload.len(),
            client_header: s.header_len,
            client_masked: s.is_masked(),
            server_header: b.header_len,
            server_masked: b.is_masked(),
        })
        .collect();
    Ok(Conversation {
        sizes,
        ping: find(&sent, Opcode::Ping)
            .map(|f| f.payload)
            .unwrap_or_default(),
        pong: find(&back, Opcode::Pong)
            .map(|f| f.payload)
            .unwrap_or_default(),
        close_sent: find(&sent, Opcode::Close).and_then(|f| f.close_code()),
        close_back: find(&back, Opcode::Close).and_then(|f| f.close_code()),
        client_frames: sent,
        server_frames: back,
    })
}
// ANCHOR_END: converse

/// What came back for a message sent in fragments.
#[derive(Debug, Clone)]
pub struct Fragmented {
    pub fragments_sent: usize,
    /// The server's answer: its frames and the text they carry.
    pub frames_back: usize,
    pub text_back: String,
}

// ANCHOR: fragments
/// Sends "hello, fragmented world" as three frames (FIN only on the last,
/// a ping between two of them); the echo comes back as one message.
pub async fn fragmented(server: SocketAddr) -> anyhow::Result<Fragmented> {
    let mut ws = RawSocket::connect(server, "/ws/echo", SAMPLE_KEY).await?;
    // ANCHOR: fragment_sends
    let mask = Some([0x12, 0x34, 0x56, 0x78]);
    ws.send(false, Opcode::Text, b"hello, ", mask).await?;
    ws.send(true, Opcode::Ping, b"", mask).await?; // allowed between fragments
    ws.send(false, Opcode::Continuation, b"fragmented ", mask)
        .await?;
    ws.send(true, Opcode::Continuation, b"world", mask).await?;
    // ANCHOR_END: fragment_sends
    let mut back = Vec::new();
    while let Some(frame) = ws.next_frame().await? {
        if frame.opcode == Opcode::Pong {
            continue;
        }
        let done = frame.fin;
        back.push(frame);
        if done {
            break;
        }
    }
    let text: Vec<u8> = back.iter().flat_map(|f| f.payload.clone()).collect();
    Ok(Fragmented {
        fragments_sent: 3,
        frames_back: back.len(),
        text_back: String::from_utf8_lossy(&text).into_owned(),
    })
}
// ANCHOR_END: fragments

/// What a server did with an unmasked client frame.
#[derive(Debug, Clone)]
pub struct Unmasked {
    /// Whether the text came back (it must not).
    pub echoed: bool,
    /// A close frame's code, if the server sent one before hanging up.
    pub close_code: Option<u16>,
    /// Whether the server ended the TCP connection.
    pub connection_ended: bool,
}

// ANCHOR: unmasked
/// Sends a text frame without a mask: RFC 6455 says the server must close
/// the connection (section 5.1).
pub async fn unmasked(server: SocketAddr) -> anyhow::Result<Unmasked> {
    // ANCHOR: unmasked_send
    let mut ws = RawSocket::connect(server, "/ws/echo", SAMPLE_KEY).await?;
    ws.send(true, Opcode::Text, b"no mask", None).await?;
    // ANCHOR_END: unmasked_send
    let mut outcome = Unmasked {
        echoed: false,
        close_code: None,
        connection_ended: false,
    };
    // ANCHOR: unmasked_watch
    loop {
        match ws.next_frame().await? {
            Some(f) if f.opcode == Opcode::Text => outcome.echoed = true,
            Some(f) if f.opcode == Opcode::Close => outcome.close_code = f.close_code(),
            Some(_) => {}
            None => break,
        }
    }
    outcome.connection_ended = ws.ended();
    // ANCHOR_END: unmasked_watch
    Ok(outcome)
}
// ANCHOR_END: unmasked

/// The `frames` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let server = lab.server().await?.addr;
    let talk = converse(server).await?;
    let frag = fragmented(server).await?;
    let bad = unmasked(server).await?;
    let mut report = Report::new(crate::LAB, "frames");
    let mut sizes = Table::new(
        "Frame headers for one text message each way (decoded by labkit)",
        &[
            "payload bytes",
            "client header",
            "client masked",
            "server header",
            "server masked",
        ],
    );
    for s in &talk.sizes {
        sizes.row([
            s.payload.to_string(),
            format!("{} bytes", s.client_header),
            s.client_masked.to_string(),
            format!("{} bytes", s.server_header),
            s.server_masked.to_string(),
        ]);
    }
    sizes.note(
        "2 bytes, +2 of length from 126 bytes, +8 from 65,536; a client adds a 4-byte mask key",
    );
    report.table(sizes);
    let mut other = Table::new(
        "Control frames, fragments and a broken rule",
        &["what", "what happened"],
    );
    other.row([
        "ping → pong",
        &format!(
            "ping carried {:?}, the pong {:?}",
            String::from_utf8_lossy(&talk.ping),
            String::from_utf8_lossy(&talk.pong)
        ),
    ]);
    other.row([
        "close",
        &format!(
            "client sent {:?}, server answered {:?}",
            talk.close_sent, talk.close_back
        ),
    ]);
    other.row([
        "3 fragments",
        &format!(
            "echoed as {} frame{}: {:?}",
            frag.frames_back,
            if frag.frames_back == 1 { "" } else { "s" },
            frag.text_back
        ),
    ]);
    other.row([
        "unmasked client frame",
        &format!(
            "echoed: {}, close code: {:?}, connection ended: {}",
            bad.echoed, bad.close_code, bad.connection_ended
        ),
    ]);
    report.table(other);
    report.value(
        "sizes",
        talk.sizes
            .iter()
            .map(|s| json!([s.payload, s.client_header, s.server_header]))
            .collect::<Vec<_>>(),
    );
    report.value(
        "unmasked",
        json!({"echoed": bad.echoed, "close": bad.close_code, "ended": bad.connection_ended}),
    );
    Ok(report)
}
