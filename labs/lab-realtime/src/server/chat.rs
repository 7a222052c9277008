//! `GET /ws/chat`: a chat room, and what it takes to span two servers.
//!
//! A message from one client goes to every client connected to the same
//! server through a local broadcast channel. A client connected to another
//! server never sees it — unless the servers share a [`Relay`]: each server
//! publishes what its clients say to a Redis channel and subscribes to it,
//! and re-broadcasts what arrives to its own clients.
//!
//! A real service would relay through something that keeps messages (a
//! Redis stream, a broker's queue) where a server that is down must not miss
//! them; pub/sub delivers only to whoever listens at that moment.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures::StreamExt;
use tokio::sync::broadcast;

use super::Hub;

/// The Redis channel every server of the room publishes to.
pub const CHANNEL: &str = "lab-realtime:chat";

/// A connection to Redis for publishing chat messages.
#[derive(Clone)]
pub struct Relay {
    publish: redis::aio::MultiplexedConnection,
}

impl Relay {
    /// Connects to Redis at `url`; call [`Relay::subscribe`] once the hub exists.
    pub async fn connect(url: &str) -> anyhow::Result<Relay> {
        // The URL may hold a password: only its masked form is ever shown.
        let shown = labkit::broker::mask(url);
        let client = redis::Client::open(url)
            .map_err(|e| anyhow::anyhow!("{shown} is not a Redis URL ({e})"))?;
        let publish = client
            .get_multiplexed_async_connection()
            .await
            .map_err(|e| {
                if e.kind() == redis::ErrorKind::AuthenticationFailed {
                    anyhow::anyhow!(
                        "Redis at {shown} refused the user or password ({e}); correct them in REDIS_URL"
                    )
                } else {
                    anyhow::anyhow!(
                        "cannot connect to Redis at {shown} ({e}); is redis-server running?"
                    )
                }
            })?;
        Ok(Relay { publish })
    }
}

// ANCHOR: relay
/// Subscribes to the room's Redis channel and broadcasts every message that
/// arrives to this server's own clients. Runs until the connection drops.
pub async fn subscribe(url: &str, hub: Arc<Hub>) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    // ANCHOR: redis_subscribe
    let client = redis::Client::open(url)?;
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(CHANNEL).await?;
    Ok(tokio::spawn(async move {
        let mut messages = pubsub.into_on_message();
        while let Some(msg) = messages.next().await {
            if let Ok(text) = msg.get_payload::<String>() {
                let _ = hub.chat.send(text);
            }
        }
    }))
    // ANCHOR_END: redis_subscribe
}

/// What a server does with a message one of its clients sent.
async fn say(hub: &Hub, text: String) {
    match &hub.relay {
        // Through Redis: every subscribed server, this one included, gets it.
        Some(relay) => {
            let mut conn = relay.publish.clone();
            let _: Result<i64, _> = redis::cmd("PUBLISH")
                .arg(CHANNEL)
                .arg(&text)
                .query_async(&mut conn)
                .await;
        }
        // Alone: only this server's clients.
        None => {
            let _ = hub.chat.send(text);
        }
    }
}
// ANCHOR_END: relay

pub async fn join(ws: WebSocketUpgrade, State(hub): State<Arc<Hub>>) -> Response {
    ws.on_upgrade(move |socket| member(socket, hub))
}

async fn member(mut socket: WebSocket, hub: Arc<Hub>) {
    let mut room = hub.chat.subscribe();
    // Tell the client it is in the room, so it knows when to start talking.
    if socket.send(Message::text("joined")).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            heard = room.recv() => match heard {
                Ok(text) => {
                    if socket.send(Message::text(text)).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            said = socket.recv() => match said {
                Some(Ok(Message::Text(text))) => say(&hub, text.to_string()).await,
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}
