//! `GET /sse`: the event log as server-sent events.
//!
//! Each event goes out as an `id:` line (the log's id), an `event:` line
//! (its kind) and a `data:` line (the event as JSON), then a blank line. The
//! response starts with `retry:`, the delay the browser waits before
//! reconnecting. A browser that reconnects sends the last id it saw in the
//! `Last-Event-ID` header, and the stream starts right after it: nothing
//! lost, nothing twice.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Hub;

/// How long a browser waits before reconnecting (the `retry:` field).
pub const RETRY: Duration = Duration::from_millis(1000);

#[derive(Deserialize)]
pub struct Params {
    /// End the response after this many events (a finite stream).
    limit: Option<usize>,
    /// Start after this id when there is no `Last-Event-ID` header.
    after: Option<u64>,
    /// `?accel=no` adds `X-Accel-Buffering: no`, which tells nginx not to
    /// buffer this response whatever its configuration says.
    accel: Option<String>,
}

// ANCHOR: resume_point
/// Where a stream starts: after the `Last-Event-ID` the browser sent on
/// reconnecting, else after `?after=`, else from the beginning.
pub fn resume_point(headers: &HeaderMap, after: Option<u64>) -> Option<u64> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .or(after)
}
// ANCHOR_END: resume_point

/// One event in the SSE format.
pub fn to_sse(event: &domain::Event) -> Event {
    Event::default()
        .id(event.id.to_string())
        .event(event.kind.clone())
        .data(serde_json::to_string(event).unwrap_or_default())
}

pub async fn stream(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    let header = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    hub.last_event_ids
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(header);
    let start = resume_point(&headers, params.after).unwrap_or(0);
    let mut cut = hub.cut.subscribe();
    cut.mark_unchanged();
    let state = Pending {
        hub,
        last: start,
        queue: VecDeque::new(),
        sent: 0,
        limit: params.limit,
        cut,
        greeted: false,
    };
    let unbuffered = params.accel.as_deref() == Some("no");
    let mut response = Sse::new(futures::stream::unfold(state, next))
        .keep_alive(KeepAlive::default())
        .into_response();
    if unbuffered {
        response
            .headers_mut()
            .insert("x-accel-buffering", HeaderValue::from_static("no"));
    }
    response
}

struct Pending {
    hub: Arc<Hub>,
    last: u64,
    queue: VecDeque<domain::Event>,
    sent: usize,
    limit: Option<usize>,
    cut: tokio::sync::watch::Receiver<u64>,
    greeted: bool,
}

/// The next item of the stream: `retry:` first, then each event; `None`
/// ends the response (limit reached, or the server was told to cut).
async fn next(mut p: Pending) -> Option<(Result<Event, Infallible>, Pending)> {
    if !p.greeted {
        p.greeted = true;
        return Some((Ok(Event::default().retry(RETRY)), p));
    }
    if p.limit.is_some_and(|l| p.sent >= l) {
        return None;
    }
    while p.queue.is_empty() {
        tokio::select! {
            events = p.hub.rest.events.wait_after(p.last, Duration::from_secs(30)) => {
                p.queue.extend(events);
            }
            _ = p.cut.changed() => return None,
        }
    }
    let event = p.queue.pop_front()?;
    p.last = event.id;
    p.sent += 1;
    Some((Ok(to_sse(&event)), p))
}
