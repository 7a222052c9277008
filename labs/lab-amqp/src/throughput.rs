//! What safety costs: publish rates for transient against persistent
//! messages, no confirms against confirms, and a classic against a quorum
//! queue — measured side by side in one run and reported as ratios. A
//! benchmark, run on request; no test times it.
//!
//! Each variant publishes the same number of 1 KiB messages to a fresh
//! queue and the clock stops when the broker reports them all in the queue
//! (so fire-and-forget is not credited for bytes still in a socket buffer).

use std::time::{Duration, Instant};

use anyhow::bail;
use labkit::cli::Scenario;
use labkit::measure::{Rounds, fmt_ratio, human_count};
use labkit::report::{BarChart, Report, Table};
use lapin::options::{BasicPublishOptions, QueueDeclareOptions};
use lapin::types::FieldTable;

use crate::Lab;
use crate::support::{self, table, text};

/// The benchmark, run only as `cargo run -p lab-amqp -- throughput`.
pub const SCENARIO: Scenario = Scenario::benchmark(
    "throughput",
    "persistent vs transient, confirms vs none, classic vs quorum",
    "the ratios between the rows",
);

/// One variant of the benchmark.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    pub label: &'static str,
    pub persistent: bool,
    pub confirms: bool,
    pub quorum: bool,
}

/// The variants, the cheapest first.
pub const VARIANTS: [Variant; 4] = [
    Variant {
        label: "transient, classic, no confirms",
        persistent: false,
        confirms: false,
        quorum: false,
    },
    Variant {
        label: "persistent, classic, no confirms",
        persistent: true,
        confirms: false,
        quorum: false,
    },
    Variant {
        label: "persistent, classic, confirms",
        persistent: true,
        confirms: true,
        quorum: false,
    },
    Variant {
        label: "persistent, quorum, confirms",
        persistent: true,
        confirms: true,
        quorum: true,
    },
];

/// Messages per second for one variant.
pub async fn rate(url: &str, v: Variant, n: u32) -> anyhow::Result<f64> {
    let conn = support::connect(url).await?;
    let ch = if v.confirms {
        support::confirmed_channel(&conn).await?
    } else {
        conn.create_channel().await?
    };
    let q = support::unique("bench");
    let args = if v.quorum {
        table([("x-queue-type", text("quorum"))])
    } else {
        FieldTable::default()
    };
    ch.queue_declare(
        &q,
        QueueDeclareOptions {
            durable: true,
            ..Default::default()
        },
        args,
    )
    .await?;
    let body = vec![b'x'; 1024];
    let props = if v.persistent {
        support::persistent()
    } else {
        support::transient()
    };
    let start = Instant::now();
    for _ in 0..n {
        // Confirms are collected at the end, not awaited one by one.
        ch.basic_publish("", &q, BasicPublishOptions::default(), &body, props.clone())
            .await?;
    }
    if v.confirms {
        ch.wait_for_confirms().await?;
    }
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    loop {
        let depth = ch
            .queue_declare(&q, passive, FieldTable::default())
            .await?
            .message_count();
        if depth >= n {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            bail!("only {depth} of {n} messages reached the queue in 120 s");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let secs = start.elapsed().as_secs_f64();
    ch.queue_delete(&q, Default::default()).await?;
    conn.close(200, "done").await.ok();
    Ok(f64::from(n) / secs)
}

/// The scenario: three rounds, the variants interleaved in each (so a
/// busy moment on the machine hurts all of them alike); the median is kept.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let url = lab.broker().await?.url();
    let n = 10_000;
    let mut rounds = Rounds::new();
    for _round in 0..3 {
        let mut round = [0.0; VARIANTS.len()];
        for (rate_of, v) in round.iter_mut().zip(VARIANTS) {
            *rate_of = rate(url, v, n).await?;
        }
        rounds.push(round);
    }
    let rates = rounds.medians().expect("three rounds ran");
    let base = rates[0];
    let mut t = Table::new(
        format!("{n} messages of 1 KiB, one publisher, median of 3 interleaved rounds"),
        &["variant", "messages/s", "against the first"],
    );
    for (v, r) in VARIANTS.iter().zip(&rates) {
        t.row([v.label.to_string(), human_count(*r), fmt_ratio(r / base)]);
    }
    t.note("one run on this machine; ratios, not absolute numbers, are the lesson");
    if cfg!(debug_assertions) {
        // In a debug build the publisher, not the broker, sets the pace.
        t.note("a debug build: the client is the bottleneck; run `cargo run --release -p lab-amqp -- throughput`");
    }
    let chart = BarChart::new("Publish rate by safety level", "messages/s")
        .categories(VARIANTS.iter().map(|v| v.label))
        .series("messages/s", rates.iter().copied())
        .to_svg();
    let mut report = Report::new(crate::LAB, "throughput");
    report.table(t).chart("rates", chart);
    Ok(report)
}
