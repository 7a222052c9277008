//! Queue properties, each shown by what a queue holds afterwards: message
//! TTL (per queue or per message), queue TTL (`x-expires`), a length limit
//! that drops the oldest or refuses the newest, priorities, and the quorum
//! queue — replicated, and refused unless declared durable.

use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use lapin::options::{BasicGetOptions, QueueDeclareOptions};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel, Connection};

use crate::Lab;
use crate::support::{self, table, text};

/// The scenario, as `cargo run -p lab-amqp -- queue-props` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "queue-props",
    "message and queue TTL, max-length overflow modes, priorities, quorum queues",
    "drop-head keeps the newest; reject-publish nacks the newest",
);

async fn declare(
    ch: &Channel,
    label: &str,
    args: FieldTable,
    durable: bool,
) -> anyhow::Result<String> {
    let name = support::unique(label);
    ch.queue_declare(
        &name,
        QueueDeclareOptions {
            durable,
            ..Default::default()
        },
        args,
    )
    .await?;
    Ok(name)
}

/// What each property left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Props {
    /// Bodies left after 300 ms; one message had a 50 ms `expiration`.
    pub after_message_ttl: Vec<String>,
    /// Whether a queue with `x-expires: 200` still exists after 1 s unused.
    pub expired_queue_exists: bool,
    /// `x-max-length: 3`, default overflow (`drop-head`), five published.
    pub drop_head: Vec<String>,
    /// `x-overflow: reject-publish`: (confirmed, nacked), and what is left.
    pub reject_publish: (usize, usize, Vec<String>),
    /// Priorities 1, 5, 9, 0 published while nobody consumes; read order.
    pub priority_order: Vec<String>,
    /// A quorum queue: a message round-trips; declared non-durable, refused.
    pub quorum_roundtrip: Vec<String>,
    pub quorum_transient_refused: bool,
}

// ANCHOR: overflow
async fn overflow(ch: &Channel, mode: &str) -> anyhow::Result<(usize, usize, Vec<String>)> {
    // ANCHOR: overflow_args
    let args = table([
        ("x-max-length", AMQPValue::LongInt(3)),
        ("x-overflow", text(mode)),
    ]);
    let q = declare(ch, mode, args, false).await?;
    // ANCHOR_END: overflow_args
    let (mut acked, mut nacked) = (0, 0);
    for i in 1..=5 {
        match support::publish(
            ch,
            "",
            &q,
            format!("m{i}").as_bytes(),
            false,
            BasicProperties::default(),
        )
        .await
        {
            Ok(_) => acked += 1,
            Err(_) => nacked += 1, // reject-publish: the broker nacks
        }
    }
    Ok((acked, nacked, support::drain(ch, &q).await?))
}
// ANCHOR_END: overflow

/// Runs every property on one connection.
pub async fn measure(url: &str) -> anyhow::Result<Props> {
    let conn = support::connect(url).await?;
    let ch = support::confirmed_channel(&conn).await?;

    let q = declare(&ch, "ttl", FieldTable::default(), false).await?;
    let short = BasicProperties::default().with_expiration("50".into());
    support::publish(&ch, "", &q, b"expires in 50 ms", false, short).await?;
    support::publish(
        &ch,
        "",
        &q,
        b"no expiration",
        false,
        BasicProperties::default(),
    )
    .await?;
    let temp = declare(
        &ch,
        "unused",
        table([("x-expires", AMQPValue::LongInt(200))]),
        false,
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let after_message_ttl = support::drain(&ch, &q).await?;
    let probe = conn.create_channel().await?;
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    let expired_queue_exists = probe
        .queue_declare(&temp, passive, FieldTable::default())
        .await
        .is_ok();

    let (_, _, drop_head) = overflow(&ch, "drop-head").await?;
    let reject_publish = overflow(&ch, "reject-publish").await?;

    let priority_order = priority(&ch).await?;
    let (quorum_roundtrip, quorum_transient_refused) = quorum(&conn, &ch).await?;
    conn.close(200, "done").await.ok();
    Ok(Props {
        after_message_ttl,
        expired_queue_exists,
        drop_head,
        reject_publish,
        priority_order,
        quorum_roundtrip,
        quorum_transient_refused,
    })
}

// ANCHOR: priority
/// Priorities 1, 5, 9 and 0 published to a priority queue nobody consumes,
/// then read back: the order they come out in.
async fn priority(ch: &Channel) -> anyhow::Result<Vec<String>> {
    // ANCHOR: priority_args
    let pq = declare(
        ch,
        "prio",
        table([("x-max-priority", AMQPValue::ShortShortUInt(10))]),
        false,
    )
    .await?;
    for p in [1u8, 5, 9, 0] {
        let props = BasicProperties::default().with_priority(p);
        // ANCHOR_END: priority_args
        support::publish(
            ch,
            "",
            &pq,
            format!("priority {p}").as_bytes(),
            false,
            props,
        )
        .await?;
    }
    support::drain(ch, &pq).await
}
// ANCHOR_END: priority

// ANCHOR: quorum
/// A message round-trips through a (durable) quorum queue; a second quorum
/// queue declared non-durable is refused. Returns what came back, and
/// whether the broker refused the non-durable one.
async fn quorum(conn: &Connection, ch: &Channel) -> anyhow::Result<(Vec<String>, bool)> {
    // ANCHOR: quorum_args
    let quorum = table([("x-queue-type", text("quorum"))]);
    let qq = declare(ch, "quorum", quorum.clone(), true).await?;
    // ANCHOR_END: quorum_args
    support::publish(ch, "", &qq, b"replicated", false, support::persistent()).await?;
    let mut roundtrip = Vec::new();
    if let Some(m) = ch.basic_get(&qq, BasicGetOptions { no_ack: true }).await? {
        roundtrip.push(String::from_utf8_lossy(&m.delivery.data).into_owned());
    }
    ch.queue_delete(&qq, Default::default()).await?;
    // A refused declare closes its channel, so it gets a channel of its own.
    let probe = conn.create_channel().await?;
    // ANCHOR: quorum_transient
    let transient = probe
        .queue_declare(
            &support::unique("quorum-transient"),
            QueueDeclareOptions::default(),
            quorum,
        )
        .await;
    // ANCHOR_END: quorum_transient
    Ok((roundtrip, transient.is_err()))
}
// ANCHOR_END: quorum

/// The scenario, on the lab's shared broker.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let p = measure(lab.broker().await?.url()).await?;
    let mut t = Table::new(
        "What each queue property left behind",
        &["property", "what the queue holds / did"],
    );
    t.row([
        "per-message TTL 50 ms, read after 1 s".to_string(),
        format!("{:?}", p.after_message_ttl),
    ]);
    t.row([
        "x-expires 200 ms, unused for 1 s".to_string(),
        format!("queue exists: {}", p.expired_queue_exists),
    ]);
    t.row([
        "x-max-length 3, drop-head, m1..m5".to_string(),
        format!("{:?}", p.drop_head),
    ]);
    let (a, n, left) = &p.reject_publish;
    t.row([
        "x-max-length 3, reject-publish, m1..m5".to_string(),
        format!("{a} confirmed, {n} nacked, holds {left:?}"),
    ]);
    t.row([
        "x-max-priority 10, sent 1,5,9,0".to_string(),
        format!("read order {:?}", p.priority_order),
    ]);
    t.row([
        "quorum queue (durable)".to_string(),
        format!("round trip {:?}", p.quorum_roundtrip),
    ]);
    t.row([
        "quorum queue declared non-durable".to_string(),
        format!("refused: {}", p.quorum_transient_refused),
    ]);
    let mut report = Report::new(crate::LAB, "queue-props");
    report.table(t);
    Ok(report)
}
