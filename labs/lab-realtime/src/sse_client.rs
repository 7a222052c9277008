//! A small server-sent events client: reads a `text/event-stream` response
//! chunk by chunk and cuts it into events, noting when each arrived.
//!
//! The format (HTML standard, "Server-sent events"): lines of `field:
//! value`; `data` lines accumulate, `id` sets the last event id, `event`
//! names the type, `retry` sets the reconnection delay in milliseconds;
//! lines starting with `:` are comments (keep-alives); a blank line
//! dispatches the event.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// One dispatched event (or a block holding only `retry:`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
    pub retry: Option<u64>,
}

// ANCHOR: parse_block
/// Parses one block (the lines between two blank lines). `None` for a
/// block of comments only.
pub fn parse_block(block: &str) -> Option<SseEvent> {
    let mut event = SseEvent::default();
    let mut data: Vec<&str> = Vec::new();
    let mut any = false;
    // ANCHOR: fields
    for line in block.lines() {
        if line.starts_with(':') || line.is_empty() {
            continue; // a comment: keep-alives look like this
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        any = true;
        match field {
            "data" => data.push(value),
            "id" => event.id = Some(value.to_string()),
            "event" => event.event = Some(value.to_string()),
            "retry" => event.retry = value.parse().ok(),
            _ => {} // unknown fields are ignored
        }
    }
    // ANCHOR_END: fields
    event.data = data.join("\n");
    any.then_some(event)
}
// ANCHOR_END: parse_block

/// An event and when it arrived.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub event: SseEvent,
    pub at: Instant,
    /// The same moment as wall-clock microseconds since the Unix epoch, to
    /// compare with a publish time taken on this machine.
    pub at_us: u64,
}

/// Opens `url` (sending `Last-Event-ID` if given) and reads until `want`
/// events with data have arrived or the server ends the response.
pub async fn read(
    url: &str,
    last_event_id: Option<u64>,
    want: usize,
) -> anyhow::Result<Vec<Arrival>> {
    read_each(url, last_event_id, want, |_| {}).await
}

/// [`read`], calling `seen` with each block (the `retry:` block too) the
/// moment it arrives, so a caller can act on arrivals as they happen.
pub async fn read_each(
    url: &str,
    last_event_id: Option<u64>,
    want: usize,
    mut seen: impl FnMut(&Arrival),
) -> anyhow::Result<Vec<Arrival>> {
    let mut request = reqwest::Client::new()
        .get(url)
        .header("accept", "text/event-stream");
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    let mut response = request
        .send()
        .await
        .with_context(|| format!("cannot open the event stream at {url}"))?;
    if !response.status().is_success() {
        bail!("{url} answered {}", response.status());
    }
    let mut text = String::new();
    let mut out = Vec::new();
    while out
        .iter()
        .filter(|a: &&Arrival| !a.event.data.is_empty())
        .count()
        < want
    {
        let chunk = match tokio::time::timeout(Duration::from_secs(30), response.chunk()).await {
            Err(_) => bail!("no event from {url} within 30 s"),
            Ok(chunk) => chunk.context("the event stream broke")?,
        };
        let Some(chunk) = chunk else { break };
        let (at, at_us) = (Instant::now(), domain::now_us());
        text.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            if let Some(event) = parse_block(&block) {
                let arrival = Arrival { event, at, at_us };
                seen(&arrival);
                out.push(arrival);
            }
        }
    }
    Ok(out)
}
