//! The leader dies: a publisher with confirms keeps publishing to a quorum
//! queue while the node holding its leader is SIGKILLed. The two followers
//! elect a new leader, the publisher's confirms resume, and every message
//! the broker confirmed is still in the queue.
//!
//! The publisher is connected to a follower's node, so its connection
//! survives the kill; it sends one message at a time and waits for the
//! confirm. When a confirm does not come within [`PATIENCE`], it sends the
//! same message again — the only safe thing to do, and the reason a quorum
//! queue can hold a message twice: the first copy may have been committed
//! with its confirm lost or late. A real publisher would give each message
//! an id (`message_id`) and let consumers drop what they have seen.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use labkit::broker::Cluster;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use lapin::Channel;
use lapin::options::BasicPublishOptions;
use lapin::publisher_confirm::Confirmation;

use crate::placement::{self, short};
use crate::{Lab, support};

/// The scenario, as `cargo run -p lab-amqp -- failover` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "failover",
    "SIGKILL a quorum queue's leader under confirmed publishing (private cluster)",
    "a new leader; every confirmed message still there; retries may duplicate",
);

/// How long the publisher waits for a confirm before sending again.
pub const PATIENCE: Duration = Duration::from_secs(2);

/// What one failover run measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failover {
    pub old_leader: String,
    pub new_leader: String,
    /// Messages the publisher had confirmed (each id once).
    pub confirmed: u32,
    /// Sends that were repeats of an unconfirmed message.
    pub resent: u32,
    /// Confirmed ids found in the queue afterwards.
    pub kept: u32,
    /// Confirmed ids missing from the queue (the claim: zero).
    pub lost: u32,
    /// Extra copies found (an id read twice counts once here).
    pub duplicated: u32,
    /// The longest wait between two confirms from the kill on: the
    /// publisher's view of the time the queue had no leader.
    pub without_leader: Duration,
}

// ANCHOR: publish
/// Sends `body` until the broker confirms it; returns how many extra
/// sends that took. A nack or a silent broker both mean "send again".
pub async fn publish_until_confirmed(
    ch: &Channel,
    queue: &str,
    body: &[u8],
) -> anyhow::Result<u32> {
    for resent in 0..60 {
        let props = support::persistent();
        let sent = ch
            .basic_publish("", queue, BasicPublishOptions::default(), body, props)
            .await
            .context("publishing")?;
        match tokio::time::timeout(PATIENCE, sent).await {
            Ok(Ok(Confirmation::Ack(_))) => return Ok(resent),
            Ok(Ok(_)) | Err(_) => continue, // nacked, or no answer yet
            Ok(Err(e)) => return Err(e).context("the channel closed"),
        }
    }
    bail!("no confirm for {queue} after 60 sends")
}
// ANCHOR_END: publish

/// Publishes `n` messages `m0`, `m1`, ... through `url`, counting confirms
/// in `progress`; returns the confirm times and the number of resends.
async fn publisher(
    url: String,
    queue: String,
    n: u32,
    progress: Arc<AtomicU32>,
) -> anyhow::Result<(Vec<Instant>, u32)> {
    let conn = support::connect(&url).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let (mut times, mut resent) = (Vec::new(), 0);
    for i in 0..n {
        resent += publish_until_confirmed(&ch, &queue, format!("m{i}").as_bytes()).await?;
        times.push(Instant::now());
        progress.fetch_add(1, Ordering::Relaxed);
    }
    conn.close(200, "done").await.ok();
    Ok((times, resent))
}

/// Counts of each body in a queue, read empty through `url`.
pub async fn count_bodies(url: &str, queue: &str) -> anyhow::Result<BTreeMap<String, u32>> {
    let conn = support::connect(url).await?;
    let ch = conn.create_channel().await?;
    let mut counts = BTreeMap::new();
    for body in support::drain(&ch, queue).await? {
        *counts.entry(body).or_insert(0) += 1;
    }
    conn.close(200, "done").await.ok();
    Ok(counts)
}

// ANCHOR: failover
/// Publishes `n` confirmed messages to a fresh quorum queue and SIGKILLs
/// its leader's node a third of the way through; then counts. The killed
/// node is started again before this returns.
pub async fn leader_killed(cluster: &mut Cluster, n: u32) -> anyhow::Result<Failover> {
    let queue = placement::declare(cluster, 0, "failover", true).await?;
    let old_leader = placement::placement(cluster, 0, &queue)?.leader;
    let victim = cluster
        .index_of(&old_leader)
        .context("the leader is not a node")?;
    let survivor = (victim + 1) % cluster.len(); // the publisher's node
    let progress = Arc::new(AtomicU32::new(0));
    let url = cluster.node(survivor).url().to_owned();
    let task = tokio::spawn(publisher(url.clone(), queue.clone(), n, progress.clone()));
    while progress.load(Ordering::Relaxed) < n / 3 && !task.is_finished() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let killed_at = Instant::now();
    cluster.kill(victim).await?;
    let (times, resent) = task.await??;
    let new_leader = placement::placement(cluster, survivor, &queue)?.leader;
    let counts = count_bodies(&url, &queue).await?;
    cluster.start(victim).await?;
    // ANCHOR_END: failover
    let kept = (0..n)
        .filter(|i| counts.contains_key(&format!("m{i}")))
        .count() as u32;
    // The longest wait between confirms from the kill on: the stall.
    let mut last = killed_at;
    let mut without_leader = Duration::ZERO;
    for t in times.iter().filter(|t| **t > killed_at) {
        without_leader = without_leader.max(*t - last);
        last = *t;
    }
    Ok(Failover {
        old_leader,
        new_leader,
        confirmed: times.len() as u32,
        resent,
        kept,
        lost: n - kept,
        duplicated: counts.values().map(|c| c - 1).sum(),
        without_leader,
    })
}

/// The scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let mut cluster = lab.cluster().await?;
    let n = 3000;
    let f = leader_killed(&mut cluster, n).await?;
    let mut t = Table::new(
        format!("{n} messages, one at a time with confirms; the leader's node SIGKILLed"),
        &["measured", "value"],
    );
    t.row([
        "leader before → after",
        &format!("{} → {}", short(&f.old_leader), short(&f.new_leader)),
    ]);
    t.row(["confirmed", &f.confirmed.to_string()]);
    t.row(["confirmed and kept", &f.kept.to_string()]);
    t.row(["confirmed and lost", &f.lost.to_string()]);
    t.row(["sent again (no confirm in 2 s)", &f.resent.to_string()]);
    t.row(["duplicates in the queue", &f.duplicated.to_string()]);
    t.row([
        "longest wait for a confirm after the kill",
        &format!("{} ms", f.without_leader.as_millis()),
    ]);
    t.note("a duplicate is a resend whose first copy was committed; dedupe by message id");
    let mut report = Report::new(crate::LAB, "failover");
    report.table(t);
    Ok(report)
}
