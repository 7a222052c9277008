//! The lab's server: one axum app that pushes the same events four ways.
//!
//! Chapter 1's API is mounted unchanged (its `/events` polling and
//! `/events/wait` long-polling read the same event log), and this chapter
//! adds a server-sent events stream, WebSocket endpoints and the demo page
//! the browser tests drive.
//!
//! | route | what it is for |
//! |---|---|
//! | `GET /` | the demo page: live SSE and WebSocket streams |
//! | `GET /sse?limit=N` | the events as `text/event-stream`, replayed after `Last-Event-ID` |
//! | `GET /ws/events?after=N` | the same events, one WebSocket text message each |
//! | `GET /ws/echo` | sends back every data message (the frames scenario) |
//! | `GET /ws/lean` | the same with a 4 KiB read buffer (the idle scenario) |
//! | `GET /ws/chat` | a chat room, relayed to other servers through Redis if set up |
//! | `POST /control/cut-sse` | ends every open SSE response, as a crashing proxy would |
//! | `GET /events`, `POST /events`, `GET /events/wait`, ... | Chapter 1's API, unchanged |

pub mod chat;
mod page;
mod sse;
mod ws;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

pub use chat::Relay;

/// Everything one server shares between its connections.
pub struct Hub {
    /// Chapter 1's state: its event log is the one every stream reads. A
    /// real service would keep the log in its database (or a Redis stream),
    /// not in this process's memory, so it outlives a restart.
    pub rest: Arc<lab_rest::baseline::State>,
    /// Bumped to end every open SSE response at once.
    cut: watch::Sender<u64>,
    /// Set when the server is shutting down: WebSocket handlers say goodbye.
    draining: watch::Sender<bool>,
    /// The `Last-Event-ID` each SSE request came with, in arrival order.
    last_event_ids: Mutex<Vec<Option<u64>>>,
    /// Chat messages for this server's own WebSocket clients.
    chat: broadcast::Sender<String>,
    /// Where chat messages go to reach other servers, if anywhere.
    relay: Option<Relay>,
}

impl Hub {
    /// A hub reading `rest`'s event log, relaying chat through `relay`.
    pub fn new(rest: Arc<lab_rest::baseline::State>, relay: Option<Relay>) -> Arc<Hub> {
        Arc::new(Hub {
            rest,
            cut: watch::channel(0).0,
            draining: watch::channel(false).0,
            last_event_ids: Mutex::new(Vec::new()),
            chat: broadcast::channel(1024).0,
            relay,
        })
    }

    /// Publishes an event to every stream (polling, SSE, WebSocket).
    pub fn publish(&self, kind: &str) -> domain::Event {
        self.rest.events.publish(kind)
    }

    /// Ends every SSE response now; browsers will reconnect by themselves.
    pub fn cut_sse(&self) {
        self.cut.send_modify(|n| *n += 1);
    }

    /// The `Last-Event-ID` of every SSE request so far (`None`: a first visit).
    pub fn last_event_ids(&self) -> Vec<Option<u64>> {
        self.last_event_ids
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Tells every WebSocket client to go elsewhere (close code 1001).
    pub fn drain(&self) {
        self.draining.send_replace(true);
    }
}

/// The whole app as a router, testable without a socket.
// ANCHOR: app
pub fn app(hub: Arc<Hub>) -> Router {
    let ours = Router::new()
        .route("/", get(page::index))
        .route("/sse", get(sse::stream))
        .route("/ws/events", get(ws::events))
        .route("/ws/echo", get(ws::echo))
        .route("/ws/lean", get(ws::lean_echo))
        .route("/ws/chat", get(chat::join))
        .route("/control/cut-sse", post(cut_sse))
        .with_state(hub.clone());
    ours.merge(lab_rest::baseline::routes(hub.rest.clone()))
}
// ANCHOR_END: app

async fn cut_sse(axum::extract::State(hub): axum::extract::State<Arc<Hub>>) {
    hub.cut_sse();
}

/// A server running on a background task; dropping it stops the server.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub hub: Arc<Hub>,
    task: JoinHandle<()>,
}

impl RunningServer {
    /// Stops accepting and ends every connection (without draining first).
    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `hub` on `listener` in the background.
pub async fn spawn(listener: TcpListener, hub: Arc<Hub>) -> std::io::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let router = app(hub.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(RunningServer { addr, hub, task })
}

/// A fresh server (its own event log, no relay) on a free port of 127.0.0.1.
pub async fn spawn_local() -> std::io::Result<RunningServer> {
    let hub = Hub::new(Arc::default(), None);
    spawn(TcpListener::bind("127.0.0.1:0").await?, hub).await
}
