//! The WebSocket endpoints: the event stream, and an echo for the frames
//! scenario.
//!
//! axum does the handshake (checks `Upgrade`, `Connection`,
//! `Sec-WebSocket-Version: 13`, answers `101` with `Sec-WebSocket-Accept`)
//! and tungstenite reads and writes frames: it answers pings with pongs by
//! itself, reassembles fragmented messages, and fails a connection whose
//! client forgot to mask.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::Hub;

/// The close code a draining server sends: 1001, "going away".
pub const GOING_AWAY: u16 = 1001;

#[derive(Deserialize)]
pub struct After {
    #[serde(default)]
    after: u64,
}

pub async fn events(
    ws: WebSocketUpgrade,
    State(hub): State<Arc<Hub>>,
    Query(q): Query<After>,
) -> Response {
    ws.on_upgrade(move |socket| push_events(socket, hub, q.after))
}

// ANCHOR: push_events
/// Sends every event after `last` as a text message until the client goes,
/// or the server drains: then a close frame 1001 tells the client to
/// reconnect elsewhere, after everything already published was sent.
async fn push_events(mut socket: WebSocket, hub: Arc<Hub>, mut last: u64) {
    let mut draining = hub.draining.subscribe();
    loop {
        if *draining.borrow_and_update() {
            for event in hub.rest.events.after(last) {
                let text = serde_json::to_string(&event).unwrap_or_default();
                if socket.send(Message::text(text)).await.is_err() {
                    return;
                }
            }
            // ANCHOR: going_away
            let bye = CloseFrame {
                code: GOING_AWAY,
                reason: "server shutting down: reconnect".into(),
            };
            let _ = socket.send(Message::Close(Some(bye))).await;
            // ANCHOR_END: going_away
            return;
        }
        tokio::select! {
            events = hub.rest.events.wait_after(last, Duration::from_secs(30)) => {
                for event in events {
                    last = event.id;
                    let text = serde_json::to_string(&event).unwrap_or_default();
                    if socket.send(Message::text(text)).await.is_err() {
                        return;
                    }
                }
            }
            _ = draining.changed() => {}
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}
// ANCHOR_END: push_events

pub async fn echo(ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(echo_loop)
}

// ANCHOR: lean
/// The same echo with small buffers: tungstenite reads into a 128 KiB
/// buffer by default, which an idle connection holds for nothing.
pub async fn lean_echo(ws: WebSocketUpgrade) -> Response {
    ws.read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .on_upgrade(echo_loop)
}
// ANCHOR_END: lean

/// Sends back every text and binary message; tungstenite answers pings
/// and closes.
async fn echo_loop(mut socket: WebSocket) {
    while let Some(Ok(msg)) = socket.recv().await {
        // Other messages: keep reading. After a close, tungstenite sends
        // the close reply on the next read, then the stream ends.
        let data = matches!(msg, Message::Text(_) | Message::Binary(_));
        if data && socket.send(msg).await.is_err() {
            return;
        }
    }
}
