//! Scenario `proxies`: the same streams through a real nginx.
//!
//! By default nginx buffers a proxied response (`proxy_buffering on`): it
//! reads what the upstream sends into its buffers and passes it on when a
//! buffer fills or the response ends. For a page that is an optimisation;
//! for an event stream of small events it means the events arrive late and
//! in a lump. `proxy_buffering off` passes each chunk on as it comes.
//!
//! A WebSocket handshake carries `Upgrade` and `Connection`, which are
//! hop-by-hop headers: a proxy does not forward them unless told to, and
//! nginx speaks HTTP/1.0 upstream unless told otherwise. Without the three
//! lines below, the upgrade never reaches the server.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context;
use futures::{SinkExt, StreamExt};
use labkit::cli::{Need, Scenario};
use labkit::nginx;
use labkit::report::{Report, Table};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::Lab;
use crate::server::Hub;
use crate::sse_client;

/// The scenario, as `cargo run -p lab-realtime -- proxies` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "proxies",
    "SSE and WebSocket through a real nginx, with and without the right settings",
    "buffered events arrive in one lump; the upgrade fails without the headers",
)
.needs(&[Need::Nginx]);

/// How nginx is set up in front of the lab's server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// `proxy_pass` only: nginx's defaults.
    Defaults,
    /// `proxy_buffering off`.
    NoBuffering,
    /// nginx's defaults, but the server's response says `X-Accel-Buffering: no`.
    HeaderFromServer,
    /// HTTP/1.1 upstream with `Upgrade` and `Connection` forwarded.
    WebSocketHeaders,
}

impl Setup {
    pub fn label(self) -> &'static str {
        match self {
            Setup::Defaults => "defaults (buffering on)",
            Setup::NoBuffering => "proxy_buffering off",
            Setup::HeaderFromServer => "X-Accel-Buffering: no",
            Setup::WebSocketHeaders => "Upgrade, Connection passed",
        }
    }
}

// ANCHOR: locations
/// The `location` block for `setup`, proxying to `upstream`.
pub fn location(setup: Setup, upstream: SocketAddr) -> String {
    let extra = match setup {
        Setup::Defaults | Setup::HeaderFromServer => "",
        Setup::NoBuffering => "proxy_buffering off;",
        Setup::WebSocketHeaders => {
            "proxy_http_version 1.1;\n\
             proxy_set_header Upgrade $http_upgrade;\n\
             proxy_set_header Connection \"upgrade\";"
        }
    };
    format!("location / {{\n proxy_pass http://{upstream};\n {extra}\n}}")
}
// ANCHOR_END: locations

/// When each event of one SSE response arrived, against when it was sent.
#[derive(Debug, Clone)]
pub struct Timing {
    pub setup: Setup,
    pub events: usize,
    /// Events that reached the client before the last one was published.
    pub arrived_before_last_publish: usize,
    /// Events that reached the client before the next one was published
    /// (the last event has no next: at most `events - 1`).
    pub arrived_before_next_publish: usize,
    /// Distinct moments (read calls) the events arrived in.
    pub lumps: usize,
    /// From publishing to arrival, per event.
    pub delays: Vec<Duration>,
}

/// When the next event is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// A fixed time after the previous one, whatever the client has seen.
    Every(Duration),
    /// Once the client holds the previous one (and the stream's opening
    /// `retry:` block before the first), or after `patience` if it never
    /// comes. Two events can then share a read only if something between
    /// server and client held the first back: load alone cannot merge them.
    AfterArrival { patience: Duration },
}

// ANCHOR: sse_through
/// Reads `events` SSE events through nginx set up as `setup` while they
/// are published `gap` apart.
pub async fn sse_through(
    server: SocketAddr,
    hub: &Hub,
    setup: Setup,
    events: usize,
    gap: Duration,
) -> anyhow::Result<Timing> {
    sse_paced(server, hub, setup, events, Pace::Every(gap)).await
}
// ANCHOR_END: sse_through

/// Reads `events` SSE events through nginx set up as `setup` while they
/// are published at `pace`.
pub async fn sse_paced(
    server: SocketAddr,
    hub: &Hub,
    setup: Setup,
    events: usize,
    pace: Pace,
) -> anyhow::Result<Timing> {
    let proxy = nginx::start(&location(setup, server)).await?;
    let after = hub.rest.events.after(0).last().map(|e| e.id).unwrap_or(0);
    let accel = if setup == Setup::HeaderFromServer {
        "&accel=no"
    } else {
        ""
    };
    let url = format!(
        "http://{}/sse?after={after}&limit={events}{accel}",
        proxy.addr()
    );
    // Blocks the client holds so far, the `retry:` block included.
    let (held, mut holding) = tokio::sync::watch::channel(0usize);
    let reader = sse_client::read_each(&url, None, events, |_| {
        held.send_modify(|n| *n += 1);
    });
    let publisher = async {
        let mut sent = Vec::new();
        for i in 0..events {
            match pace {
                Pace::Every(_) if i == 0 => {
                    tokio::time::sleep(Duration::from_millis(300)).await; // the reader connects
                }
                Pace::Every(gap) => tokio::time::sleep(gap).await,
                Pace::AfterArrival { patience } => {
                    let _ = tokio::time::timeout(patience, holding.wait_for(|&n| n > i)).await;
                }
            }
            sent.push(Instant::now());
            hub.publish("door-opened");
        }
        sent
    };
    let (arrivals, sent) = tokio::join!(reader, publisher);
    let arrivals: Vec<_> = arrivals?
        .into_iter()
        .filter(|a| !a.event.data.is_empty())
        .collect();
    let last_publish = *sent.last().context("nothing published")?;
    let mut moments: Vec<Instant> = arrivals.iter().map(|a| a.at).collect();
    moments.dedup();
    Ok(Timing {
        setup,
        events: arrivals.len(),
        arrived_before_last_publish: arrivals.iter().filter(|a| a.at < last_publish).count(),
        arrived_before_next_publish: arrivals
            .iter()
            .zip(sent.iter().skip(1))
            .filter(|(a, next)| a.at < **next)
            .count(),
        lumps: moments.len(),
        delays: arrivals
            .iter()
            .zip(&sent)
            .map(|(a, s)| a.at.saturating_duration_since(*s))
            .collect(),
    })
}

/// What a WebSocket client got through nginx.
#[derive(Debug, Clone)]
pub struct WsOutcome {
    pub setup: Setup,
    /// `Ok(echo)` or the handshake error as the client saw it.
    pub result: Result<String, String>,
}

/// Opens a WebSocket to the echo endpoint through nginx set up as `setup`.
pub async fn websocket_through(server: SocketAddr, setup: Setup) -> anyhow::Result<WsOutcome> {
    let proxy = nginx::start(&location(setup, server)).await?;
    let url = format!("ws://{}/ws/echo", proxy.addr());
    let result = match tokio_tungstenite::connect_async(&url).await {
        Err(e) => Err(e.to_string()),
        Ok((mut ws, _)) => {
            ws.send(Message::text("through nginx")).await?;
            let back = tokio::time::timeout(Duration::from_secs(10), ws.next())
                .await
                .context("no echo within 10 s")?
                .context("closed before the echo")??;
            Ok(back.to_text().unwrap_or_default().to_string())
        }
    };
    Ok(WsOutcome { setup, result })
}

/// The `proxies` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let running = lab.server().await?;
    let (server, hub) = (running.addr, &running.hub);
    let mut report = Report::new(crate::LAB, "proxies");
    let mut sse = Table::new(
        "8 SSE events published 100 ms apart, read through nginx",
        &["nginx", "events", "early", "lumps", "first", "last"],
    );
    let mut values = Vec::new();
    for setup in [Setup::Defaults, Setup::NoBuffering, Setup::HeaderFromServer] {
        let t = sse_through(server, hub, setup, 8, Duration::from_millis(100)).await?;
        let ms =
            |d: Option<&Duration>| format!("{:.0} ms", d.map_or(0.0, |d| d.as_secs_f64() * 1e3));
        sse.row([
            setup.label().to_string(),
            t.events.to_string(),
            t.arrived_before_last_publish.to_string(),
            t.lumps.to_string(),
            ms(t.delays.first()),
            ms(t.delays.last()),
        ]);
        values.push(json!({"setup": setup.label(), "before_last": t.arrived_before_last_publish, "lumps": t.lumps}));
    }
    sse.note(
        "X-Accel-Buffering: no: nginx's defaults, and the server's response carries that header",
    );
    sse.note("early: events that arrived before the last one was published; lumps: the separate moments they arrived in; first, last: the delay of the first and the last event");
    sse.note("nginx 1.22 from Debian; with buffering on, the events wait in nginx's buffer until the response ends");
    report.table(sse);
    let mut ws = Table::new("A WebSocket through nginx", &["nginx", "outcome"]);
    for setup in [Setup::Defaults, Setup::WebSocketHeaders] {
        let o = websocket_through(server, setup).await?;
        ws.row([
            setup.label().to_string(),
            match &o.result {
                Ok(echo) => format!("connected, echo {echo:?}"),
                Err(e) => format!("handshake failed: {e}"),
            },
        ]);
    }
    ws.note("Upgrade, Connection passed: the location forwards the Upgrade and Connection headers");
    report.table(ws);
    report.value("sse", values);
    Ok(report)
}
