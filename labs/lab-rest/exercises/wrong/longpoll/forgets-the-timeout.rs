//! Wrong: waits for news with no timeout, so a quiet long-poll never answers 204 and the client hangs.
//!
//! A known-wrong answer to `rest-longpoll`, which the grading tests must
//! refuse (`cargo exercises verify` checks that they do).

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

pub struct Events {
    ids: Mutex<Vec<u64>>,
    scans: AtomicUsize,
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
        // The mistake: the wait is not bounded by `timeout`.
        let _ = timeout;
        let mut newest = self.newest.subscribe();
        let _ = newest.wait_for(|&id| id > after).await;
        self.after(after)
    }

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
