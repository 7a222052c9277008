//! Scenario `push`: the same events delivered four ways at once —
//! polling and long-polling (Chapter 1's code, reused as it is), server-sent
//! events and a WebSocket — each through its own recording proxy, so
//! requests, bytes and delivery delay are counted per client.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use domain::{Event, now_us};
use futures::StreamExt;
use lab_rest::baseline::{self, Target, Waiting};
use labkit::cli::Scenario;
use labkit::measure::Latencies;
use labkit::report::{BarChart, Report, Table};
use labkit::wire::{Direction, Proxy, http1};
use serde_json::json;

use crate::Lab;
use crate::server::Hub;
use crate::sse_client;

/// The scenario, as `cargo run -p lab-realtime -- push` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "push",
    "the same events by polling, long-polling, SSE and WebSocket, side by side",
    "requests and bytes per event, and the delay polling adds",
);

/// The four ways a client can be told about an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    Poll(Duration),
    LongPoll,
    Sse,
    WebSocket,
}

impl Way {
    pub fn label(&self) -> String {
        match self {
            Way::Poll(d) => format!("poll every {} ms", d.as_millis()),
            Way::LongPoll => "long-poll".into(),
            Way::Sse => "server-sent events".into(),
            Way::WebSocket => "WebSocket".into(),
        }
    }
}

/// What one client spent to receive the events.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub way: Way,
    /// HTTP requests made (a WebSocket's one is its handshake).
    pub requests: u64,
    /// Answers that carried no event (polling asked when there was nothing).
    pub empty_answers: u64,
    /// The ids received, in order.
    pub received: Vec<u64>,
    /// Bytes both ways, handshakes and heads included.
    pub bytes: u64,
    /// From publish to this client holding the event.
    pub delays: Latencies,
}

impl Delivery {
    /// Answers that carried at least one event.
    pub fn answers_with_events(&self) -> u64 {
        self.requests - self.empty_answers
    }

    pub fn bytes_per_event(&self) -> f64 {
        self.bytes as f64 / self.received.len().max(1) as f64
    }
}

fn delay_of(event: &Event) -> Duration {
    Duration::from_micros(now_us().saturating_sub(event.published_at_us))
}

/// Counts HTTP requests on a proxy's recording (handshakes included).
fn requests_on(proxy: &Proxy) -> u64 {
    labkit::wire::count(&proxy.recording(), Direction::ToServer, &http1::Requests)
        .total()
        .count
}

// ANCHOR: receive_sse
/// Receives `expected` events after `after` over one SSE response.
pub async fn receive_sse(
    server: SocketAddr,
    after: u64,
    expected: usize,
) -> anyhow::Result<Delivery> {
    let proxy = Proxy::start(server).await?;
    let url = format!("http://{}/sse?after={after}&limit={expected}", proxy.addr());
    let mut delivery = Delivery {
        way: Way::Sse,
        requests: 0,
        empty_answers: 0,
        received: vec![],
        bytes: 0,
        delays: Latencies::new(),
    };
    for arrival in sse_client::read(&url, None, expected).await? {
        if arrival.event.data.is_empty() {
            continue; // the retry: block
        }
        let event: Event = serde_json::from_str(&arrival.event.data)?;
        let waited = arrival.at_us.saturating_sub(event.published_at_us);
        delivery.delays.record(Duration::from_micros(waited));
        delivery.received.push(event.id);
    }
    delivery.requests = requests_on(&proxy);
    delivery.bytes = proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient);
    Ok(delivery)
}
// ANCHOR_END: receive_sse

// ANCHOR: receive_ws
/// Receives `expected` events after `after` over one WebSocket.
pub async fn receive_ws(
    server: SocketAddr,
    after: u64,
    expected: usize,
) -> anyhow::Result<Delivery> {
    let proxy = Proxy::start(server).await?;
    let url = format!("ws://{}/ws/events?after={after}", proxy.addr());
    let (mut ws, _) = tokio_tungstenite::connect_async(&url)
        .await
        .with_context(|| format!("WebSocket handshake with {url} failed"))?;
    let mut delivery = Delivery {
        way: Way::WebSocket,
        requests: 0,
        empty_answers: 0,
        received: vec![],
        bytes: 0,
        delays: Latencies::new(),
    };
    while delivery.received.len() < expected {
        let msg = ws.next().await.context("the WebSocket closed early")??;
        if let Ok(text) = msg.to_text() {
            let event: Event = serde_json::from_str(text)?;
            delivery.delays.record(delay_of(&event));
            delivery.received.push(event.id);
        }
    }
    delivery.requests = requests_on(&proxy);
    delivery.bytes = proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient);
    Ok(delivery)
}
// ANCHOR_END: receive_ws

/// Publishes one event after each of `gaps` while every way in `ways`
/// receives them at the same time: polling and long-polling from
/// `chapter1` (Chapter 1's API), SSE and WebSocket from `server`.
pub async fn race(
    chapter1: &Target,
    server: SocketAddr,
    hub: &Hub,
    ways: &[Way],
    gaps: &[Duration],
) -> anyhow::Result<Vec<Delivery>> {
    let after = hub.rest.events.after(0).last().map(|e| e.id).unwrap_or(0);
    let n = gaps.len();
    let receivers = ways.iter().map(|&way| {
        let target = chapter1;
        async move {
            match way {
                Way::Poll(interval) => from_rest(
                    baseline::receive(target, Waiting::Poll { interval }, after, n).await?,
                    way,
                ),
                Way::LongPoll => from_rest(
                    baseline::receive(target, Waiting::LongPoll, after, n).await?,
                    way,
                ),
                Way::Sse => receive_sse(server, after, n).await,
                Way::WebSocket => receive_ws(server, after, n).await,
            }
        }
    });
    let publisher = async {
        // Let every client connect before the first event.
        tokio::time::sleep(Duration::from_millis(200)).await;
        for gap in gaps {
            tokio::time::sleep(*gap).await;
            hub.publish("door-opened");
        }
    };
    let (deliveries, ()) = tokio::join!(futures::future::try_join_all(receivers), publisher);
    let deliveries = deliveries?;
    for d in &deliveries {
        let expected: Vec<u64> = (after + 1..=after + n as u64).collect();
        if d.received != expected {
            bail!(
                "{} received {:?}, expected {:?}",
                d.way.label(),
                d.received,
                expected
            );
        }
    }
    Ok(deliveries)
}

fn from_rest(d: baseline::Delivery, way: Way) -> anyhow::Result<Delivery> {
    Ok(Delivery {
        way,
        requests: d.requests as u64,
        empty_answers: d.empty_answers as u64,
        received: d.received,
        bytes: d.bytes,
        delays: d.delays,
    })
}

/// The `push` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let server = lab.server().await?;
    let chapter1 = lab.baseline().await?;
    let ways = [
        Way::Poll(Duration::from_millis(250)),
        Way::LongPoll,
        Way::Sse,
        Way::WebSocket,
    ];
    let gaps = baseline::irregular_gaps(12);
    let deliveries = race(&chapter1, server.addr, &server.hub, &ways, &gaps).await?;
    let mut table = Table::new(
        "12 events at irregular moments, received four ways at once",
        &[
            "client",
            "HTTP requests",
            "bytes/event",
            "delay p50",
            "delay max",
        ],
    );
    for d in &deliveries {
        let s = d.delays.summary();
        table.row([
            d.way.label(),
            d.requests.to_string(),
            format!("{:.0}", d.bytes_per_event()),
            format!("{:.1} ms", s.p50_us / 1e3),
            format!("{:.1} ms", s.max_us / 1e3),
        ]);
    }
    table.note("bytes include every request, head and handshake; one machine, loopback, both ends unpinned");
    let mut report = Report::new(crate::LAB, "push");
    report.table(table);
    let labels: Vec<String> = deliveries.iter().map(|d| d.way.label()).collect();
    let chart = BarChart::new("Bytes on the wire per delivered event", "bytes")
        .categories(labels.iter().map(String::as_str))
        .series(
            "bytes/event",
            deliveries.iter().map(|d| d.bytes_per_event()),
        )
        .to_svg();
    report.chart("push-bytes", chart);
    for d in &deliveries {
        report.value(
            &d.way.label().replace(' ', "_"),
            json!({"requests": d.requests, "bytes": d.bytes, "delay": d.delays.summary()}),
        );
    }
    Ok(report)
}
