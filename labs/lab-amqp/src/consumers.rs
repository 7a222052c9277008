//! Consumers: several consumers on one queue share the work; prefetch
//! decides how much a consumer may hold unacknowledged; ack, nack and
//! reject decide each message's fate; and a consumer that dies holding
//! messages loses none of them — the broker delivers them again, marked
//! `redelivered`.

use std::time::Duration;

use anyhow::Context;
use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::Proxy;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicNackOptions, BasicQosOptions, BasicRejectOptions,
    QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, Connection, Consumer};

use crate::{Lab, support};

/// The scenario, as `cargo run -p lab-amqp -- consumers` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "consumers",
    "competing consumers, prefetch 1 against 100, ack/nack/reject, a consumer that dies",
    "nothing unacknowledged is ever lost: it comes back flagged redelivered",
);

/// Hang guard for waits that should end in well under a second.
const PATIENCE: Duration = Duration::from_secs(30);

async fn queue(ch: &Channel, label: &str) -> anyhow::Result<String> {
    let name = support::unique(label);
    ch.queue_declare(&name, QueueDeclareOptions::default(), FieldTable::default())
        .await
        .with_context(|| format!("declaring queue {name}"))?;
    Ok(name)
}

async fn consumer(
    conn: &Connection,
    queue: &str,
    prefetch: u16,
) -> anyhow::Result<(Channel, Consumer)> {
    let ch = conn.create_channel().await?;
    // ANCHOR: qos_consume
    ch.basic_qos(prefetch, BasicQosOptions::default()).await?;
    let consumer = ch
        .basic_consume(
            queue,
            "",
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .with_context(|| format!("consuming from {queue}"))?;
    // ANCHOR_END: qos_consume
    Ok((ch, consumer))
}

async fn fill(ch: &Channel, queue: &str, n: usize) -> anyhow::Result<()> {
    for i in 0..n {
        support::publish(
            ch,
            "",
            queue,
            i.to_string().as_bytes(),
            false,
            BasicProperties::default(),
        )
        .await?;
    }
    Ok(())
}

// ANCHOR: round_robin
/// `consumers` consumers on one queue, `messages` published after all of
/// them subscribed. Returns the message numbers each consumer received.
pub async fn round_robin(
    url: &str,
    consumers: usize,
    messages: usize,
) -> anyhow::Result<Vec<Vec<usize>>> {
    let conn = support::connect(url).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let q = queue(&ch, "work").await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for id in 0..consumers {
        let (_ch, mut stream) = consumer(&conn, &q, 10).await?;
        let tx = tx.clone();
        tokio::spawn(async move {
            let _keep = _ch;
            while let Some(Ok(d)) = stream.next().await {
                let n: usize = String::from_utf8_lossy(&d.data)
                    .parse()
                    .unwrap_or(usize::MAX);
                let _ = d.acker.ack(BasicAckOptions::default()).await;
                let _ = tx.send((id, n));
            }
        });
    }
    fill(&ch, &q, messages).await?;
    let mut got = vec![Vec::new(); consumers];
    for _ in 0..messages {
        let (id, n) = tokio::time::timeout(PATIENCE, rx.recv())
            .await?
            .context("consumers stopped")?;
        got[id].push(n);
    }
    conn.close(200, "done").await.ok();
    Ok(got)
}
// ANCHOR_END: round_robin

/// How many messages a fast and a slow consumer each handled, and when
/// each finished its last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub prefetch: u16,
    pub fast: usize,
    pub slow: usize,
    /// Since the first publish, until the fast consumer acked its last message.
    pub fast_done: Duration,
    /// Since the first publish, until the slow consumer acked its last message.
    pub slow_done: Duration,
}

// ANCHOR: prefetch
/// A fast consumer and a slow one (`slow_ms` per message) share `messages`,
/// each allowed `prefetch` unacknowledged messages at a time.
pub async fn prefetch_split(
    url: &str,
    prefetch: u16,
    messages: usize,
    slow_ms: u64,
) -> anyhow::Result<Split> {
    let conn = support::connect(url).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let q = queue(&ch, "prefetch").await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for (slow, pause) in [(false, 0), (true, slow_ms)] {
        let (_ch, mut stream) = consumer(&conn, &q, prefetch).await?;
        let tx = tx.clone();
        tokio::spawn(async move {
            let _keep = _ch;
            while let Some(Ok(d)) = stream.next().await {
                tokio::time::sleep(Duration::from_millis(pause)).await; // the "work"
                let _ = d.acker.ack(BasicAckOptions::default()).await;
                let _ = tx.send(slow);
            }
        });
    }
    let start = std::time::Instant::now();
    fill(&ch, &q, messages).await?;
    let mut split = Split {
        prefetch,
        fast: 0,
        slow: 0,
        fast_done: Duration::ZERO,
        slow_done: Duration::ZERO,
    };
    for _ in 0..messages {
        match tokio::time::timeout(PATIENCE, rx.recv())
            .await?
            .context("consumers stopped")?
        {
            true => (split.slow, split.slow_done) = (split.slow + 1, start.elapsed()),
            false => (split.fast, split.fast_done) = (split.fast + 1, start.elapsed()),
        }
    }
    conn.close(200, "done").await.ok();
    Ok(split)
}
// ANCHOR_END: prefetch

/// What came back after each kind of answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fates {
    /// Bodies delivered a second time, with their `redelivered` flag.
    pub came_back: Vec<(String, bool)>,
    /// Messages left in the queue after that.
    pub left: u32,
}

// ANCHOR: answers
/// Four messages answered four ways: ack, nack with requeue, nack without,
/// reject without requeue. Only the requeued one comes back.
pub async fn answers(url: &str) -> anyhow::Result<Fates> {
    let conn = support::connect(url).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let q = queue(&ch, "answers").await?;
    for body in ["ack", "nack-requeue", "nack-drop", "reject-drop"] {
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
    let (_c, mut stream) = consumer(&conn, &q, 10).await?;
    let mut came_back = Vec::new();
    for _ in 0..5 {
        let d = tokio::time::timeout(PATIENCE, stream.next())
            .await?
            .context("consumer ended")??;
        let body = String::from_utf8_lossy(&d.data).into_owned();
        if d.redelivered {
            came_back.push((body, d.redelivered));
            d.acker.ack(BasicAckOptions::default()).await?;
            continue;
        }
        match body.as_str() {
            // ANCHOR: ack_nack
            "ack" => d.acker.ack(BasicAckOptions::default()).await?,
            "nack-requeue" => {
                d.acker
                    .nack(BasicNackOptions {
                        requeue: true,
                        multiple: false,
                    })
                    .await?
            }
            // ANCHOR_END: ack_nack
            "nack-drop" => {
                d.acker
                    .nack(BasicNackOptions {
                        requeue: false,
                        multiple: false,
                    })
                    .await?
            }
            _ => {
                d.acker
                    .reject(BasicRejectOptions { requeue: false })
                    .await?
            }
        };
    }
    let left = ch
        .queue_declare(
            &q,
            QueueDeclareOptions {
                passive: true,
                ..Default::default()
            },
            FieldTable::default(),
        )
        .await?
        .message_count();
    conn.close(200, "done").await.ok();
    Ok(Fates { came_back, left })
}
// ANCHOR_END: answers

/// A consumer that died holding messages, and what the next one got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crash {
    pub published: usize,
    /// Delivered to the first consumer, never acknowledged.
    pub held_unacked: usize,
    /// Delivered to the second consumer after the first's connection broke.
    pub redelivered: usize,
    /// How many of those carried the `redelivered` flag.
    pub flagged: usize,
}

// ANCHOR: crash
/// The first consumer's connection runs through labkit's proxy, which cuts
/// it while the consumer holds every message unacknowledged.
pub async fn consumer_crash(
    url: &str,
    broker: std::net::SocketAddr,
    messages: usize,
) -> anyhow::Result<Crash> {
    let conn = support::connect(url).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let q = queue(&ch, "crash").await?;
    fill(&ch, &q, messages).await?;

    let proxy = Proxy::start(broker).await.context("starting the proxy")?;
    let doomed = support::connect(&crate::via(url, proxy.addr())).await?;
    let (_c1, mut first) = consumer(&doomed, &q, messages as u16).await?;
    let mut held = 0;
    // ANCHOR: hold_then_die
    while held < messages {
        tokio::time::timeout(PATIENCE, first.next())
            .await?
            .context("consumer ended")??;
        held += 1; // received, never acknowledged
    }
    proxy.faults().cut_all(); // the consumer's process "dies"
    // ANCHOR_END: hold_then_die

    let (_c2, mut second) = consumer(&conn, &q, messages as u16).await?;
    let (mut redelivered, mut flagged) = (0, 0);
    while redelivered < messages {
        let d = tokio::time::timeout(PATIENCE, second.next())
            .await?
            .context("consumer ended")??;
        redelivered += 1;
        flagged += usize::from(d.redelivered);
        d.acker.ack(BasicAckOptions::default()).await?;
    }
    conn.close(200, "done").await.ok();
    Ok(Crash {
        published: messages,
        held_unacked: held,
        redelivered,
        flagged,
    })
}
// ANCHOR_END: crash

/// The scenario, on the lab's shared broker.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let shared = lab.broker().await?;
    let (url, broker) = (shared.url(), shared.addr());
    let mut report = Report::new(crate::LAB, "consumers");
    let rr = round_robin(url, 3, 9).await?;
    let mut t = Table::new(
        "Three competing consumers, nine messages",
        &["consumer", "messages received"],
    );
    for (i, got) in rr.iter().enumerate() {
        t.row([format!("#{}", i + 1), format!("{got:?}")]);
    }
    report.table(t);
    let mut t = Table::new(
        "A fast and a slow (100 ms) consumer share 40 messages",
        &[
            "prefetch",
            "fast consumer",
            "slow consumer",
            "fast done after",
            "slow done after",
        ],
    );
    for p in [1, 100] {
        let s = prefetch_split(url, p, 40, 100).await?;
        t.row([
            p.to_string(),
            s.fast.to_string(),
            s.slow.to_string(),
            format!("{:.2} s", s.fast_done.as_secs_f64()),
            format!("{:.2} s", s.slow_done.as_secs_f64()),
        ]);
    }
    report.table(t);
    let f = answers(url).await?;
    let mut t = Table::new(
        "ack, nack, reject",
        &["delivered again", "left in the queue"],
    );
    t.row([format!("{:?}", f.came_back), f.left.to_string()]);
    report.table(t);
    let c = consumer_crash(url, broker, 20).await?;
    let mut t = Table::new(
        "A consumer dies holding unacknowledged messages",
        &[
            "published",
            "held unacked",
            "delivered again",
            "flagged redelivered",
        ],
    );
    t.row([c.published, c.held_unacked, c.redelivered, c.flagged]);
    report.table(t);
    Ok(report)
}
