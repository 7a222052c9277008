//! Wrong: it skips as many events as the header's number, by position in the log, instead of every event up to that id.

/// One event in the server's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: u64,
    pub kind: String,
    pub data: String,
}

/// The body to send a client whose request carried `last_event_id`.
pub fn stream_text(log: &[Event], last_event_id: Option<&str>) -> String {
    let seen = last_event_id
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut out = String::new();
    for event in log.iter().skip(seen) {
        out.push_str(&format!("id: {}\nevent: {}\n", event.id, event.kind));
        for line in event.data.split('\n') {
            out.push_str(&format!("data: {line}\n"));
        }
        out.push('\n');
    }
    out
}
