//! A minority cannot write: with two of three nodes stopped, the one left
//! holds a quorum queue's data but cannot commit anything, because Raft
//! commits an entry only once a majority (two of three) has it. The client
//! sees no error — its publish is simply never confirmed — and when one
//! node returns, the same publish is confirmed without being sent again.
//!
//! A real publisher bounds that wait (here [`WAIT`]) and treats a missing
//! confirm as "not yet known", never as "lost": it may still be committed.

use std::time::{Duration, Instant};

use anyhow::bail;
use labkit::broker::Cluster;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use lapin::options::BasicPublishOptions;
use lapin::publisher_confirm::Confirmation;

use crate::failover::count_bodies;
use crate::placement::{self, short};
use crate::{Lab, support};

/// The scenario, as `cargo run -p lab-amqp -- minority` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "minority",
    "stop two of three nodes: a quorum queue stops confirming until one returns (private cluster)",
    "no error and no confirm while alone; the same publish is confirmed once a majority is back",
);

/// How long the lone node is given to confirm.
pub const WAIT: Duration = Duration::from_secs(5);

/// What the client saw with one node of three.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minority {
    pub alone: String,
    /// The confirm of a publish made while alone, within [`WAIT`].
    pub confirmed_alone: bool,
    /// Whether the channel stayed open while waiting.
    pub channel_open: bool,
    /// The same publish, once a second node was back.
    pub confirmed_after: bool,
    /// From the second node answering to that confirm.
    pub after_restore: Duration,
    /// Messages in the queue at the end (one before, one during).
    pub in_queue: u32,
}

// ANCHOR: minority
/// Declares a quorum queue on node 0, confirms one message, stops the two
/// other nodes, publishes again and waits; then starts one node and waits
/// for the same confirm. Both nodes run again when this returns.
pub async fn two_of_three_stopped(cluster: &mut Cluster) -> anyhow::Result<Minority> {
    let queue = placement::declare(cluster, 0, "minority", true).await?;
    let conn = support::connect(cluster.node(0).url()).await?;
    let ch = support::confirmed_channel(&conn).await?;
    support::publish(&ch, "", &queue, b"before", false, support::persistent()).await?;
    cluster.stop(1).await?;
    cluster.stop(2).await?;
    let pending = ch
        .basic_publish(
            "",
            &queue,
            BasicPublishOptions::default(),
            b"alone",
            support::persistent(),
        )
        .await?;
    let mut pending = Box::pin(pending);
    let confirmed_alone = tokio::time::timeout(WAIT, &mut pending).await.is_ok();
    let channel_open = ch.status().connected();
    cluster.start(1).await?;
    let back = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(60), pending).await;
    let after_restore = back.elapsed();
    let confirmed_after = matches!(answer, Ok(Ok(Confirmation::Ack(_))));
    cluster.start(2).await?;
    // ANCHOR_END: minority
    conn.close(200, "done").await.ok();
    let counts = count_bodies(cluster.node(0).url(), &queue).await?;
    Ok(Minority {
        alone: cluster.node(0).name().to_owned(),
        confirmed_alone,
        channel_open,
        confirmed_after,
        after_restore,
        in_queue: counts.values().sum(),
    })
}

/// The scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let mut cluster = lab.cluster().await?;
    let m = two_of_three_stopped(&mut cluster).await?;
    if !m.confirmed_after {
        bail!("the publish was never confirmed after a node returned");
    }
    let mut t = Table::new(
        format!(
            "A quorum queue; {} left alone, then one node started",
            short(&m.alone)
        ),
        &["moment", "what the publisher saw"],
    );
    let alone = match (m.confirmed_alone, m.channel_open) {
        (true, _) => "confirmed (unexpected)".to_string(),
        (false, true) => format!("no confirm in {} s, no error, channel open", WAIT.as_secs()),
        (false, false) => "no confirm; the channel closed".to_string(),
    };
    t.row(["1 node of 3", alone.as_str()]);
    let after = format!(
        "the same publish confirmed {} ms after",
        m.after_restore.as_millis()
    );
    t.row(["2 nodes of 3", after.as_str()]);
    t.row(["messages in the queue", &m.in_queue.to_string()]);
    t.note("no resend was needed: the lone node kept the entry until it could commit it");
    let mut report = Report::new(crate::LAB, "minority");
    report.table(t);
    Ok(report)
}
