//! Wrong: each server subscribes with a pattern to every room's channel (`PSUBSCRIBE chat:room:*`), so the kitchen hears the garden.

use redis::aio::{MultiplexedConnection, PubSub};

/// The Redis channel that carries `room`'s messages.
pub fn channel_for(room: &str) -> String {
    format!("chat:room:{room}")
}

/// Publishes `text` to `room`; returns how many subscribers Redis reached.
pub async fn say(conn: &mut MultiplexedConnection, room: &str, text: &str) -> anyhow::Result<i64> {
    Ok(redis::cmd("PUBLISH")
        .arg(channel_for(room))
        .arg(text)
        .query_async(conn)
        .await?)
}

/// A subscription to `room`, as one server would hold it for its clients:
/// every room at once, which saves subscribing again when a client joins
/// another room.
pub async fn listen(redis_url: &str, room: &str) -> anyhow::Result<PubSub> {
    let _ = room;
    let mut pubsub = redis::Client::open(redis_url)?.get_async_pubsub().await?;
    pubsub.psubscribe("chat:room:*").await?;
    Ok(pubsub)
}
