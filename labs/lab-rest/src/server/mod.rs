//! The lab's HTTP API: an axum server every scenario talks to.
//!
//! It runs in-process by default (bound to a free port on 127.0.0.1), or
//! standalone with `cargo run -p lab-rest -- serve`, so you can point curl,
//! a browser or another lab run (`--server URL`) at it.
//!
//! | route | what it is for |
//! |---|---|
//! | `GET /health` | a cheap check that the server is there |
//! | `GET /readings/{id}`, `POST /readings` | one small JSON document (`?delay_ms=` makes the server slow) |
//! | `GET /events?after=N` | polling: answers at once, maybe with nothing |
//! | `GET /events/wait?after=N&timeout_ms=T` | long-polling: answers when there is news |
//! | `POST /events` | publishes an event |
//! | `POST /charges`, `GET /charges` | a payment endpoint that honours `Idempotency-Key` |
//! | `GET /products/{id}`, `POST /products/{id}/revise` | a page with an `ETag` |
//! | `GET /stats` | how many requests were ever in flight at once |

mod charges;
mod events;
mod products;
mod readings;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use charges::Ledger;
pub use events::EventLog;
pub use products::Catalog;

/// Everything the server remembers, shared by all requests.
#[derive(Default)]
pub struct AppState {
    pub events: EventLog,
    pub ledger: Ledger,
    pub catalog: Catalog,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// What `GET /stats` answers.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Stats {
    /// The most requests the server was handling at the same moment.
    pub max_in_flight: usize,
}

impl AppState {
    /// Counts a request as in flight until the returned guard is dropped.
    fn enter(self: &Arc<Self>) -> InFlight {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(self.clone())
    }
}

struct InFlight(Arc<AppState>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The whole API as a router, testable without a socket.
// ANCHOR: app
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/readings", post(readings::post_reading))
        .route("/readings/{id}", get(readings::get_reading))
        .route("/events", get(events::poll).post(events::publish))
        .route("/events/wait", get(events::wait))
        .route("/charges", post(charges::create).get(charges::list))
        .route("/products/{id}", get(products::get_product))
        .route("/products/{id}/revise", post(products::revise))
        .route("/stats", get(stats).delete(reset_stats))
        .with_state(state)
}
// ANCHOR_END: app

async fn stats(axum::extract::State(state): axum::extract::State<Arc<AppState>>) -> Json<Stats> {
    Json(Stats {
        max_in_flight: state.max_in_flight.load(Ordering::SeqCst),
    })
}

async fn reset_stats(axum::extract::State(state): axum::extract::State<Arc<AppState>>) {
    state.max_in_flight.store(0, Ordering::SeqCst);
}

/// A server running on a background task; dropping it stops the server.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    task: JoinHandle<()>,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves the API on `listener` in the background.
///
/// axum serves HTTP/1.1 and, on the same port, HTTP/2 without TLS ("h2c")
/// to clients that start with the HTTP/2 preface — the `multiplex` scenario
/// uses both.
pub async fn spawn(listener: TcpListener) -> std::io::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let state = Arc::new(AppState::default());
    let router = app(state.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(RunningServer { addr, state, task })
}

/// Starts the API on a free port of 127.0.0.1.
pub async fn spawn_local() -> std::io::Result<RunningServer> {
    spawn(TcpListener::bind("127.0.0.1:0").await?).await
}
