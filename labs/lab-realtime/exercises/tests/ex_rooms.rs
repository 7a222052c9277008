//! Grading tests for `realtime-rooms`, against a private Redis.

use std::time::Duration;

use futures::StreamExt;
use lab_realtime_exercises::rooms::{listen, say};
use labkit::broker::{self, Kind, Options};
use labkit::grade::{expect, expect_ok};

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
    let garden_a = expect_ok(listen(url, "garden").await, "listen subscribes to a room");
    let garden_b = expect_ok(listen(url, "garden").await, "listen subscribes to a room");
    let kitchen = expect_ok(listen(url, "kitchen").await, "listen subscribes to a room");
    let mut conn = redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    // Another application on the same Redis, in another database, has a
    // channel of its own called "garden".
    let mut neighbour = redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let _: () = redis::cmd("SELECT")
        .arg(1)
        .query_async(&mut neighbour)
        .await
        .unwrap();
    let _: i64 = redis::cmd("PUBLISH")
        .arg("garden")
        .arg("irrigation on")
        .query_async(&mut neighbour)
        .await
        .unwrap();
    let reached = expect_ok(
        say(&mut conn, "garden", "tomatoes are ripe").await,
        "say publishes without an error",
    );
    let (a, b, k) = tokio::join!(heard(garden_a), heard(garden_b), heard(kitchen));
    expect(
        !a.iter().chain(&b).any(|m| m == "irrigation on"),
        "another application's `garden` channel (on database 1) is not heard in the room: \
         pub/sub channels ignore SELECT, so the chat's channels need a prefix of their own",
        (&a, &b),
    );
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
