//! Scenario `polling`: waiting for events with plain HTTP — polling on a
//! timer against long-polling.
//!
//! A publisher posts events at irregular moments. Pollers ask "anything
//! after N?" on a fixed timer: most answers are empty, and an event waits up
//! to one interval before anyone asks for it. A long-poller's request is
//! parked on the server until there is news. Each client goes through its
//! own proxy, so requests and bytes are counted per client.

use std::time::Duration;

use anyhow::bail;
use domain::{Event, now_us};
use futures::future::try_join_all;
use labkit::cli::Scenario;
use labkit::measure::Latencies;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};
use reqwest::StatusCode;
use serde_json::json;

use crate::Lab;
use crate::client::{self, failed};
use crate::target::Target;

/// The scenario, as `cargo run -p lab-rest -- polling` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "polling",
    "waiting for events: polling on a timer against long-polling",
    "empty answers, bytes per delivered event and the delay each way adds",
);

/// How a client waits for events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// `GET /events?after=N` every `interval`.
    Poll { interval: Duration },
    /// `GET /events/wait?after=N`, parked on the server up to a timeout.
    LongPoll,
}

impl Waiting {
    pub fn label(&self) -> String {
        match self {
            Waiting::Poll { interval } => format!("poll every {} ms", interval.as_millis()),
            Waiting::LongPoll => "long-poll".into(),
        }
    }
}

/// What one client spent to receive the events.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub waiting: Waiting,
    pub requests: usize,
    pub empty_answers: usize,
    /// The ids received, in the order received.
    pub received: Vec<u64>,
    /// Bytes both ways on the client's connection(s).
    pub bytes: u64,
    /// From the server publishing an event to this client holding it.
    pub delays: Latencies,
}

impl Delivery {
    pub fn bytes_per_event(&self) -> f64 {
        self.bytes as f64 / self.received.len().max(1) as f64
    }
}

// ANCHOR: receive
/// Receives `expected` events published after `after`, waiting the way
/// `waiting` says, through its own recording proxy.
pub async fn receive(
    target: &Target,
    waiting: Waiting,
    after: u64,
    expected: usize,
) -> anyhow::Result<Delivery> {
    let proxy = Proxy::start(target.addr()).await?;
    let base = client::base(proxy.addr());
    let http = client::pooled();
    let mut last = after;
    let mut delivery = Delivery {
        waiting,
        requests: 0,
        empty_answers: 0,
        received: Vec::new(),
        bytes: 0,
        delays: Latencies::new(),
    };
    while delivery.received.len() < expected {
        let url = match waiting {
            Waiting::Poll { .. } => format!("{base}/events?after={last}"),
            Waiting::LongPoll => format!("{base}/events/wait?after={last}&timeout_ms=5000"),
        };
        let answer = http
            .get(url)
            .send()
            .await
            .map_err(|e| failed("GET /events", e))?;
        delivery.requests += 1;
        let events: Vec<Event> = match answer.status() {
            StatusCode::NO_CONTENT => Vec::new(),
            _ => answer
                .json()
                .await
                .map_err(|e| failed("decoding events", e))?,
        };
        if events.is_empty() {
            delivery.empty_answers += 1;
        }
        for event in events {
            delivery.delays.record(Duration::from_micros(
                now_us().saturating_sub(event.published_at_us),
            ));
            last = event.id;
            delivery.received.push(event.id);
        }
        if let Waiting::Poll { interval } = waiting
            && delivery.received.len() < expected
        {
            tokio::time::sleep(interval).await;
        }
    }
    delivery.bytes = proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient);
    Ok(delivery)
}
// ANCHOR_END: receive

/// Publishes `gaps.len()` events, waiting each gap before the next, while
/// every way of `waitings` receives them at the same time.
pub async fn race(
    target: &Target,
    waitings: &[Waiting],
    gaps: &[Duration],
) -> anyhow::Result<Vec<Delivery>> {
    let control = client::pooled();
    let events_url = format!("http://{}/events", target.addr());
    let existing: Vec<Event> = control
        .get(&events_url)
        .send()
        .await
        .map_err(|e| failed("GET /events", e))?
        .json()
        .await
        .map_err(|e| failed("decoding events", e))?;
    let after = existing.last().map(|e| e.id).unwrap_or(0);

    let receivers: Vec<_> = waitings
        .iter()
        .map(|&w| receive(target, w, after, gaps.len()))
        .collect();
    let publisher = async {
        for gap in gaps {
            tokio::time::sleep(*gap).await;
            control
                .post(&events_url)
                .json(&json!({"kind": "door-opened"}))
                .send()
                .await
                .map_err(|e| failed("POST /events", e))?;
        }
        anyhow::Ok(())
    };
    let (published, deliveries) = tokio::join!(publisher, try_join_all(receivers));
    published?;
    let deliveries = deliveries?;
    for d in &deliveries {
        if d.received.len() != gaps.len() {
            bail!(
                "{} received {} events, expected {}",
                d.waiting.label(),
                d.received.len(),
                gaps.len()
            );
        }
    }
    Ok(deliveries)
}

/// Irregular gaps between events, the same on every run.
pub fn irregular_gaps(events: usize) -> Vec<Duration> {
    (0..events as u64)
        .map(|i| Duration::from_millis(60 + (i * 137) % 300))
        .collect()
}

/// The `polling` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let target = lab.server();
    let waitings = [
        Waiting::Poll {
            interval: Duration::from_millis(50),
        },
        Waiting::Poll {
            interval: Duration::from_millis(500),
        },
        Waiting::LongPoll,
    ];
    let gaps = irregular_gaps(12);
    let deliveries = race(target, &waitings, &gaps).await?;
    let mut table = Table::new(
        "12 events published at irregular moments, received three ways at once",
        &[
            "client",
            "requests",
            "empty answers",
            "bytes/event",
            "delay p50",
            "delay max",
        ],
    );
    for d in &deliveries {
        let s = d.delays.summary();
        table.row([
            d.waiting.label(),
            d.requests.to_string(),
            d.empty_answers.to_string(),
            format!("{:.0}", d.bytes_per_event()),
            format!("{:.1} ms", s.p50_us / 1e3),
            format!("{:.1} ms", s.max_us / 1e3),
        ]);
    }
    table.note("polling trades delay for requests: halve the interval, double the empty answers");
    let mut report = Report::new(crate::LAB, "polling");
    report.table(table);
    for d in &deliveries {
        report.value(
            &d.waiting.label().replace(' ', "_"),
            json!({"requests": d.requests, "empty": d.empty_answers, "bytes": d.bytes,
                   "delay": d.delays.summary()}),
        );
    }
    Ok(report)
}
