//! A queue against a log. In a classic queue an acknowledged message is
//! gone: a second consumer finds nothing. A RabbitMQ stream (3.9+) is an
//! append-only log: consumers read from an offset they choose and nothing is
//! removed when they acknowledge, so two consumers both read everything and
//! a third can start in the middle.
//!
//! The lab reads the stream over plain AMQP 0-9-1 (a `x-queue-type: stream`
//! queue, `basic.qos` set, `x-stream-offset` on `basic.consume`) rather than
//! the stream protocol's own client crate: no extra dependency or port, and
//! the same lapin calls as every other scenario. The stream protocol is
//! faster; the semantics shown here are the same.

use std::time::Duration;

use anyhow::Context;
use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use lapin::options::{BasicAckOptions, BasicConsumeOptions, BasicQosOptions, QueueDeclareOptions};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Connection};

use crate::Lab;
use crate::support::{self, table, text};

/// The scenario, as `cargo run -p lab-amqp -- streams` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "streams",
    "a RabbitMQ stream replayed from an offset, beside a queue",
    "the stream still holds what a consumer acknowledged",
);

/// What each reader got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    /// Two consumers of the stream from `first`.
    pub stream_reader_a: Vec<String>,
    pub stream_reader_b: Vec<String>,
    /// A third from offset 5.
    pub from_offset_5: Vec<String>,
    /// Two consumers of a classic queue, one after the other, both acking.
    pub queue_reader_a: Vec<String>,
    pub queue_reader_b: Vec<String>,
}

// ANCHOR: read
/// Reads up to `max` messages starting at `offset` (`first`, or a number),
/// acking each; stops after 500 ms of silence.
async fn read(
    conn: &Connection,
    queue: &str,
    offset: Option<AMQPValue>,
    max: usize,
) -> anyhow::Result<Vec<String>> {
    let ch = conn.create_channel().await?;
    // ANCHOR: stream_offset
    ch.basic_qos(100, BasicQosOptions::default()).await?; // streams require a prefetch
    let args = table(offset.map(|o| ("x-stream-offset", o)));
    let mut stream = ch
        .basic_consume(queue, "", BasicConsumeOptions::default(), args)
        .await
        .with_context(|| format!("consuming {queue}"))?;
    // ANCHOR_END: stream_offset
    let mut got = Vec::new();
    while got.len() < max {
        let Ok(Some(Ok(d))) = tokio::time::timeout(Duration::from_millis(500), stream.next()).await
        else {
            break;
        };
        got.push(String::from_utf8_lossy(&d.data).into_owned());
        d.acker.ack(BasicAckOptions::default()).await?;
    }
    ch.close(200, "done").await.ok();
    Ok(got)
}
// ANCHOR_END: read

/// Ten events into a stream and into a classic queue; then the readers.
pub async fn replay(url: &str) -> anyhow::Result<Replay> {
    let conn = support::connect(url).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let log = support::unique("events-log");
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.queue_declare(&log, durable, table([("x-queue-type", text("stream"))]))
        .await
        .context("declaring a stream queue (RabbitMQ 3.9 or later is needed)")?;
    let q = support::unique("events-queue");
    ch.queue_declare(&q, QueueDeclareOptions::default(), FieldTable::default())
        .await?;
    for i in 0..10 {
        let body = format!("event {i}");
        support::publish(
            &ch,
            "",
            &log,
            body.as_bytes(),
            false,
            BasicProperties::default(),
        )
        .await?;
        support::publish(
            &ch,
            "",
            &q,
            body.as_bytes(),
            false,
            BasicProperties::default(),
        )
        .await?;
    }
    let first = || Some(text("first"));
    let r = Replay {
        stream_reader_a: read(&conn, &log, first(), 10).await?,
        stream_reader_b: read(&conn, &log, first(), 10).await?,
        from_offset_5: read(&conn, &log, Some(AMQPValue::LongLongInt(5)), 10).await?,
        queue_reader_a: read(&conn, &q, None, 10).await?,
        queue_reader_b: read(&conn, &q, None, 10).await?,
    };
    ch.queue_delete(&log, Default::default()).await.ok();
    conn.close(200, "done").await.ok();
    Ok(r)
}

fn span(v: &[String]) -> String {
    match (v.first(), v.last()) {
        (Some(a), Some(b)) => format!("{} messages: {a} … {b}", v.len()),
        _ => "0 messages".into(),
    }
}

/// The scenario, on the lab's shared broker.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let r = replay(lab.broker().await?.url()).await?;
    let mut t = Table::new(
        "Ten events, read by several consumers",
        &["reader", "what it got"],
    );
    t.row(["stream, consumer A from first", &span(&r.stream_reader_a)]);
    t.row(["stream, consumer B from first", &span(&r.stream_reader_b)]);
    t.row(["stream, consumer C from offset 5", &span(&r.from_offset_5)]);
    t.row(["classic queue, consumer A (acks)", &span(&r.queue_reader_a)]);
    t.row([
        "classic queue, consumer B after A",
        &span(&r.queue_reader_b),
    ]);
    let mut report = Report::new(crate::LAB, "streams");
    report.table(t);
    Ok(report)
}
