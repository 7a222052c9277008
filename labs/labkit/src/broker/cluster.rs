//! A cluster of private brokers: N nodes of the installed program on one
//! machine, each with its own ports and data directory, joined into one
//! cluster, and every node stoppable, killable, pausable and restartable.
//!
//! A cluster is built from the same parts as one private broker (see
//! `private.rs`): every node is a private [`Broker`] with its own watchdog,
//! so it can be stopped (SIGTERM), killed (SIGKILL), paused (SIGSTOP) and
//! resumed (SIGCONT) and started again on its own ports and data, and it
//! never outlives the process that started it. What the nodes share — for
//! RabbitMQ an epmd, the name server through which Erlang nodes find each
//! other — runs as one more process group under a watchdog of its own.
//! Dropping the [`Cluster`] ends every node (in parallel) and then the
//! shared helpers, and removes every directory; if the process dies first,
//! the watchdogs do the same.
//!
//! The shape, for each kind that can cluster:
//!
//! | part | where | what it does |
//! |---|---|---|
//! | [`Cluster`], [`Node`] | here | the handle: nodes by index, faults by index, teardown |
//! | [`ClusterRecipe`] | here | what a kind must say to cluster |
//! | `cluster/rabbitmq.rs` | one file per kind | shared helpers, each node's options, the membership check |
//! | `cluster/nats.rs` | | routes to the first node, JetStream's meta leader elected |
//!
//! A kind that clusters implements [`ClusterRecipe`] in `cluster/<kind>.rs`
//! and adds one line to [`recipe_for`]. Its seed nodes start first, then
//! all the others in parallel (a RabbitMQ node boots in 2–5 s of CPU), and
//! [`cluster`] returns only when the recipe has checked that every node
//! sees every other as a member.
//!
//! A production cluster puts its nodes on separate machines (or at least
//! separate disks and power), so that one failure takes one node; here
//! they share one machine, one disk and two cores, which is enough to
//! watch replication, leader election and quorum, not to measure a real
//! cluster's capacity.

mod nats;
mod rabbitmq;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use super::private::free_ports;
use super::process::{Group, Watchdog, tail};
use super::recipe::Launch;
use super::{Broker, BrokerError, Kind, Lookup, Options};

/// What a cluster node is told besides the reader's options: its name and
/// what it shares with the other nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Seat {
    /// The node's name in the cluster (`rabbit1@localhost`).
    pub node: String,
    /// The port of the cluster's shared epmd (RabbitMQ).
    pub epmd_port: u16,
    /// A secret every node of this cluster shares (Erlang's cookie).
    pub cookie: String,
}

/// What a kind of broker must say to run as a cluster.
pub(crate) trait ClusterRecipe: Sync {
    /// How many ports the shared helpers need.
    fn shared_ports(&self) -> usize;

    /// How many nodes start first, before the rest start together (those
    /// that form the cluster the others join); by default none, all at once.
    fn seeds(&self) -> usize {
        0
    }

    /// The processes every node relies on, started first in one group of
    /// their own (empty when nodes need nothing shared).
    fn shared(&self, ports: &[u16], lookup: &Lookup) -> Vec<Launch>;

    /// Node `i` (0-based) of `n`: its name and its options, which are the
    /// reader's `base` plus whatever joins it to the others.
    fn node(
        &self,
        ports: &[u16],
        secret: &str,
        i: usize,
        n: usize,
        base: &Options,
    ) -> (String, Options);

    /// Blocking: check that the started nodes formed one cluster; the
    /// error says what they formed instead.
    fn check_formed(&self, ports: &[u16], nodes: &[Node], lookup: &Lookup) -> Result<(), String>;
}

/// The cluster recipe of a kind, if it can cluster.
fn recipe_for(kind: Kind) -> Option<&'static dyn ClusterRecipe> {
    match kind {
        Kind::RabbitMq => Some(&rabbitmq::RabbitMqCluster),
        Kind::Nats => Some(&nats::NatsCluster),
        _ => None,
    }
}

/// One node of a [`Cluster`]: its name in the cluster and its broker.
#[derive(Debug)]
pub struct Node {
    name: String,
    broker: Broker,
}

impl Node {
    /// The node's name as the cluster knows it (`rabbit1@localhost`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The node's broker: URL, pid, data directory, log, and its own
    /// stop / start / kill / pause / resume.
    pub fn broker(&self) -> &Broker {
        &self.broker
    }

    /// The same, for stopping or starting it.
    pub fn broker_mut(&mut self) -> &mut Broker {
        &mut self.broker
    }

    /// The URL a client library takes to reach this node.
    pub fn url(&self) -> &str {
        self.broker.url()
    }
}

/// The helper processes a cluster's nodes share, under a watchdog of their
/// own that removes their directory.
#[derive(Debug)]
struct Shared {
    group: Option<Group>,
    watchdog: Option<Watchdog>,
    dir: PathBuf,
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(mut group) = self.group.take() {
            group.end(Signal::SIGTERM, Duration::from_millis(500));
        }
        if let Some(mut w) = self.watchdog.take() {
            w.unwatch();
            let _ = std::fs::remove_dir_all(&self.dir);
            w.disarm();
        }
    }
}

/// A running cluster of private brokers. Nodes are numbered from 0 in the
/// order they were named; every fault method takes that index.
#[derive(Debug)]
pub struct Cluster {
    kind: Kind,
    // Nodes drop before the helpers they rely on (see `Drop`).
    nodes: Vec<Node>,
    shared: Option<Shared>,
    started_in: Duration,
}

/// Start a cluster of `n` private nodes of `kind`, each with `options`, in
/// parallel, and return once they have formed one cluster.
///
/// ```no_run
/// # async fn demo() -> Result<(), labkit::broker::BrokerError> {
/// use labkit::broker::{self, Kind, Options};
/// let mut cluster = broker::cluster(Kind::RabbitMq, 3, Options::new()).await?;
/// println!("{} nodes in {:?}", cluster.len(), cluster.started_in());
/// cluster.kill(0).await?; // SIGKILL the first node
/// cluster.start(0).await?; // and bring it back on the same data
/// # Ok(()) }
/// ```
pub async fn cluster(kind: Kind, n: usize, options: Options) -> Result<Cluster, BrokerError> {
    let recipe = recipe_for(kind).ok_or_else(|| {
        BrokerError::BadOption(format!(
            "labkit cannot run {kind} as a cluster yet; RabbitMQ and NATS can"
        ))
    })?;
    if n == 0 {
        return Err(BrokerError::BadOption(
            "a cluster needs at least one node".into(),
        ));
    }
    let began = Instant::now();
    let lookup = Lookup::from_process();
    let ports = free_ports(recipe.shared_ports())
        .map_err(|e| BrokerError::io("finding free ports on 127.0.0.1", e))?;
    let shared = start_shared(kind, recipe.shared(&ports, &lookup)).await?;
    let secret = secret();

    let mut started: Vec<Option<Node>> = (0..n).map(|_| None).collect();
    let mut first_error = None;
    let seeds = recipe.seeds().min(n);
    for wave in [0..seeds, seeds..n] {
        let mut tasks = tokio::task::JoinSet::new();
        for i in wave {
            let (name, node_options) = recipe.node(&ports, &secret, i, n, &options);
            tasks.spawn(async move {
                let broker = super::private(kind, node_options).await;
                (i, name, broker)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok((i, name, Ok(broker))) => started[i] = Some(Node { name, broker }),
                Ok((_, _, Err(e))) => {
                    first_error.get_or_insert(e);
                }
                Err(e) => {
                    first_error.get_or_insert(BrokerError::io(
                        "starting a cluster node",
                        std::io::Error::other(e),
                    ));
                }
            }
        }
        if first_error.is_some() {
            break;
        }
    }
    let nodes: Vec<Node> = started.into_iter().flatten().collect();
    let mut cluster = Cluster {
        kind,
        nodes,
        shared: Some(shared),
        started_in: Duration::ZERO,
    };
    if let Some(e) = first_error {
        return Err(e); // `cluster` drops: the nodes that did start end
    }
    let checked = {
        let nodes = std::mem::take(&mut cluster.nodes);
        let ports = ports.clone();
        let (nodes, outcome) = tokio::task::spawn_blocking(move || {
            let outcome = recipe.check_formed(&ports, &nodes, &lookup);
            (nodes, outcome)
        })
        .await
        .map_err(|e| BrokerError::io("checking the cluster", std::io::Error::other(e)))?;
        cluster.nodes = nodes;
        outcome
    };
    if let Err(why) = checked {
        return Err(BrokerError::io(
            format!("forming a {kind} cluster of {n}"),
            std::io::Error::other(why),
        ));
    }
    cluster.started_in = began.elapsed();
    Ok(cluster)
}

/// Start the shared helpers in their own watched group and directory.
async fn start_shared(kind: Kind, launches: Vec<Launch>) -> Result<Shared, BrokerError> {
    let prefix = format!("labkit-{}-cluster-", kind.program());
    tokio::task::spawn_blocking(move || {
        let mut watchdog = Watchdog::with_new_dir(&prefix)
            .map_err(|e| BrokerError::io("creating the cluster's directory", e))?;
        let dir = watchdog.dir().to_path_buf();
        let log = dir.join("shared.log");
        let mut shared = Shared {
            group: None,
            watchdog: None,
            dir: dir.clone(),
        };
        if !launches.is_empty() {
            match Group::spawn_watched(launches, &log, &mut watchdog) {
                Ok(group) => shared.group = Some(group),
                Err(e) => {
                    watchdog.unwatch();
                    let _ = std::fs::remove_dir_all(&dir);
                    return Err(BrokerError::io(
                        format!("starting the cluster's helpers ({})", tail(&log, 5).trim()),
                        e,
                    ));
                }
            }
        }
        shared.watchdog = Some(watchdog);
        Ok(shared)
    })
    .await
    .map_err(|e| BrokerError::io("starting the cluster's helpers", std::io::Error::other(e)))?
}

/// A secret nobody else uses; the nodes are only reachable on loopback.
fn secret() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("LABKITCLUSTER{}X{nanos}", std::process::id())
}

impl Cluster {
    /// Which kind of broker the nodes run.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// How many nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Never true for a cluster that started.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// How long starting and joining the nodes took.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// Every node, in order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Node `i`. Panics if there is no such node, like indexing.
    pub fn node(&self, i: usize) -> &Node {
        &self.nodes[i]
    }

    /// Node `i`, to stop or start it.
    pub fn node_mut(&mut self, i: usize) -> &mut Node {
        &mut self.nodes[i]
    }

    /// The index of the node called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// The URL of every node, in order.
    pub fn urls(&self) -> Vec<String> {
        self.nodes.iter().map(|n| n.url().to_owned()).collect()
    }

    /// Shut node `i` down cleanly; its data stays for [`Cluster::start`].
    pub async fn stop(&mut self, i: usize) -> Result<(), BrokerError> {
        self.nodes[i].broker.stop().await
    }

    /// Start node `i` again on its ports and data; wait until it answers.
    pub async fn start(&mut self, i: usize) -> Result<(), BrokerError> {
        self.nodes[i].broker.start().await
    }

    /// SIGKILL every process of node `i`: a crash.
    pub async fn kill(&mut self, i: usize) -> Result<(), BrokerError> {
        self.nodes[i].broker.kill().await
    }

    /// SIGSTOP node `i`: it holds its connections and answers nothing.
    pub async fn pause(&mut self, i: usize) -> Result<(), BrokerError> {
        self.nodes[i].broker.pause().await
    }

    /// SIGCONT node `i` after [`Cluster::pause`].
    pub async fn resume(&mut self, i: usize) -> Result<(), BrokerError> {
        self.nodes[i].broker.resume().await
    }

    /// The directory of the shared helpers (their log is `shared.log`).
    pub fn shared_dir(&self) -> Option<&Path> {
        self.shared.as_ref().map(|s| s.dir.as_path())
    }
}

impl Drop for Cluster {
    /// End every node at once (each takes up to a few seconds), then the
    /// helpers they shared.
    fn drop(&mut self) {
        let nodes = std::mem::take(&mut self.nodes);
        std::thread::scope(|scope| {
            for node in nodes {
                scope.spawn(move || drop(node));
            }
        });
        drop(self.shared.take());
    }
}
