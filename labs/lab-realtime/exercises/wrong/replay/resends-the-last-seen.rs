//! Wrong: it starts at the event whose id the client sent (`>=`), so the client gets that event twice.

/// One event in the server's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: u64,
    pub kind: String,
    pub data: String,
}

/// The body to send a client whose request carried `last_event_id`.
pub fn stream_text(log: &[Event], last_event_id: Option<&str>) -> String {
    let after = last_event_id
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let mut out = String::new();
    for event in log.iter().filter(|e| e.id >= after) {
        out.push_str(&format!("id: {}\nevent: {}\n", event.id, event.kind));
        for line in event.data.split('\n') {
            out.push_str(&format!("data: {line}\n"));
        }
        out.push('\n');
    }
    out
}
