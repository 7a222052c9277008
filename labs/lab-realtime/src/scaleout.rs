//! Scenario `scaleout`: two WebSocket servers, one chat room.
//!
//! A WebSocket server keeps its clients in its own memory, so a message
//! said on server A reaches only A's clients. Put a load balancer in front
//! of two servers and half the room goes deaf. The usual fix is a broker
//! between the servers: here each server publishes what it hears to a Redis
//! channel and subscribes to it (Redis pub/sub: fire and forget, no
//! storage).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures::{SinkExt, StreamExt};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

use crate::Lab;
use crate::server::{self, Hub, Relay, RunningServer};

/// The scenario, as `cargo run -p lab-realtime -- scaleout` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "scaleout",
    "two WebSocket servers: a chat message crosses only through Redis pub/sub",
    "what the client on the other server heard",
);

/// Two servers sharing one event log, relaying chat through `redis_url`
/// if given. The subscriber tasks are returned so the caller keeps them.
pub async fn pair(redis_url: Option<&str>) -> anyhow::Result<(RunningServer, RunningServer)> {
    let log = Arc::new(lab_rest::baseline::State::default());
    let mut servers = Vec::new();
    for _ in 0..2 {
        let relay = match redis_url {
            Some(url) => Some(Relay::connect(url).await?),
            None => None,
        };
        let hub = Hub::new(log.clone(), relay);
        if let Some(url) = redis_url {
            server::chat::subscribe(url, hub.clone()).await?;
        }
        servers.push(server::spawn(TcpListener::bind("127.0.0.1:0").await?, hub).await?);
    }
    let b = servers.pop().context("two servers")?;
    let a = servers.pop().context("two servers")?;
    Ok((a, b))
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn join(server: &RunningServer) -> anyhow::Result<Ws> {
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{}/ws/chat", server.addr)).await?;
    let hello = ws.next().await.context("no greeting")??;
    anyhow::ensure!(
        hello.to_text()? == "joined",
        "unexpected greeting {hello:?}"
    );
    Ok(ws)
}

/// Every text message that arrives within `wait`.
async fn heard(ws: &mut Ws, wait: Duration) -> Vec<String> {
    let mut out = Vec::new();
    while let Ok(Some(Ok(msg))) = tokio::time::timeout(wait, ws.next()).await {
        if let Ok(text) = msg.to_text() {
            out.push(text.to_string());
        }
    }
    out
}

/// What each client heard.
#[derive(Debug, Clone)]
pub struct Room {
    pub with_redis: bool,
    /// The sender's neighbour on the same server.
    pub same_server: Vec<String>,
    /// A client on the other server.
    pub other_server: Vec<String>,
}

// ANCHOR: say_hello
/// Alice and Bob on server A, Carol on server B; Alice says hello.
pub async fn hello(redis_url: Option<&str>) -> anyhow::Result<Room> {
    let (a, b) = pair(redis_url).await?;
    let mut alice = join(&a).await?;
    let mut bob = join(&a).await?;
    let mut carol = join(&b).await?;
    alice.send(Message::text("hello from A")).await?;
    let wait = Duration::from_millis(700);
    let (same_server, other_server) = tokio::join!(heard(&mut bob, wait), heard(&mut carol, wait));
    Ok(Room {
        with_redis: redis_url.is_some(),
        same_server,
        other_server,
    })
}
// ANCHOR_END: say_hello

/// The `scaleout` scenario, with the lab's Redis.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let redis_url = lab.broker().await?.url();
    let mut table = Table::new(
        "\"hello from A\" said on server A: who heard it",
        &["servers", "client on A", "client on B"],
    );
    let mut values = Vec::new();
    for url in [None, Some(redis_url)] {
        let room = hello(url).await?;
        table.row([
            if room.with_redis {
                "A and B, relayed through Redis pub/sub"
            } else {
                "A and B, alone"
            }
            .to_string(),
            format!("{:?}", room.same_server),
            format!("{:?}", room.other_server),
        ]);
        values
            .push(json!({"redis": room.with_redis, "a": room.same_server, "b": room.other_server}));
    }
    table.note("each client listens for 700 ms; Redis pub/sub keeps nothing, so a server that is down then misses it");
    let mut report = Report::new(crate::LAB, "scaleout");
    report.table(table);
    report.value("rooms", values);
    Ok(report)
}
