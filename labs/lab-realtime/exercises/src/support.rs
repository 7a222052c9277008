//! Plumbing the exercises share: real WebSocket servers to talk to and the
//! lab's SSE parser. Nothing to change here.

use std::net::SocketAddr;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use labkit::wire::Proxy;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// A client WebSocket, as tokio-tungstenite gives it.
pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One SSE event as the lab's parser reads it.
pub use lab_realtime::sse_client::SseEvent;

/// Cuts an SSE body into events with the lab's own parser.
pub fn parse_sse(body: &str) -> Vec<SseEvent> {
    body.split("\n\n")
        .filter_map(lab_realtime::sse_client::parse_block)
        .collect()
}

/// A tungstenite echo server (it answers pings by itself) on a free port.
pub async fn echo_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(sock).await else {
                    return;
                };
                while let Some(Ok(msg)) = ws.next().await {
                    if (msg.is_text() || msg.is_binary()) && ws.send(msg).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

/// A client connected to an echo server through labkit's proxy, whose
/// faults the test controls.
pub async fn echo_through_proxy() -> (Ws, Proxy) {
    let proxy = Proxy::start(echo_server().await)
        .await
        .expect("the proxy starts");
    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/", proxy.addr()))
        .await
        .expect("the WebSocket handshake succeeds");
    (ws, proxy)
}

/// A server speaking the envelope protocol of `realtime-envelope`: it
/// answers `{"type":"request","id":N,"method":M,"params":{"delay_ms":D,..}}`
/// after D ms with `{"type":"response","id":N,"result":{"method":M,"params":..}}`,
/// and pushes an event after every request it receives.
pub async fn envelope_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(ws) = tokio_tungstenite::accept_async(sock).await else {
                    return;
                };
                let (mut tx, mut rx) = ws.split();
                let (out, mut outbox) = mpsc::unbounded_channel::<Value>();
                tokio::spawn(async move {
                    while let Some(v) = outbox.recv().await {
                        if tx.send(Message::text(v.to_string())).await.is_err() {
                            return;
                        }
                    }
                });
                while let Some(Ok(msg)) = rx.next().await {
                    let Ok(text) = msg.to_text() else { continue };
                    let Ok(req) = serde_json::from_str::<Value>(text) else {
                        continue;
                    };
                    if req["type"] != "request" {
                        continue;
                    }
                    let delay = req["params"]["delay_ms"].as_u64().unwrap_or(0);
                    let out = out.clone();
                    let _ = out.send(
                        json!({"type": "event", "name": "received", "data": {"id": req["id"]}}),
                    );
                    tokio::spawn(async move {
                        tokio::time::sleep(Duration::from_millis(delay)).await;
                        let _ = out.send(json!({"type": "response", "id": req["id"],
                            "result": {"method": req["method"], "params": req["params"]}}));
                    });
                }
            });
        }
    });
    addr
}
