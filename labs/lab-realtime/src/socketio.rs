//! Scenario `socketio`: Socket.IO is a protocol on top of WebSocket, not
//! WebSocket.
//!
//! A Socket.IO server (socketioxide here) speaks Engine.IO inside its
//! WebSocket: every message starts with a packet-type digit, the session
//! opens with a `0{"sid":...}` packet the client must understand, and
//! events travel as `42["name",data]`. A plain WebSocket client that does
//! not speak that protocol is refused at the handshake when it leaves out
//! the Engine.IO query (`EIO=4&transport=websocket`), and is disconnected
//! when it sends a message that is not an Engine.IO packet.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use futures::{SinkExt, StreamExt};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use serde_json::{Value, json};
use socketioxide::SocketIo;
use socketioxide::extract::{Data, SocketRef};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

use crate::Lab;

/// The scenario, as `cargo run -p lab-realtime -- socketio` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "socketio",
    "a plain WebSocket client against a Socket.IO server (socketioxide)",
    "the Engine.IO open packet, and what happens to a message that is not one",
);

/// A Socket.IO server whose `echo` event answers with `echo`; stops on drop.
pub struct SocketIoServer {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for SocketIoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the Socket.IO server on a free port.
pub async fn spawn() -> anyhow::Result<SocketIoServer> {
    let (layer, io) = SocketIo::new_layer();
    io.ns("/", async |socket: SocketRef| {
        socket.on(
            "echo",
            async |socket: SocketRef, Data::<serde_json::Value>(data)| {
                let _ = socket.emit("echo", &data);
            },
        );
    });
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = Router::new().layer(layer);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(SocketIoServer { addr, task })
}

/// What a plain WebSocket client saw.
#[derive(Debug, Clone)]
pub struct PlainClient {
    /// The handshake error without the Engine.IO query, if refused.
    pub without_query: Result<(), String>,
    /// The first message the server sent after a handshake with the query.
    pub first_message: Option<String>,
    /// Messages received after sending plain text "hello".
    pub after_hello: Vec<String>,
    /// Whether the server ended the connection after "hello".
    pub closed_after_hello: bool,
}

// ANCHOR: plain_client
/// Talks to a Socket.IO server as a plain WebSocket client would.
pub async fn plain_client(server: SocketAddr) -> anyhow::Result<PlainClient> {
    // ANCHOR: eio_query
    let bare = format!("ws://{server}/socket.io/");
    let without_query = match tokio_tungstenite::connect_async(&bare).await {
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    };
    let full = format!("ws://{server}/socket.io/?EIO=4&transport=websocket");
    let (mut ws, _) = tokio_tungstenite::connect_async(&full).await?;
    let first = next_text(&mut ws).await;
    ws.send(Message::text("hello")).await?;
    // ANCHOR_END: eio_query
    let mut after_hello = Vec::new();
    let mut closed = false;
    loop {
        match tokio::time::timeout(Duration::from_secs(2), ws.next()).await {
            Err(_) => break, // quiet, still open
            Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => {
                closed = true;
                break;
            }
            Ok(Some(Ok(Message::Text(t)))) => after_hello.push(t.to_string()),
            Ok(Some(Ok(_))) => {}
        }
    }
    Ok(PlainClient {
        without_query,
        first_message: first,
        after_hello,
        closed_after_hello: closed,
    })
}
// ANCHOR_END: plain_client

async fn next_text<S>(ws: &mut tokio_tungstenite::WebSocketStream<S>) -> Option<String>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    match tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
        Ok(Some(Ok(Message::Text(t)))) => Some(t.to_string()),
        _ => None,
    }
}

/// The `socketio` scenario: it starts its own Socket.IO server.
/// An Engine.IO open packet (`0` and a JSON object) as its fields, so that
/// the report wraps; anything else as it came.
fn open_packet(m: &str) -> String {
    let fields = m
        .strip_prefix('0')
        .and_then(|json| serde_json::from_str::<serde_json::Map<String, Value>>(json).ok());
    match fields {
        Some(map) => {
            let shown: Vec<String> = map
                .iter()
                .map(|(k, v)| match k.as_str() {
                    "sid" => "sid".to_string(),
                    _ => format!("{k} {v}"),
                })
                .collect();
            format!("0 (open), then JSON: {}", shown.join(", "))
        }
        None => format!("{m:?}"),
    }
}

pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let server = spawn().await?;
    let c = plain_client(server.addr).await?;
    let mut table = Table::new(
        "A plain WebSocket client against a Socket.IO server (socketioxide)",
        &["what", "what happened"],
    );
    table.row([
        "without ?EIO=4",
        &match &c.without_query {
            Ok(()) => "accepted".to_string(),
            Err(e) => format!("refused: {e}"),
        },
    ]);
    table.row([
        "with it, first message",
        &c.first_message
            .as_deref()
            .map_or("none".into(), open_packet),
    ]);
    table.row([
        "then plain \"hello\"",
        &format!(
            "received {:?}; connection ended: {}",
            c.after_hello, c.closed_after_hello
        ),
    ]);
    table.note("the client connects to /socket.io/; a sid is the session's id");
    table.note("Socket.IO clients speak Engine.IO packets (0 open, 2 ping, 3 pong, 4 message) inside the WebSocket");
    let mut report = Report::new(crate::LAB, "socketio");
    report.table(table);
    report.value(
        "plain_client",
        json!({"refused_without_query": c.without_query.is_err(),
        "first": c.first_message, "closed_after_hello": c.closed_after_hello}),
    );
    Ok(report)
}
