//! Scenario `sse`: what a server-sent events response looks like, byte
//! for byte: an ordinary `GET`, an ordinary `200` with
//! `Content-Type: text/event-stream`, and a body that never ends on its own,
//! made of small text blocks separated by blank lines.
//!
//! The server side of the stream is [`crate::server`]'s `/sse` route; this
//! file only reads it.

use std::net::SocketAddr;

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use serde_json::json;

use crate::Lab;
use crate::server::Hub;

/// The scenario, as `cargo run -p lab-realtime -- sse` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "sse",
    "a server-sent events response, line by line: id, event, data, retry",
    "a plain GET and a plain 200; the body is text blocks ended by blank lines",
);

/// One SSE response as received.
#[derive(Debug, Clone)]
pub struct Raw {
    pub content_type: String,
    pub cache_control: String,
    /// The body, as text.
    pub body: String,
}

/// Publishes `events` events and reads them, raw, from `/sse`, starting
/// after the current newest event.
pub async fn raw(server: SocketAddr, hub: &Hub, events: usize) -> anyhow::Result<Raw> {
    let after = hub.rest.events.after(0).last().map(|e| e.id).unwrap_or(0);
    for _ in 0..events {
        hub.publish("door-opened");
    }
    let url = format!("http://{server}/sse?after={after}&limit={events}");
    let response = reqwest::get(&url)
        .await
        .with_context(|| format!("GET {url}"))?;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (content_type, cache_control) = (header("content-type"), header("cache-control"));
    let body = response.text().await?;
    Ok(Raw {
        content_type,
        cache_control,
        body,
    })
}

/// The `sse` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let server = lab.server().await?;
    let r = raw(server.addr, &server.hub, 3).await?;
    let mut table = Table::new(
        "GET /sse?limit=3: the response body, line by line",
        &["line"],
    );
    for line in r.body.lines() {
        table.row([if line.is_empty() {
            "(blank line: dispatch)".to_string()
        } else {
            line.to_string()
        }]);
    }
    table.note(format!(
        "Content-Type: {}; Cache-Control: {:?}",
        r.content_type, r.cache_control
    ));
    let mut report = Report::new(crate::LAB, "sse");
    report.table(table);
    report.value(
        "raw",
        json!({"content_type": r.content_type, "body": r.body}),
    );
    Ok(report)
}
