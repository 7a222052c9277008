//! Wrong: it compares ids as text, so "10" sorts before "9" and a client that saw event 9 never gets 10 and after.

/// One event in the server's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: u64,
    pub kind: String,
    pub data: String,
}

/// The body to send a client whose request carried `last_event_id`.
pub fn stream_text(log: &[Event], last_event_id: Option<&str>) -> String {
    let after = last_event_id.map(str::trim).unwrap_or("");
    let mut out = String::new();
    for event in log.iter().filter(|e| e.id.to_string().as_str() > after) {
        out.push_str(&format!("id: {}\nevent: {}\n", event.id, event.kind));
        for line in event.data.split('\n') {
            out.push_str(&format!("data: {line}\n"));
        }
        out.push('\n');
    }
    out
}
