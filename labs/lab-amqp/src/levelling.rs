//! Load levelling: a producer bursts far faster than its consumer can work;
//! the queue absorbs the burst and the consumer drains it at its own pace.
//! The queue's depth is sampled while it happens and drawn as a chart.

use std::time::{Duration, Instant};

use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{LineChart, Report, Table};
use lapin::BasicProperties;
use lapin::options::{BasicAckOptions, BasicConsumeOptions, BasicQosOptions, QueueDeclareOptions};
use lapin::types::FieldTable;

use crate::{Lab, support};

/// The scenario, as `cargo run -p lab-amqp -- levelling` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "levelling",
    "a burst absorbed by a queue and drained at the consumer's pace (chart)",
    "the peak depth, and the steady slope down",
);

/// What the run saw.
#[derive(Debug, Clone)]
pub struct Levelling {
    pub burst: usize,
    /// How long publishing the burst took.
    pub publish_time: Duration,
    /// Messages the consumer processed, in order received.
    pub consumed: usize,
    /// (seconds since the burst began, messages ready in the queue); the
    /// time is taken when the question is sent, so a sample timed after
    /// `publish_time` counted a queue that held the whole burst already.
    pub depth: Vec<(f64, u32)>,
}

impl Levelling {
    /// The deepest the queue got.
    pub fn peak(&self) -> u32 {
        self.depth.iter().map(|d| d.1).max().unwrap_or(0)
    }
}

// ANCHOR: level
/// Publishes `burst` messages as fast as confirms allow while one consumer
/// (prefetch 1) spends `work_ms` on each; samples the depth every 50 ms.
pub async fn level(url: &str, burst: usize, work_ms: u64) -> anyhow::Result<Levelling> {
    let conn = support::connect(url).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let q = support::unique("burst");
    ch.queue_declare(&q, QueueDeclareOptions::default(), FieldTable::default())
        .await?;

    let worker = conn.create_channel().await?;
    worker.basic_qos(1, BasicQosOptions::default()).await?;
    let mut stream = worker
        .basic_consume(
            &q,
            "",
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    let consumer = tokio::spawn(async move {
        let mut done = 0;
        while done < burst {
            let Some(Ok(d)) = stream.next().await else {
                break;
            };
            tokio::time::sleep(Duration::from_millis(work_ms)).await; // the slow work
            let _ = d.acker.ack(BasicAckOptions::default()).await;
            done += 1;
        }
        done
    });

    let start = Instant::now();
    let probe = conn.create_channel().await?;
    let sampler = {
        let q = q.clone();
        tokio::spawn(async move {
            let mut depth = Vec::new();
            let passive = QueueDeclareOptions {
                passive: true,
                ..Default::default()
            };
            loop {
                let asked = start.elapsed().as_secs_f64();
                let Ok(info) = probe
                    .queue_declare(&q, passive, FieldTable::default())
                    .await
                else {
                    break;
                };
                depth.push((asked, info.message_count()));
                if start.elapsed() > Duration::from_millis(300) && info.message_count() == 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            depth
        })
    };
    for i in 0..burst {
        support::publish(
            &ch,
            "",
            &q,
            format!("email {i}").as_bytes(),
            false,
            BasicProperties::default(),
        )
        .await?;
    }
    let publish_time = start.elapsed();
    let consumed = consumer.await?;
    let depth = sampler.await?;
    conn.close(200, "done").await.ok();
    Ok(Levelling {
        burst,
        publish_time,
        consumed,
        depth,
    })
}
// ANCHOR_END: level

/// The depth over time as an SVG line chart.
pub fn chart(l: &Levelling) -> String {
    LineChart::new(
        "A burst absorbed by the queue",
        "seconds since the burst began",
        "messages waiting",
    )
    .series(
        "queue depth",
        l.depth.iter().map(|(t, d)| (*t, f64::from(*d))),
    )
    .to_svg()
}

/// The scenario, on the lab's shared broker.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let l = level(lab.broker().await?.url(), 300, 10).await?;
    let mut t = Table::new(
        "A burst of 300 against a consumer doing 10 ms of work each",
        &["measure", "value"],
    );
    t.row([
        "burst published in".to_string(),
        labkit::measure::human_duration(l.publish_time),
    ]);
    t.row(["peak queue depth".to_string(), l.peak().to_string()]);
    t.row(["consumed".to_string(), l.consumed.to_string()]);
    let last = l.depth.last().map(|d| d.0).unwrap_or_default();
    t.row([
        "queue empty again after".to_string(),
        format!("{last:.2} s"),
    ]);
    let mut report = Report::new(crate::LAB, "levelling");
    report.table(t).chart("depth", chart(&l));
    Ok(report)
}
