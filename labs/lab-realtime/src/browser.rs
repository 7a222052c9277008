//! Scenario `browser`: EventSource's reconnection, in a real headless
//! Chromium driven through chromedriver (WebDriver, via fantoccini).
//!
//! The browser opens the lab's demo page, whose `EventSource` receives
//! events. The server then cuts every SSE response. The browser waits the
//! `retry:` delay and reconnects by itself, sending the id of the last
//! event it received as `Last-Event-ID`; the server replays from there.
//! Events published while the browser was away are not lost, and none
//! arrives twice — read from the page's own list.

use std::net::SocketAddr;
use std::time::Duration;

use labkit::browser::Browser;
use labkit::cli::{Need, Scenario};
use labkit::report::{Report, Table};

use crate::Lab;
use crate::server::Hub;

/// The scenario, as `cargo run -p lab-realtime -- browser` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "browser",
    "headless Chromium's EventSource reconnects with Last-Event-ID after a cut",
    "the ids the page lists: every event once, in order",
)
.needs(&[Need::Browser]);

/// What the browser showed across a cut.
#[derive(Debug, Clone)]
pub struct Reconnection {
    /// Ids in the order the page received them.
    pub received: Vec<u64>,
    /// Ids published while the browser was disconnected.
    pub published_while_away: Vec<u64>,
    /// How many times the EventSource opened.
    pub opens: u64,
    /// `Last-Event-ID` of each SSE request the server received.
    pub last_event_ids: Vec<Option<u64>>,
    /// Whether the browser had not yet reconnected when the events
    /// "published while away" were published.
    pub away_when_published: bool,
}

// ANCHOR: reconnect
/// Publishes `before` events, cuts the stream, publishes `away` more at
/// once (the browser is still waiting its retry delay), then `after` more,
/// and reads what the page received.
pub async fn reconnect(
    server: SocketAddr,
    hub: &Hub,
    before: u64,
    away: u64,
    after: u64,
) -> anyhow::Result<Reconnection> {
    let browser = Browser::launch().await?;
    browser.open(&format!("http://{server}/")).await?;
    browser.wait_for("window.sseOpens === 1").await?;
    for _ in 0..before {
        hub.publish("door-opened");
    }
    browser
        .wait_for(&format!("window.sseIds.length === {before}"))
        .await?;

    hub.cut_sse();
    browser.wait_for("window.sseErrors === 1").await?;
    let published_while_away = (0..away).map(|_| hub.publish("door-opened").id).collect();
    // Still away? The server has seen only the first request.
    let away_when_published = hub.last_event_ids().len() == 1;

    browser.wait_for("window.sseOpens === 2").await?;
    for _ in 0..after {
        hub.publish("door-opened");
    }
    let total = before + away + after;
    browser
        .wait_for(&format!("window.sseIds.length >= {total}"))
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await; // would a duplicate follow?
    let received = serde_json::from_value(browser.eval("window.sseIds").await?)?;
    let opens = browser.eval("window.sseOpens").await?.as_u64().unwrap_or(0);
    browser.close().await;
    Ok(Reconnection {
        received,
        published_while_away,
        opens,
        last_event_ids: hub.last_event_ids(),
        away_when_published,
    })
}
// ANCHOR_END: reconnect

/// The `browser` scenario, on a fresh server: the page must start from an
/// empty log.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let fresh = lab.fresh_server().await?;
    let r = reconnect(fresh.addr, &fresh.hub, 5, 3, 2).await?;
    let mut table = Table::new(
        "Headless Chromium's EventSource across a cut stream",
        &["", "value"],
    );
    table.row(["ids the page received", &format!("{:?}", r.received)]);
    table.row([
        "published while the browser was away",
        &format!("{:?}", r.published_while_away),
    ]);
    table.row(["times the EventSource opened", &r.opens.to_string()]);
    table.row([
        "Last-Event-ID per request the server saw",
        &format!("{:?}", r.last_event_ids),
    ]);
    table.note(
        "the page's list is the browser's own record; the reconnection was the browser's doing",
    );
    let mut report = Report::new(crate::LAB, "browser");
    report.table(table);
    report.value("received", &r.received);
    report.value("last_event_ids", &r.last_event_ids);
    Ok(report)
}
