//! Grading tests for `realtime-rooms`, against a private Redis.

use std::time::Duration;

use futures::StreamExt;
use lab_realtime_exercises::rooms::{listen, say};
use labkit::broker::{self, Kind, Options};
use labkit::grade::expect;

/// Every message a subscription receives within half a second.
async fn heard(pubsub: redis::aio::PubSub) -> Vec<String> {
    let mut stream = pubsub.into_on_message();
    let mut out = Vec::new();
    while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_millis(500), stream.next()).await
    {
        out.push(msg.get_payload::<String>().unwrap_or_default());
    }
    out
}

#[tokio::test]
async fn a_message_reaches_its_room_on_every_server_and_no_other_room() {
    let redis = broker::private(Kind::Redis, Options::new())
        .await
        .expect("a private Redis (install redis-server)");
    let url = redis.url();
    // Two servers with clients in "garden", one with a client in "kitchen".
    let garden_a = listen(url, "garden").await.unwrap();
    let garden_b = listen(url, "garden").await.unwrap();
    let kitchen = listen(url, "kitchen").await.unwrap();
    let mut conn = redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let reached = say(&mut conn, "garden", "tomatoes are ripe").await.unwrap();
    let (a, b, k) = tokio::join!(heard(garden_a), heard(garden_b), heard(kitchen));
    expect(
        a == ["tomatoes are ripe"],
        "the garden listener on server A hears it once",
        a,
    );
    expect(
        b == ["tomatoes are ripe"],
        "the garden listener on server B hears it once",
        b,
    );
    expect(k.is_empty(), "the kitchen hears nothing from the garden", k);
    expect(
        reached == 2,
        "Redis delivered to exactly the two garden subscriptions",
        reached,
    );
}
