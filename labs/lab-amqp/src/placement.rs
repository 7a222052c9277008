//! Where a queue lives in a cluster: a classic queue is one Erlang process
//! on one node; a quorum queue is a Raft group with a member on every node,
//! one of them the leader. Read from `rabbitmqctl list_queues`, not assumed.
//!
//! The declaring connection decides the home: RabbitMQ 3.10 puts a classic
//! queue, and a quorum queue's first leader, on the node the client is
//! connected to (`queue_leader_locator = client-local`, the default).

use anyhow::Context;
use labkit::broker::Cluster;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;

use crate::support::{self, table, text};
use crate::{Lab, admin};

/// The scenario, as `cargo run -p lab-amqp -- placement` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "placement",
    "where a classic and a quorum queue live in a three-node cluster (private cluster)",
    "the classic queue has one node; the quorum queue has a leader and two followers",
);

/// Where one queue lives, as the broker reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub queue: String,
    /// `classic` or `quorum`.
    pub kind: String,
    /// The node of the queue's process (classic) or leader (quorum).
    pub leader: String,
    /// Every node holding a copy; a classic queue has just its own.
    pub members: Vec<String>,
    /// The members that are up right now.
    pub online: Vec<String>,
}

/// The nodes that list `queue` among their own (`list_queues --local`):
/// for a classic queue, the one node whose process holds it. (The `pid`
/// column would not say: the CLI prints it without the node's name.)
fn home_nodes(cluster: &Cluster, queue: &str) -> anyhow::Result<Vec<String>> {
    let mut homes = Vec::new();
    for node in cluster.nodes() {
        let out = admin::rabbitmqctl(
            node.broker(),
            &["list_queues", "name", "--local", "--formatter", "json"],
        )?;
        let rows: Vec<serde_json::Value> =
            serde_json::from_str(&out).context("rabbitmqctl list_queues printed no JSON")?;
        if rows.iter().any(|r| r["name"] == queue) {
            homes.push(node.name().to_owned());
        }
    }
    Ok(homes)
}

fn names(v: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

// ANCHOR: read
/// Asks node `via` where `queue` lives: `rabbitmqctl list_queues` with the
/// columns that name nodes.
pub fn placement(cluster: &Cluster, via: usize, queue: &str) -> anyhow::Result<Placement> {
    let out = admin::rabbitmqctl(
        cluster.node(via).broker(),
        &[
            "list_queues",
            "name",
            "type",
            "pid",
            "leader",
            "members",
            "online",
            "--formatter",
            "json",
        ],
    )?;
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&out).context("rabbitmqctl list_queues printed no JSON")?;
    let row = rows
        .iter()
        .find(|r| r["name"] == queue)
        .with_context(|| format!("queue {queue} is not listed"))?;
    let kind = row["type"].as_str().unwrap_or("?").to_owned();
    let (leader, members) = match row["leader"].as_str() {
        Some(leader) if kind == "quorum" => (leader.to_owned(), names(&row["members"])),
        _ => {
            let homes = home_nodes(cluster, queue)?;
            (homes.first().cloned().unwrap_or_default(), homes)
        }
    };
    let online = match kind.as_str() {
        "quorum" => names(&row["online"]),
        _ => members.clone(),
    };
    Ok(Placement {
        queue: queue.to_owned(),
        kind,
        leader,
        members,
        online,
    })
}
// ANCHOR_END: read

// ANCHOR: declare
/// Declares a durable queue through node `via`'s connection: quorum if
/// asked, classic otherwise.
pub async fn declare(
    cluster: &Cluster,
    via: usize,
    prefix: &str,
    quorum: bool,
) -> anyhow::Result<String> {
    let conn = support::connect(cluster.node(via).url()).await?;
    let ch = conn.create_channel().await?;
    let name = support::unique(prefix);
    let args = match quorum {
        true => table([("x-queue-type", text("quorum"))]),
        false => FieldTable::default(),
    };
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.queue_declare(&name, durable, args).await?;
    conn.close(200, "declared").await.ok();
    Ok(name)
}
// ANCHOR_END: declare

/// Declares a classic and a quorum queue through node 2 and reads where
/// each lives.
pub async fn both(cluster: &Cluster) -> anyhow::Result<(Placement, Placement)> {
    let classic = declare(cluster, 1, "classic", false).await?;
    let quorum = declare(cluster, 1, "quorum", true).await?;
    Ok((
        placement(cluster, 0, &classic)?,
        placement(cluster, 0, &quorum)?,
    ))
}

/// Short node names for the report: `rabbit2@localhost` → `rabbit2`.
pub fn short(node: &str) -> &str {
    node.split('@').next().unwrap_or(node)
}

/// The scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let cluster = lab.cluster().await?;
    let (classic, quorum) = both(&cluster).await?;
    let mut t = Table::new(
        "Two queues declared through rabbit2, as rabbitmqctl on rabbit1 lists them",
        &["type", "leader (or home)", "members", "online"],
    );
    for p in [&classic, &quorum] {
        let list = |v: &[String]| v.iter().map(|n| short(n)).collect::<Vec<_>>().join(" ");
        t.row([
            p.kind.clone(),
            short(&p.leader).to_owned(),
            list(&p.members),
            list(&p.online),
        ]);
    }
    t.note("a classic queue is one process on one node; a quorum queue is a Raft group");
    let mut report = Report::new(crate::LAB, "placement");
    report.table(t);
    Ok(report)
}
