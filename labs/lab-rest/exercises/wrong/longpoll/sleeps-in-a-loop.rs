//! Wrong: looks at the ids again every 10 ms instead of being woken by a publish, reading the list directly so no scan is counted.
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

#[derive(Default)]
pub struct Events {
    ids: Mutex<Vec<u64>>,
    scans: AtomicUsize,
}

impl Events {
    pub fn publish(&self) {
        let mut ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        let next = ids.len() as u64 + 1;
        ids.push(next);
    }

    pub fn after(&self, after: u64) -> Vec<u64> {
        self.scans.fetch_add(1, Ordering::SeqCst);
        let ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        ids.iter().copied().filter(|&id| id > after).collect()
    }

    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<u64> {
        // The mistake: polling in disguise. Each idle client wakes up a
        // hundred times a second, and answers up to 10 ms late.
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let newest = {
                let ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
                ids.last().copied().unwrap_or(0)
            };
            if newest > after || tokio::time::Instant::now() >= deadline {
                return self.after(after);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
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
