//! Dead letters: a message rejected without requeue, expired by TTL, or
//! pushed out by a full queue is re-published to the queue's dead-letter
//! exchange, carrying an `x-death` header that says why and from where.
//! And the poison message: requeued forever it loops; parked, it stops.

use std::time::Duration;

use anyhow::Context;
use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicGetOptions, BasicNackOptions, BasicQosOptions,
    BasicRejectOptions, ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel, ExchangeKind};

use crate::Lab;
use crate::support::{self, table};

/// The scenario, as `cargo run -p lab-amqp -- dead-letters` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "dead-letters",
    "reject, TTL and max-length routed to a dead-letter exchange; a poison message parked",
    "the x-death header says why each message died",
);

const PATIENCE: Duration = Duration::from_secs(30);

/// A dead letter read back from the dead-letter queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub body: String,
    /// `x-death[0].reason`: `rejected`, `expired` or `maxlen`.
    pub reason: String,
    /// `x-death[0].queue`: where it died.
    pub queue: String,
    /// `x-death[0].count`: how many times it died there.
    pub count: i64,
}

/// A fanout dead-letter exchange and the queue behind it.
async fn dead_letter_sink(ch: &Channel) -> anyhow::Result<(String, String)> {
    let dlx = support::unique("dlx");
    ch.exchange_declare(
        &dlx,
        ExchangeKind::Fanout,
        ExchangeDeclareOptions::default(),
        FieldTable::default(),
    )
    .await?;
    let dlq = support::unique("dead");
    ch.queue_declare(&dlq, QueueDeclareOptions::default(), FieldTable::default())
        .await?;
    ch.queue_bind(
        &dlq,
        &dlx,
        "",
        QueueBindOptions::default(),
        FieldTable::default(),
    )
    .await?;
    Ok((dlx, dlq))
}

fn field<'a>(t: &'a lapin::types::FieldTable, key: &str) -> Option<&'a AMQPValue> {
    t.inner().get(key)
}

fn as_text(v: Option<&AMQPValue>) -> String {
    match v {
        Some(AMQPValue::LongString(s)) => s.to_string(),
        Some(AMQPValue::ShortString(s)) => s.to_string(),
        other => format!("{other:?}"),
    }
}

/// Reads the dead-letter queue and each message's first `x-death` entry.
pub async fn read_dead(ch: &Channel, dlq: &str) -> anyhow::Result<Vec<DeadLetter>> {
    let mut out = Vec::new();
    while let Some(msg) = ch.basic_get(dlq, BasicGetOptions { no_ack: true }).await? {
        let d = &msg.delivery;
        let first = d
            .properties
            .headers()
            .as_ref()
            .and_then(|h| match field(h, "x-death") {
                Some(AMQPValue::FieldArray(a)) => a.as_slice().first().cloned(),
                _ => None,
            });
        let (reason, queue, count) = match first {
            Some(AMQPValue::FieldTable(t)) => (
                as_text(field(&t, "reason")),
                as_text(field(&t, "queue")),
                match field(&t, "count") {
                    Some(AMQPValue::LongLongInt(n)) => *n,
                    Some(AMQPValue::LongInt(n)) => i64::from(*n),
                    _ => -1,
                },
            ),
            _ => ("(no x-death header)".into(), String::new(), -1),
        };
        out.push(DeadLetter {
            body: String::from_utf8_lossy(&d.data).into_owned(),
            reason,
            queue,
            count,
        });
    }
    Ok(out)
}

// ANCHOR: three_ways
/// Three queues share one dead-letter exchange: one whose consumer rejects,
/// one with a 50 ms message TTL, one holding at most one message.
pub async fn three_ways(url: &str) -> anyhow::Result<(Vec<DeadLetter>, [String; 3])> {
    let conn = support::connect(url).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let (dlx, dlq) = dead_letter_sink(&ch).await?;
    // ANCHOR: to_dlx
    let to_dlx = || {
        (
            "x-dead-letter-exchange",
            AMQPValue::LongString(dlx.as_str().into()),
        )
    };
    // ANCHOR_END: to_dlx
    let declare = |label: &'static str, extra: Option<(&'static str, AMQPValue)>| {
        let ch = ch.clone();
        let args = table([to_dlx()].into_iter().chain(extra));
        async move {
            let name = support::unique(label);
            ch.queue_declare(&name, QueueDeclareOptions::default(), args)
                .await?;
            anyhow::Ok(name)
        }
    };
    // ANCHOR: three_queues
    let rejecting = declare("rejecting", None).await?;
    let expiring = declare("expiring", Some(("x-message-ttl", AMQPValue::LongInt(50)))).await?;
    let short = declare("short", Some(("x-max-length", AMQPValue::LongInt(1)))).await?;
    // ANCHOR_END: three_queues

    support::publish(
        &ch,
        "",
        &rejecting,
        b"bad order",
        false,
        BasicProperties::default(),
    )
    .await?;
    let msg = ch
        .basic_get(&rejecting, BasicGetOptions::default())
        .await?
        .context("nothing to reject")?;
    msg.delivery
        .acker
        .reject(BasicRejectOptions { requeue: false })
        .await?;

    support::publish(
        &ch,
        "",
        &expiring,
        b"stale quote",
        false,
        BasicProperties::default(),
    )
    .await?;
    support::publish(
        &ch,
        "",
        &short,
        b"oldest reading",
        false,
        BasicProperties::default(),
    )
    .await?;
    support::publish(
        &ch,
        "",
        &short,
        b"newest reading",
        false,
        BasicProperties::default(),
    )
    .await?;

    // The expired one is dead-lettered when the broker notices, within ms.
    let mut dead = Vec::new();
    for _ in 0..300 {
        dead.extend(read_dead(&ch, &dlq).await?);
        if dead.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    dead.sort_by(|a, b| a.reason.cmp(&b.reason));
    conn.close(200, "done").await.ok();
    Ok((dead, [rejecting, expiring, short]))
}
// ANCHOR_END: three_ways

/// A message that always fails, handled two ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Poison {
    /// Deliveries seen with nack+requeue before we stopped watching.
    pub requeue_deliveries: usize,
    /// Deliveries seen when a failure is nacked without requeue instead.
    pub park_deliveries: usize,
    /// Messages in the parking queue afterwards.
    pub parked: usize,
}

// ANCHOR: poison
/// With requeue the same message comes back again and again (we stop at
/// `limit`); without requeue and with a dead-letter exchange, it is
/// delivered once and parked.
pub async fn poison(url: &str, limit: usize) -> anyhow::Result<Poison> {
    let conn = support::connect(url).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let (dlx, parking) = dead_letter_sink(&ch).await?;
    let args = table([(
        "x-dead-letter-exchange",
        AMQPValue::LongString(dlx.as_str().into()),
    )]);
    let mut counts = [0usize; 2];
    for (i, requeue) in [true, false].into_iter().enumerate() {
        let q = support::unique("orders");
        ch.queue_declare(&q, QueueDeclareOptions::default(), args.clone())
            .await?;
        support::publish(
            &ch,
            "",
            &q,
            b"{\"qty\": \"many\"}",
            false,
            BasicProperties::default(),
        )
        .await?;
        let cch = conn.create_channel().await?;
        cch.basic_qos(1, BasicQosOptions::default()).await?;
        let mut stream = cch
            .basic_consume(
                &q,
                "",
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await?;
        loop {
            let next = tokio::time::timeout(Duration::from_millis(500), stream.next()).await;
            let Ok(Some(Ok(d))) = next else { break }; // quiet: nothing more comes
            counts[i] += 1;
            if counts[i] >= limit {
                d.acker.ack(BasicAckOptions::default()).await?; // stop the loop ourselves
                break;
            }
            // ANCHOR: poison_nack
            // "Processing" fails every time: the body can never be parsed.
            d.acker
                .nack(BasicNackOptions {
                    requeue,
                    multiple: false,
                })
                .await?;
            // ANCHOR_END: poison_nack
        }
        cch.close(200, "done").await.ok();
    }
    let parked = read_dead(&ch, &parking).await?.len();
    let _ = PATIENCE;
    conn.close(200, "done").await.ok();
    Ok(Poison {
        requeue_deliveries: counts[0],
        park_deliveries: counts[1],
        parked,
    })
}
// ANCHOR_END: poison

/// The scenario, on the lab's shared broker.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let url = lab.broker().await?.url();
    let (dead, _) = three_ways(url).await?;
    let mut t = Table::new(
        "Read back from the dead-letter queue",
        &["body", "x-death reason", "x-death count"],
    );
    for d in &dead {
        t.row([d.body.clone(), d.reason.clone(), d.count.to_string()]);
    }
    let p = poison(url, 1000).await?;
    let mut t2 = Table::new(
        "A message that always fails",
        &["on failure", "deliveries", "parked"],
    );
    t2.row([
        "nack, requeue=true",
        &format!("{} (we stopped there)", p.requeue_deliveries),
        "0",
    ]);
    t2.row([
        "nack, requeue=false + DLX",
        &p.park_deliveries.to_string(),
        &p.parked.to_string(),
    ]);
    let mut report = Report::new(crate::LAB, "dead-letters");
    report.table(t).table(t2);
    Ok(report)
}
