//! Reference solution for `realtime-replay`.

/// One event in the server's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: u64,
    pub kind: String,
    pub data: String,
}

// ANCHOR: solution
/// The body to send a client whose request carried `last_event_id` (the raw
/// header value, if there was one), given the server's whole `log` in id order.
pub fn stream_text(log: &[Event], last_event_id: Option<&str>) -> String {
    // A missing or unreadable header means "from the beginning".
    let after = last_event_id
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let mut out = String::new();
    for event in log.iter().filter(|e| e.id > after) {
        out.push_str(&format!("id: {}\nevent: {}\n", event.id, event.kind));
        // A data field may not hold a newline: each line gets its own `data:`.
        for line in event.data.split('\n') {
            out.push_str(&format!("data: {line}\n"));
        }
        out.push('\n');
    }
    out
}
// ANCHOR_END: solution
