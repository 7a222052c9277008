//! Exercise `realtime-replay`: an SSE stream that resumes where the
//! browser left off.
//!
//! When an `EventSource` reconnects it sends the id of the last event it
//! received in the `Last-Event-ID` header. [`stream_text`] writes the
//! response body for a request: every event the client has not seen yet, in
//! the SSE format — an `id:` line, an `event:` line with the kind, a
//! `data:` line, and a blank line. Today it ignores the header and sends
//! the whole log again, so a reconnecting browser shows every event twice.
//!
//! Grade it: `cargo exercises grade realtime-replay`.

/// One event in the server's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: u64,
    pub kind: String,
    pub data: String,
}

// ANCHOR: starter
/// The body to send a client whose request carried `last_event_id` (the raw
/// header value, if there was one), given the server's whole `log` in id order.
pub fn stream_text(log: &[Event], last_event_id: Option<&str>) -> String {
    let _ = last_event_id; // TODO: skip what the client already has
    let mut out = String::new();
    for event in log {
        out.push_str(&format!(
            "id: {}\nevent: {}\ndata: {}\n\n",
            event.id, event.kind, event.data
        ));
    }
    out
}
// ANCHOR_END: starter
