//! Durability, measured across a real restart of a private RabbitMQ: every
//! combination of durable or transient exchange, durable or transient queue
//! and persistent or transient message, declared side by side under distinct
//! names, then ONE restart, then each checked — did the exchange, the queue,
//! the binding and the message come back? Then publisher confirms against a
//! crash (SIGKILL): every confirmed message survives; unconfirmed ones may not.

use anyhow::Context;
use labkit::broker::{Broker, Options};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use lapin::options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection, ExchangeKind};

use crate::{Lab, support};

/// The scenario, as `cargo run -p lab-amqp -- durability` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "durability",
    "the durable/transient matrix across a real restart; confirms against a crash (private broker)",
    "the message survives in a durable queue even when its exchange does not",
);

/// One cell of the matrix: what was declared, and what came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Combo {
    pub durable_exchange: bool,
    pub durable_queue: bool,
    pub persistent_message: bool,
    /// After the restart:
    pub exchange_back: bool,
    pub queue_back: bool,
    pub message_back: bool,
    /// A new publish through the exchange reached the queue.
    pub binding_back: bool,
}

/// All eight combinations, in a fixed order.
pub fn matrix() -> Vec<(bool, bool, bool)> {
    let mut all = Vec::new();
    for e in [true, false] {
        for q in [true, false] {
            for m in [true, false] {
                all.push((e, q, m));
            }
        }
    }
    all
}

fn names(run: &str, (e, q, m): (bool, bool, bool)) -> (String, String) {
    let tag = |b: bool, y: &str, n: &str| if b { y.to_string() } else { n.to_string() };
    let suffix = format!(
        "{}-{}-{}",
        tag(e, "dx", "tx"),
        tag(q, "dq", "tq"),
        tag(m, "pm", "tm")
    );
    (format!("{run}.ex.{suffix}"), format!("{run}.q.{suffix}"))
}

// ANCHOR: declare
async fn declare_all(conn: &Connection, run: &str) -> anyhow::Result<()> {
    let ch = support::confirmed_channel(conn).await?;
    for combo @ (e, q, m) in matrix() {
        let (ex, queue) = names(run, combo);
        // ANCHOR: durable_flags
        let durable_ex = ExchangeDeclareOptions {
            durable: e,
            ..Default::default()
        };
        ch.exchange_declare(&ex, ExchangeKind::Direct, durable_ex, FieldTable::default())
            .await?;
        let durable_q = QueueDeclareOptions {
            durable: q,
            ..Default::default()
        };
        ch.queue_declare(&queue, durable_q, FieldTable::default())
            .await?;
        // ANCHOR_END: durable_flags
        ch.queue_bind(
            &queue,
            &ex,
            "k",
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
        let props = if m {
            support::persistent()
        } else {
            support::transient()
        };
        support::publish(&ch, &ex, "k", b"before the restart", false, props).await?;
    }
    Ok(())
}
// ANCHOR_END: declare

/// Whether the exchange came back: a passive declare, 404 if it did not.
async fn exists_exchange(conn: &Connection, name: &str) -> anyhow::Result<bool> {
    let passive = ExchangeDeclareOptions {
        passive: true,
        ..Default::default()
    };
    let answer = support::ask_passively(conn, name, |ch| async move {
        ch.exchange_declare(name, ExchangeKind::Direct, passive, FieldTable::default())
            .await
    })
    .await?;
    Ok(answer.is_some())
}

async fn check_all(conn: &Connection, run: &str) -> anyhow::Result<Vec<Combo>> {
    let mut out = Vec::new();
    for combo @ (e, q, m) in matrix() {
        let (ex, queue) = names(run, combo);
        let exchange_back = exists_exchange(conn, &ex).await?;
        let depth = support::queue_depth(conn, &queue).await?;
        let mut binding_back = false;
        if exchange_back && depth.is_some() {
            let ch = support::confirmed_channel(conn).await?;
            binding_back =
                support::publish(&ch, &ex, "k", b"after", true, BasicProperties::default()).await?;
        }
        out.push(Combo {
            durable_exchange: e,
            durable_queue: q,
            persistent_message: m,
            exchange_back,
            queue_back: depth.is_some(),
            message_back: depth.unwrap_or(0) > 0,
            binding_back,
        });
    }
    Ok(out)
}

// ANCHOR: matrix
/// Declares the eight combinations, restarts the broker once, checks each.
pub async fn across_restart(broker: &mut Broker) -> anyhow::Result<Vec<Combo>> {
    let run = support::unique("dur");
    let conn = support::connect(broker.url()).await?;
    declare_all(&conn, &run).await?;
    conn.close(200, "restarting").await.ok();
    broker
        .restart()
        .await
        .context("restarting the private RabbitMQ")?;
    let conn = support::connect(broker.url()).await?;
    let combos = check_all(&conn, &run).await?;
    conn.close(200, "done").await.ok();
    Ok(combos)
}
// ANCHOR_END: matrix

/// Persistent messages into a durable queue, then a crash (SIGKILL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrashCount {
    /// Published and confirmed by the broker before the crash.
    pub confirmed: u32,
    /// Published without waiting for confirms, right before the crash.
    pub unconfirmed_sent: u32,
    /// In the confirmed queue after the broker came back.
    pub confirmed_survived: u32,
    /// In the fire-and-forget queue after the broker came back.
    pub unconfirmed_survived: u32,
}

// ANCHOR: confirms
/// `n` persistent messages with confirms (every one awaited), then `n`
/// fire-and-forget, then SIGKILL at once; count both queues after a start.
pub async fn confirms_across_crash(broker: &mut Broker, n: u32) -> anyhow::Result<CrashCount> {
    let (with, without) = (support::unique("confirmed"), support::unique("unconfirmed"));
    let conn = support::connect(broker.url()).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let plain = conn.create_channel().await?; // no confirm.select on this one
    for q in [&with, &without] {
        let durable = QueueDeclareOptions {
            durable: true,
            ..Default::default()
        };
        ch.queue_declare(q, durable, FieldTable::default()).await?;
    }
    let mut confirmed = 0;
    for i in 0..n {
        let body = format!("job {i}");
        if support::publish(
            &ch,
            "",
            &with,
            body.as_bytes(),
            false,
            support::persistent(),
        )
        .await?
        {
            confirmed += 1;
        }
    }
    for i in 0..n {
        let body = format!("job {i}");
        plain
            .basic_publish(
                "",
                &without,
                Default::default(),
                body.as_bytes(),
                support::persistent(),
            )
            .await?; // handed to the socket; the broker has said nothing
    }
    broker
        .kill()
        .await
        .context("killing the private RabbitMQ")?;
    drop(conn);
    broker
        .start()
        .await
        .context("starting the private RabbitMQ again")?;
    let conn = support::connect(broker.url()).await?;
    let count = CrashCount {
        confirmed,
        unconfirmed_sent: n,
        confirmed_survived: support::queue_depth(&conn, &with).await?.unwrap_or(0),
        unconfirmed_survived: support::queue_depth(&conn, &without).await?.unwrap_or(0),
    };
    conn.close(200, "done").await.ok();
    Ok(count)
}
// ANCHOR_END: confirms

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "—" }
}

/// The scenario: always a private broker, since it is restarted and killed.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let mut private = lab.private_broker(Options::new()).await?;
    let broker = &mut private;
    let combos = across_restart(broker).await?;
    let mut t = Table::new(
        "After one restart of the broker",
        &[
            "exchange",
            "queue",
            "message",
            "exchange back",
            "queue back",
            "binding back",
            "message back",
        ],
    );
    for c in &combos {
        t.row([
            if c.durable_exchange {
                "durable"
            } else {
                "transient"
            },
            if c.durable_queue {
                "durable"
            } else {
                "transient"
            },
            if c.persistent_message {
                "persistent"
            } else {
                "transient"
            },
            yes(c.exchange_back),
            yes(c.queue_back),
            yes(c.binding_back),
            yes(c.message_back),
        ]);
    }
    let c = confirms_across_crash(broker, 5000).await?;
    let mut t2 = Table::new(
        "Persistent messages, then SIGKILL",
        &[
            "publisher",
            "sent",
            "broker confirmed",
            "in the queue after the crash",
        ],
    );
    t2.row([
        "with confirms, each awaited".to_string(),
        c.confirmed.to_string(),
        c.confirmed.to_string(),
        c.confirmed_survived.to_string(),
    ]);
    t2.row([
        "fire and forget".to_string(),
        c.unconfirmed_sent.to_string(),
        "(not asked)".into(),
        c.unconfirmed_survived.to_string(),
    ]);
    let mut report = Report::new(crate::LAB, "durability");
    report.table(t).table(t2);
    Ok(report)
}
