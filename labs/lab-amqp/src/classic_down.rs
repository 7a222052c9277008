//! A classic queue's node dies: the queue lives in one process on one
//! node, so while that node is down no other node can serve it — declaring
//! it is refused with 404 — and when the node comes back only what was on
//! its disk comes back: persistent messages, not transient ones.
//!
//! RabbitMQ used to offer mirrored classic queues for this; they are
//! deprecated in favour of quorum queues, which the `failover` scenario
//! shows surviving the same kill.

use anyhow::Context;
use labkit::broker::Cluster;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;

use crate::failover::count_bodies;
use crate::placement::{self, short};
use crate::{Lab, support};

/// The scenario, as `cargo run -p lab-amqp -- classic-down` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "classic-down",
    "SIGKILL the node of a classic queue: unavailable, then transient messages gone (private cluster)",
    "the queue is refused while its node is down; only persistent messages return",
);

/// What the kill did to a classic queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassicDown {
    pub home: String,
    /// Confirmed before the kill, of each kind.
    pub persistent_sent: u32,
    pub transient_sent: u32,
    /// What a passive declare on another node answered while it was down.
    pub while_down: String,
    /// Whether that declare succeeded (the claim: it does not).
    pub available_while_down: bool,
    /// Found after the node came back.
    pub persistent_back: u32,
    pub transient_back: u32,
}

// ANCHOR: classic
/// Fills a durable classic queue on node `home` with `n` persistent and `n`
/// transient confirmed messages, SIGKILLs that node, asks another node for
/// the queue, starts the node again and counts what came back.
pub async fn home_node_killed(
    cluster: &mut Cluster,
    home: usize,
    n: u32,
) -> anyhow::Result<ClassicDown> {
    let queue = placement::declare(cluster, home, "classic-down", false).await?;
    let home_name = placement::placement(cluster, home, &queue)?.leader;
    let conn = support::connect(cluster.node(home).url()).await?;
    let ch = support::confirmed_channel(&conn).await?;
    for i in 0..n {
        support::publish(
            &ch,
            "",
            &queue,
            format!("p{i}").as_bytes(),
            false,
            support::persistent(),
        )
        .await?;
        support::publish(
            &ch,
            "",
            &queue,
            format!("t{i}").as_bytes(),
            false,
            support::transient(),
        )
        .await?;
    }
    cluster.kill(home).await?;
    let other = (home + 1) % cluster.len();
    let conn = support::connect(cluster.node(other).url()).await?;
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    let asked = conn
        .create_channel()
        .await?
        .queue_declare(&queue, passive, FieldTable::default())
        .await;
    let (available_while_down, while_down) = match asked {
        Ok(q) => (true, format!("declare-ok, {} messages", q.message_count())),
        Err(e) => (false, e.to_string()),
    };
    cluster
        .start(home)
        .await
        .context("starting the queue's node again")?;
    let counts = count_bodies(cluster.node(home).url(), &queue).await?;
    // ANCHOR_END: classic
    let back = |p: char| counts.keys().filter(|b| b.starts_with(p)).count() as u32;
    Ok(ClassicDown {
        home: home_name,
        persistent_sent: n,
        transient_sent: n,
        while_down,
        available_while_down,
        persistent_back: back('p'),
        transient_back: back('t'),
    })
}

/// The scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let mut cluster = lab.cluster().await?;
    let home = cluster.len() - 1;
    let d = home_node_killed(&mut cluster, home, 500).await?;
    let mut t = Table::new(
        format!(
            "A durable classic queue on {}; that node SIGKILLed, then started",
            short(&d.home)
        ),
        &[
            "messages (confirmed before the kill)",
            "sent",
            "back after the restart",
        ],
    );
    t.row([
        "persistent".to_string(),
        d.persistent_sent.to_string(),
        d.persistent_back.to_string(),
    ]);
    t.row([
        "transient".to_string(),
        d.transient_sent.to_string(),
        d.transient_back.to_string(),
    ]);
    t.note(format!(
        "while it was down, another node answered: {}",
        d.while_down
    ));
    let mut report = Report::new(crate::LAB, "classic-down");
    report.table(t);
    Ok(report)
}
