//! Events, and the two ways plain HTTP lets a client wait for them.
//!
//! `GET /events?after=N` (polling) answers at once, with whatever there is —
//! often nothing. `GET /events/wait?after=N` (long-polling) holds the request
//! open until there is something to say, or until its timeout passes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::{Event, now_us};
use serde::Deserialize;
use tokio::sync::watch;

use super::AppState;

/// The server's event history, and a signal that fires when it grows.
///
/// A real service would keep its events in a durable log (a table, a
/// stream) so that a restart forgets nothing; this one lives in memory.
pub struct EventLog {
    events: Mutex<Vec<Event>>,
    /// Carries the id of the newest event; waiting requests watch it.
    newest: watch::Sender<u64>,
}

impl Default for EventLog {
    fn default() -> Self {
        EventLog {
            events: Mutex::new(Vec::new()),
            newest: watch::channel(0).0,
        }
    }
}

impl EventLog {
    /// Appends an event and wakes every long-poll waiting for it.
    pub fn publish(&self, kind: &str) -> Event {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        let event = Event {
            id: events.len() as u64 + 1,
            kind: kind.to_string(),
            published_at_us: now_us(),
        };
        events.push(event.clone());
        self.newest.send_replace(event.id);
        event
    }

    /// The events with an id greater than `after`.
    pub fn after(&self, after: u64) -> Vec<Event> {
        let events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        events.iter().filter(|e| e.id > after).cloned().collect()
    }
}

// ANCHOR: wait_after
impl EventLog {
    /// Waits until there is an event after `after`, or `timeout` passes.
    ///
    /// No loop with a sleep: the request parks on the watch channel and is
    /// woken by `publish`, so an idle long-poll costs the server nothing.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<Event> {
        let mut newest = self.newest.subscribe();
        let wait = newest.wait_for(|&id| id > after);
        let _ = tokio::time::timeout(timeout, wait).await;
        self.after(after)
    }
}
// ANCHOR_END: wait_after

#[derive(Deserialize)]
pub struct After {
    #[serde(default)]
    after: u64,
    timeout_ms: Option<u64>,
}

#[derive(Deserialize)]
pub struct NewEvent {
    kind: String,
}

pub async fn poll(State(state): State<Arc<AppState>>, Query(q): Query<After>) -> Json<Vec<Event>> {
    Json(state.events.after(q.after))
}

/// Long-poll: 200 with the new events, or 204 No Content when the wait timed out.
pub async fn wait(State(state): State<Arc<AppState>>, Query(q): Query<After>) -> Response {
    let timeout = Duration::from_millis(q.timeout_ms.unwrap_or(10_000).min(60_000));
    let events = state.events.wait_after(q.after, timeout).await;
    if events.is_empty() {
        StatusCode::NO_CONTENT.into_response()
    } else {
        Json(events).into_response()
    }
}

pub async fn publish(State(state): State<Arc<AppState>>, Json(new): Json<NewEvent>) -> Json<Event> {
    Json(state.events.publish(&new.kind))
}
