//! Wrong: it uses the room's name as the channel, so another application's channel of the same name (in any database) is heard in the room.

use redis::aio::{MultiplexedConnection, PubSub};

/// The Redis channel that carries `room`'s messages.
pub fn channel_for(room: &str) -> String {
    room.to_string()
}

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
