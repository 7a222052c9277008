//! Exercise `rest-longpoll`: a long-poll endpoint that waits without spinning.
//!
//! `GET /events/wait?after=N&timeout_ms=T` should answer as soon as there is
//! an event with an id greater than `N` — immediately if there already is
//! one — with `200` and those events as JSON; and with `204 No Content` if
//! none arrives within `T` milliseconds. Today it answers at once, which
//! makes it plain polling: clients have to call again and again.
//!
//! Don't loop with a sleep: park the request until [`Events::publish`] wakes
//! it. The grading test counts how often the event list is scanned.
//!
//! Grade it: `cargo exercises grade rest-longpoll`.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

// ANCHOR: starter
/// The published events (just their ids, 1, 2, 3, ...).
#[derive(Default)]
pub struct Events {
    ids: Mutex<Vec<u64>>,
    scans: AtomicUsize,
    // TODO: add something a waiting request can park on and `publish` can
    // wake, e.g. `tokio::sync::Notify` or a `tokio::sync::watch` channel.
}

impl Events {
    /// Publishes the next event.
    pub fn publish(&self) {
        let mut ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        let next = ids.len() as u64 + 1;
        ids.push(next);
        // TODO: wake the waiting requests.
    }

    /// The ids after `after` (counted as one scan of the list).
    pub fn after(&self, after: u64) -> Vec<u64> {
        self.scans.fetch_add(1, Ordering::SeqCst);
        let ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        ids.iter().copied().filter(|&id| id > after).collect()
    }

    /// Waits until there are events after `after`, or `timeout` passes.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<u64> {
        let _ = timeout; // TODO: wait for news instead of answering at once
        self.after(after)
    }
    // ANCHOR_END: starter

    /// How many times the list was scanned.
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
