//! Reference solution of `rest-longpoll`.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tokio::sync::watch;

// ANCHOR: solution
pub struct Events {
    ids: Mutex<Vec<u64>>,
    scans: AtomicUsize,
    /// The newest id; a waiting request parks until it passes its `after`.
    newest: watch::Sender<u64>,
}

impl Default for Events {
    fn default() -> Self {
        Events {
            ids: Mutex::default(),
            scans: AtomicUsize::new(0),
            newest: watch::channel(0).0,
        }
    }
}

impl Events {
    pub fn publish(&self) {
        let mut ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        let next = ids.len() as u64 + 1;
        ids.push(next);
        self.newest.send_replace(next);
    }

    pub fn after(&self, after: u64) -> Vec<u64> {
        self.scans.fetch_add(1, Ordering::SeqCst);
        let ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        ids.iter().copied().filter(|&id| id > after).collect()
    }

    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<u64> {
        // Subscribing before looking means a publish in between is not missed:
        // `wait_for` checks the current value first, then each change.
        let mut newest = self.newest.subscribe();
        let _ = tokio::time::timeout(timeout, newest.wait_for(|&id| id > after)).await;
        self.after(after)
    }
    // ANCHOR_END: solution

    pub fn scans(&self) -> usize {
        self.scans.load(Ordering::SeqCst)
    }
}

#[derive(Deserialize)]
pub struct WaitQuery {
    #[serde(default)]
    after: u64,
    #[serde(default = "default_timeout")]
    timeout_ms: u64,
}

fn default_timeout() -> u64 {
    10_000
}

pub async fn wait(State(events): State<Arc<Events>>, Query(q): Query<WaitQuery>) -> Response {
    let found = events
        .wait_after(q.after, Duration::from_millis(q.timeout_ms))
        .await;
    if found.is_empty() {
        StatusCode::NO_CONTENT.into_response()
    } else {
        Json(found).into_response()
    }
}
