//! Plumbing the exercises share: the lab's own server and SSE parser
//! (from the `lab-realtime` crate, not copies), and the one server only an
//! exercise needs: the envelope protocol's. Nothing to change here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use lab_realtime::server::{self, RunningServer};
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

/// The lab's own server, whose `/ws/echo` sends back every data message
/// and answers pings by itself (tungstenite does), seen through labkit's
/// proxy, whose faults the test controls. Keep it whole: dropping it stops
/// the server and the proxy.
pub struct Echo {
    /// A client connected to `/ws/echo` through the proxy.
    pub ws: Ws,
    /// The proxy between the client and the server.
    pub proxy: Proxy,
    _server: RunningServer,
}

/// A client connected to the lab's echo endpoint through labkit's proxy.
pub async fn echo_through_proxy() -> Echo {
    let server = server::spawn_local()
        .await
        .expect("the lab's server starts on a free port");
    let proxy = Proxy::start(server.addr).await.expect("the proxy starts");
    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws/echo", proxy.addr()))
        .await
        .expect("the WebSocket handshake succeeds");
    Echo {
        ws,
        proxy,
        _server: server,
    }
}

/// A server speaking the envelope protocol of `realtime-envelope`: it
/// answers `{"type":"request","id":N,"method":M,"params":{"delay_ms":D,..}}`
/// after D ms with `{"type":"response","id":N,"result":{"method":M,"params":..,
/// "requests_so_far":R}}` (R: the requests this connection had sent by
/// then), and pushes an event after every request it receives.
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
                let requests = Arc::new(AtomicU64::new(0));
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
                    requests.fetch_add(1, Ordering::SeqCst);
                    let requests = requests.clone();
                    let out = out.clone();
                    let _ = out.send(
                        json!({"type": "event", "name": "received", "data": {"id": req["id"]}}),
                    );
                    tokio::spawn(async move {
                        tokio::time::sleep(Duration::from_millis(delay)).await;
                        let so_far = requests.load(Ordering::SeqCst);
                        let _ = out.send(json!({"type": "response", "id": req["id"],
                            "result": {"method": req["method"], "params": req["params"],
                                       "requests_so_far": so_far}}));
                    });
                }
            });
        }
    });
    addr
}
