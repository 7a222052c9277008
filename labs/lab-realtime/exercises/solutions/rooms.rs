//! Reference solution for `realtime-rooms`.
//!
//! Chat rooms that span servers.
//!
//! Each WebSocket server subscribes to Redis for the rooms its clients are
//! in and publishes what its clients say (the lab's `scaleout` scenario
//! does this for one room). With several rooms, a message said in one room
//! must reach every listener of that room, on any server, and nobody else.
//! Other applications may share this Redis, and pub/sub channels ignore
//! `SELECT`: a room's channel needs a prefix that is the chat's own.

use redis::aio::{MultiplexedConnection, PubSub};

// ANCHOR: solution
/// The Redis channel that carries `room`'s messages: one per room, under a
/// prefix so the app's channels cannot collide with anyone else's.
pub fn channel_for(room: &str) -> String {
    format!("chat:room:{room}")
}
// ANCHOR_END: solution

/// Publishes `text` to `room`; returns how many subscribers Redis reached.
pub async fn say(conn: &mut MultiplexedConnection, room: &str, text: &str) -> anyhow::Result<i64> {
    Ok(redis::cmd("PUBLISH")
        .arg(channel_for(room))
        .arg(text)
        .query_async(conn)
        .await?)
}

/// A subscription to `room`, as one server would hold it for its clients.
pub async fn listen(redis_url: &str, room: &str) -> anyhow::Result<PubSub> {
    let mut pubsub = redis::Client::open(redis_url)?.get_async_pubsub().await?;
    pubsub.subscribe(channel_for(room)).await?;
    Ok(pubsub)
}
