//! Grading test for `amqp-failover`: 2000 messages reach `publish_all`
//! through a channel while the test crashes the broker under it. One
//! private RabbitMQ node holds a durable quorum queue; once it has stored
//! some of the first 1000 messages, the test freezes it (SIGSTOP), hands
//! over 500 more — they are sent, and never stored — then kills it
//! (SIGKILL), hands over the last 500 and starts it again on the same data.
//! The publisher sees what it sees when its node of a cluster dies: the
//! connection closes with confirms still outstanding.
//!
//! Then, as a publisher's retry does when a message was stored but its ack
//! was lost in a crash, the test sends a second copy of ten messages, and
//! reads the queue empty, asking the reader's `Inbox` about each delivery.
//! Every message must be there, persistent and with its id, and the inbox
//! must keep each exactly once.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use lab_amqp_exercises::failover::{self, Inbox};
use lab_amqp_exercises::support::{self, Message};
use labkit::broker::{self, Kind, Options};
use labkit::grade::{expect, expect_eq, expect_ok};
use lapin::BasicProperties;
use lapin::options::QueueDeclareOptions;
use lapin::options::{BasicGetOptions, BasicPublishOptions, ConfirmSelectOptions};
use lapin::types::{AMQPValue, FieldTable};

/// Messages in all.
const N: usize = 2000;
/// Handed over before the broker is frozen.
const BEFORE: usize = 1000;
/// Handed over while it is frozen: sent into a socket nobody reads.
const FROZEN: usize = 500;
/// Second copies the test sends itself, as a retry after a lost ack would.
const COPIES: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_lost_or_kept_twice_when_the_broker_dies_mid_publish() {
    let mut broker = broker::private(Kind::RabbitMq, Options::new())
        .await
        .expect("a private RabbitMQ (install rabbitmq-server): this test crashes it");
    let url = broker.url().to_owned();
    let queue = support::unique("orders");
    declare_quorum_queue(&url, &queue).await;

    let messages: Vec<Message> = (0..N)
        .map(|i| Message {
            id: format!("order-{i}"),
            body: format!("order {i}: 3 items"),
        })
        .collect();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let publisher = tokio::spawn({
        let (url, queue) = (url.clone(), queue.clone());
        async move { failover::publish_all(&url, &queue, rx).await }
    });

    for m in &messages[..BEFORE] {
        tx.send(m.clone()).ok();
    }
    let held = depth_reaches(&url, &queue, 300, &publisher).await;
    expect(
        held >= 300,
        "within 30 s the broker holds at least 300 of the first 1000 messages (publish_all publishes to `queue` as messages arrive)",
        format!("{held} in the queue"),
    );
    broker.pause().await.unwrap();
    for m in &messages[BEFORE..BEFORE + FROZEN] {
        tx.send(m.clone()).ok();
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    broker.kill().await.unwrap();
    for m in &messages[BEFORE + FROZEN..] {
        tx.send(m.clone()).ok();
    }
    drop(tx); // no more messages: publish_all returns once all are confirmed
    broker.start().await.unwrap();

    let returned = tokio::time::timeout(Duration::from_secs(90), publisher).await;
    let confirmed = expect_ok(
        returned
            .map_err(|_| "still running 90 s after the broker came back".to_string())
            .and_then(|joined| joined.map_err(|e| format!("it panicked: {e}")))
            .and_then(|r| r.map_err(|e| format!("{e:#}"))),
        "publish_all survives the crash: it connects again, and returns once every message is confirmed",
    );

    send_copies(&url, &queue, &messages[..COPIES]).await;
    let conn = support::connect(&url).await.unwrap();
    let ch = conn.create_channel().await.unwrap();
    let mut inbox = Inbox::default();
    let (mut without_id, mut transient) = (0, 0);
    let mut in_queue: BTreeMap<String, usize> = BTreeMap::new();
    let mut kept: BTreeMap<String, usize> = BTreeMap::new();
    while let Some(got) = ch
        .basic_get(&queue, BasicGetOptions { no_ack: true })
        .await
        .unwrap()
    {
        let d = got.delivery;
        let body = String::from_utf8_lossy(&d.data).into_owned();
        if d.properties.message_id().is_none() {
            without_id += 1;
        }
        if *d.properties.delivery_mode() != Some(2) {
            transient += 1;
        }
        if inbox.is_new(&d) {
            *kept.entry(body.clone()).or_default() += 1;
        }
        *in_queue.entry(body).or_default() += 1;
    }
    conn.close(200, "graded").await.ok();

    let delivered = in_queue.values().sum::<usize>();
    expect_eq(
        without_id,
        0,
        "every message carries its id as the AMQP `message_id` property",
    );
    expect_eq(
        transient,
        0,
        "every message is published persistent (delivery mode 2); a quorum queue stores even transient ones, a classic queue or a dead-letter queue would not",
    );
    let missing: Vec<&str> = messages
        .iter()
        .map(|m| m.body.as_str())
        .filter(|b| !in_queue.contains_key(*b))
        .collect();
    expect(
        missing.is_empty(),
        "every message is in the queue after the crash: a message counts as done only when the broker acks it, and every unacked one is sent again",
        format!(
            "{} of {N} missing, the first: {:?}",
            missing.len(),
            missing.iter().take(3).collect::<Vec<_>>()
        ),
    );
    let twice: BTreeSet<&String> = kept
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(b, _)| b)
        .collect();
    expect(
        kept.len() == N && twice.is_empty(),
        "the inbox keeps each message once: is_new is false for a second copy of a message id",
        format!(
            "{} copies in the queue, the inbox kept {} ({} distinct, {} more than once)",
            delivered,
            kept.values().sum::<usize>(),
            kept.len(),
            twice.len()
        ),
    );
    expect_eq(
        confirmed,
        N,
        "publish_all returns how many messages the broker confirmed, each counted once",
    );
}

/// A durable quorum queue, as an operator would have declared it before
/// any publisher started. The wait matters on one node: RabbitMQ's Raft
/// library saves its table of the node's queue members to disk every half
/// second, and a node SIGKILLed before that restarts without the queue's
/// member, so the queue never gets a leader again.
async fn declare_quorum_queue(url: &str, queue: &str) {
    let conn = support::connect(url).await.unwrap();
    let ch = conn.create_channel().await.unwrap();
    let mut args = FieldTable::default();
    args.insert(
        "x-queue-type".into(),
        AMQPValue::LongString("quorum".into()),
    );
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.queue_declare(queue, durable, args).await.unwrap();
    conn.close(200, "declared").await.ok();
    tokio::time::sleep(Duration::from_secs(2)).await;
}

/// Polls the queue's depth until it reaches `want`, the publisher ends, or
/// 30 s pass; returns the last depth seen.
async fn depth_reaches(
    url: &str,
    queue: &str,
    want: u32,
    publisher: &tokio::task::JoinHandle<anyhow::Result<usize>>,
) -> u32 {
    let conn = support::connect(url).await.unwrap();
    let mut held = 0;
    for _ in 0..300 {
        held = support::depth(&conn, queue).await.unwrap().unwrap_or(0);
        if held >= want || publisher.is_finished() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    conn.close(200, "seen").await.ok();
    held
}

/// Sends a second copy of `messages`, persistent, with their ids, confirmed.
async fn send_copies(url: &str, queue: &str, messages: &[Message]) {
    let conn = support::connect(url).await.unwrap();
    let ch = conn.create_channel().await.unwrap();
    ch.confirm_select(ConfirmSelectOptions::default())
        .await
        .unwrap();
    for m in messages {
        let props = BasicProperties::default()
            .with_delivery_mode(2)
            .with_message_id(m.id.as_str().into());
        let confirm = ch
            .basic_publish(
                "",
                queue,
                BasicPublishOptions::default(),
                m.body.as_bytes(),
                props,
            )
            .await
            .unwrap()
            .await
            .unwrap();
        assert!(
            confirm.is_ack(),
            "the test's own copy of {} was refused",
            m.id
        );
    }
    conn.close(200, "copies sent").await.ok();
}
