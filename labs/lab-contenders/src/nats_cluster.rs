//! Scenario `nats-cluster`: a stream replicated over three JetStream
//! servers loses its leader to SIGKILL while publishers wait for
//! acknowledgements; the two other servers elect a new leader and every
//! acknowledged publish is still in the stream.
//!
//! The cluster is three private `nats-server`s joined by routes (labkit's
//! cluster recipe). The stream has three replicas: its leader takes the
//! publishes and acknowledges one once a majority of the replicas (two of
//! three) has stored it. The publishers are connected to the other two
//! servers, so their connections survive the kill. Each publish carries a
//! `Nats-Msg-Id`; one that gets no acknowledgement in time is sent again
//! with the same id, and the stream drops the copy if the first one was
//! stored after all. Who leads is read from the stream's info
//! (`$JS.API.STREAM.INFO`), the meta leader from the monitoring endpoint
//! `/jsz`: neither is assumed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use async_nats::HeaderMap;
use async_nats::jetstream::context::PublishErrorKind;
use async_nats::jetstream::{self, Context, stream};
use labkit::broker::{self, Cluster, Kind, Options};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::nats_client::connect;
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- nats-cluster` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "nats-cluster",
    "JetStream cluster: SIGKILL an R3 stream's leader mid-publish (private cluster)",
    "a new leader is elected; every acknowledged publish is still in the stream",
);

/// Publishers running at once, each on a connection of its own.
pub const PUBLISHERS: u32 = 3;
/// Charges each publisher sends, one at a time.
pub const PER_PUBLISHER: u32 = 300;
/// How long a publisher waits for an acknowledgement before sending the
/// same charge again.
pub const PATIENCE: Duration = Duration::from_secs(2);
/// How long a publisher keeps trying one charge before giving up.
const GIVE_UP: Duration = Duration::from_secs(60);

/// The stream the scenario replicates.
pub const STREAM: &str = "PAYMENTS";

/// Starts a private three-node JetStream cluster, each node with an HTTP
/// monitoring port (`/jsz` names the meta leader).
pub async fn three_nodes() -> anyhow::Result<Cluster> {
    let options = Options::new()
        .port("monitor")
        .config_line("http: \"127.0.0.1:{port:monitor}\"");
    match broker::cluster(Kind::Nats, 3, options.clone()).await {
        Ok(cluster) => Ok(cluster),
        // Ports are picked free and then handed to the servers; on a busy
        // machine another process can take one in between. Once more.
        Err(_) => Ok(broker::cluster(Kind::Nats, 3, options).await?),
    }
}

// ANCHOR: stream
/// The stream: every `payments.>` subject, on disk, on three servers.
pub fn replicated_stream() -> stream::Config {
    stream::Config {
        name: STREAM.into(),
        subjects: vec!["payments.>".into()],
        storage: stream::StorageType::File,
        num_replicas: 3,
        ..Default::default()
    }
}
// ANCHOR_END: stream

/// Where the stream lives: its leader and the other replicas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub leader: String,
    /// The other replicas, by server name, sorted.
    pub followers: Vec<String>,
    /// Followers the leader reports as current (caught up).
    pub current: Vec<String>,
}

/// What one failover run counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failover {
    /// How long the three servers took to route and elect a meta leader.
    pub formed_in: Duration,
    pub meta_leader_before: String,
    pub meta_leader_after: String,
    pub before: Placement,
    pub new_leader: String,
    /// Charges the publishers meant to send.
    pub charges: u32,
    /// Charges acknowledged (each id counted once).
    pub acknowledged: u32,
    /// Acknowledgements marked `duplicate`: a charge sent again whose first
    /// copy had been stored after all.
    pub duplicate_acks: u32,
    /// Sends repeated because no acknowledgement came within [`PATIENCE`].
    pub retried_after_timeout: u32,
    /// Sends repeated because the publish failed at once (no stream
    /// answering while there was no leader).
    pub retried_after_error: u32,
    /// What the first refused publish said.
    pub refusal: Option<String>,
    /// Messages in the stream afterwards.
    pub stored: u64,
    /// Acknowledged ids found in the stream.
    pub kept: u32,
    /// Acknowledged ids missing from the stream (the claim: zero).
    pub lost: u32,
    /// Messages beyond the first with the same `Nats-Msg-Id`.
    pub duplicates: u32,
    /// The longest wait between two acknowledgements from the kill on.
    pub without_leader: Duration,
    /// Where the stream lives once the killed server is back.
    pub after_restart: Placement,
    /// From starting the killed server again to its being a current follower.
    pub back_in: Duration,
    /// How long each step of the run took, for the curious (never asserted).
    pub steps: Vec<(&'static str, Duration)>,
}

/// Tries `step` until it succeeds, for at most 30 s: right after the
/// cluster forms, and while a leader is being elected, JetStream's API
/// answers with errors or not at all.
async fn patiently<T, E, F, Fut>(what: &str, mut step: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
    E: std::fmt::Display,
{
    let began = Instant::now();
    loop {
        match step().await {
            Ok(t) => return Ok(t),
            Err(e) if began.elapsed() > Duration::from_secs(30) => {
                anyhow::bail!("{what}: still failing after 30 s: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Reads the stream's placement through `js`, retrying while the stream
/// has no leader (an election is going on) or the request fails.
async fn placement(js: &Context) -> anyhow::Result<Placement> {
    let began = Instant::now();
    loop {
        if let Ok(mut s) = js.get_stream(STREAM).await
            && let Ok(info) = s.info().await
            && let Some(cluster) = &info.cluster
            && let Some(leader) = &cluster.leader
        {
            let mut followers: Vec<String> =
                cluster.replicas.iter().map(|p| p.name.clone()).collect();
            let mut current: Vec<String> = cluster
                .replicas
                .iter()
                .filter(|p| p.current && !p.offline)
                .map(|p| p.name.clone())
                .collect();
            followers.sort();
            current.sort();
            return Ok(Placement {
                leader: leader.clone(),
                followers,
                current,
            });
        }
        if began.elapsed() > Duration::from_secs(30) {
            anyhow::bail!("the stream {STREAM} has had no leader for 30 s");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The meta leader, as node `i`'s monitoring endpoint names it, once it
/// names one other than `gone` (a server just killed, which the others
/// take a few seconds to give up on).
async fn meta_leader(cluster: &Cluster, i: usize, gone: Option<&str>) -> anyhow::Result<String> {
    let port = cluster
        .node(i)
        .broker()
        .extra_port("monitor")
        .context("the node has no monitoring port")?;
    let began = Instant::now();
    loop {
        let jsz: serde_json::Value = reqwest::get(format!("http://127.0.0.1:{port}/jsz"))
            .await?
            .json()
            .await?;
        if let Some(leader) = jsz["meta_cluster"]["leader"].as_str()
            && !leader.is_empty()
            && Some(leader) != gone
        {
            return Ok(leader.to_owned());
        }
        if began.elapsed() > Duration::from_secs(30) {
            anyhow::bail!("no meta leader for 30 s: {jsz}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Named steps and how long each took.
struct Steps {
    list: Vec<(&'static str, Duration)>,
    last: Instant,
}

impl Steps {
    fn new() -> Steps {
        Steps {
            list: Vec::new(),
            last: Instant::now(),
        }
    }

    fn done(&mut self, what: &'static str) {
        self.list.push((what, self.last.elapsed()));
        self.last = Instant::now();
    }
}

/// How one charge went.
#[derive(Debug, Default)]
struct Sent {
    duplicate: bool,
    timeouts: u32,
    errors: u32,
    refusal: Option<String>,
}

// ANCHOR: publish
/// Publishes one charge under `id` until the stream acknowledges it. No
/// answer within [`PATIENCE`] or a refusal both mean "send it again, with
/// the same id": the stream drops the copy if the first one was stored.
async fn publish_until_acked(js: &Context, id: &str, body: &str) -> anyhow::Result<Sent> {
    let mut sent = Sent::default();
    let began = Instant::now();
    while began.elapsed() < GIVE_UP {
        let mut headers = HeaderMap::new();
        headers.insert("Nats-Msg-Id", id);
        let ack = match js
            .publish_with_headers("payments.charge", headers, body.to_owned().into())
            .await
        {
            Ok(pending) => tokio::time::timeout(PATIENCE, pending.into_future()).await,
            Err(_) => Ok(Err(PublishErrorKind::BrokenPipe.into())),
        };
        match ack {
            Ok(Ok(ack)) => {
                sent.duplicate = ack.duplicate;
                return Ok(sent);
            }
            Ok(Err(e)) if e.kind() == PublishErrorKind::TimedOut => sent.timeouts += 1,
            Err(_) => sent.timeouts += 1,
            Ok(Err(e)) => {
                // Refused at once (no leader to take it): pause, then again.
                sent.errors += 1;
                sent.refusal.get_or_insert(e.to_string());
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    anyhow::bail!("no acknowledgement for {id} in {} s", GIVE_UP.as_secs())
}
// ANCHOR_END: publish

/// What one publisher did.
#[derive(Debug, Default)]
struct Tally {
    acked_at: Vec<Instant>,
    duplicate_acks: u32,
    timeouts: u32,
    errors: u32,
    refusal: Option<String>,
}

/// Publisher `p`: [`PER_PUBLISHER`] charges `p{p}-{n}` through `url`.
async fn publisher(url: String, p: u32, progress: Arc<AtomicU32>) -> anyhow::Result<Tally> {
    let client = connect(&url).await?;
    let js = jetstream::ContextBuilder::new()
        .timeout(PATIENCE)
        .build(client.clone());
    let mut tally = Tally::default();
    for n in 0..PER_PUBLISHER {
        let id = format!("p{p}-{n:04}");
        let sent = publish_until_acked(&js, &id, &format!("{id}: 1250 EUR")).await?;
        tally.acked_at.push(Instant::now());
        tally.duplicate_acks += u32::from(sent.duplicate);
        tally.timeouts += sent.timeouts;
        tally.errors += sent.errors;
        if tally.refusal.is_none() {
            tally.refusal = sent.refusal;
        }
        progress.fetch_add(1, Ordering::Relaxed);
    }
    client.drain().await.ok();
    Ok(tally)
}

/// Every `Nats-Msg-Id` in the stream, with how many messages carry it,
/// read message by message from the stream leader
/// (`$JS.API.STREAM.MSG.GET`). A consumer would do too, but creating one
/// needs the meta leader to place it, possibly on the server just killed.
async fn ids_in_stream(js: &Context) -> anyhow::Result<(u64, BTreeMap<String, u32>)> {
    let mut stream = js.get_stream(STREAM).await?;
    let state = stream.info().await?.state.clone();
    let mut ids = BTreeMap::new();
    for sequence in state.first_sequence..=state.last_sequence {
        let m = stream.get_raw_message(sequence).await?;
        let id = m
            .headers
            .get("Nats-Msg-Id")
            .map(|v| v.as_str().to_owned())
            .unwrap_or_default();
        *ids.entry(id).or_insert(0) += 1;
    }
    Ok((state.messages, ids))
}

// ANCHOR: failover
/// Creates the R3 stream, starts the publishers on the servers that do
/// not lead it, SIGKILLs the leader's server a third of the way through,
/// then counts what the stream holds. The killed server is started again
/// and caught up before this returns.
pub async fn leader_killed(cluster: &mut Cluster) -> anyhow::Result<Failover> {
    let mut steps = Steps::new();
    let js = jetstream::new(connect(cluster.node(0).url()).await?);
    patiently("creating the stream", || {
        js.create_stream(replicated_stream())
    })
    .await?;
    let before = settled(&js).await?;
    let meta_leader_before = meta_leader(cluster, 0, None).await?;
    steps.done("stream created, followers current");
    let victim = cluster
        .index_of(&before.leader)
        .context("the stream's leader is not one of the nodes")?;
    let survivors: Vec<usize> = (0..cluster.len()).filter(|i| *i != victim).collect();

    let progress = Arc::new(AtomicU32::new(0));
    let mut publishers = Vec::new();
    for p in 0..PUBLISHERS {
        let url = cluster.node(survivors[p as usize % 2]).url().to_owned();
        publishers.push(tokio::spawn(publisher(url, p, progress.clone())));
    }
    let charges = PUBLISHERS * PER_PUBLISHER;
    while progress.load(Ordering::Relaxed) < charges / 3
        && !publishers.iter().any(|p| p.is_finished())
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    steps.done("a third published");
    let killed_at = Instant::now();
    cluster.kill(victim).await?; // SIGKILL, mid-publish
    let mut tallies = Vec::new();
    for p in publishers {
        tallies.push(p.await??);
    }
    steps.done("the rest published");
    let js = jetstream::new(connect(cluster.node(survivors[0]).url()).await?);
    let new_leader = placement(&js).await?.leader;
    let meta_leader_after = meta_leader(cluster, survivors[0], Some(&before.leader)).await?;
    steps.done("leaders read");
    let (stored, ids) = patiently("reading the stream", || ids_in_stream(&js)).await?;
    steps.done("stream read");
    // ANCHOR_END: failover

    let restarted_at = Instant::now();
    cluster.start(victim).await?;
    let after_restart = caught_up(&js, &before.leader).await?;
    let back_in = restarted_at.elapsed();

    let acked_ids: BTreeSet<String> = (0..PUBLISHERS)
        .flat_map(|p| (0..PER_PUBLISHER).map(move |n| format!("p{p}-{n:04}")))
        .collect();
    let kept = acked_ids.iter().filter(|id| ids.contains_key(*id)).count() as u32;
    let mut times: Vec<Instant> = tallies.iter().flat_map(|t| t.acked_at.clone()).collect();
    times.sort();
    let mut last = killed_at;
    let mut without_leader = Duration::ZERO;
    for t in times.iter().filter(|t| **t > killed_at) {
        without_leader = without_leader.max(*t - last);
        last = *t;
    }
    Ok(Failover {
        formed_in: cluster.started_in(),
        meta_leader_before,
        meta_leader_after,
        before,
        new_leader,
        charges,
        acknowledged: times.len() as u32,
        duplicate_acks: tallies.iter().map(|t| t.duplicate_acks).sum(),
        retried_after_timeout: tallies.iter().map(|t| t.timeouts).sum(),
        retried_after_error: tallies.iter().map(|t| t.errors).sum(),
        refusal: tallies.iter().find_map(|t| t.refusal.clone()),
        stored,
        kept,
        lost: acked_ids.len() as u32 - kept,
        duplicates: ids.values().map(|c| c - 1).sum(),
        without_leader,
        after_restart,
        back_in,
        steps: steps.list,
    })
}

/// Waits (at most 30 s) until the leader reports every follower current,
/// and returns the placement it then reports.
async fn settled(js: &Context) -> anyhow::Result<Placement> {
    let began = Instant::now();
    loop {
        let p = placement(js).await?;
        if p.current == p.followers || began.elapsed() > Duration::from_secs(30) {
            return Ok(p); // the caller's checks say what is missing
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits (at most 30 s) until the leader reports `server` as a current
/// replica again, and returns the placement it then reports.
async fn caught_up(js: &Context, server: &str) -> anyhow::Result<Placement> {
    let began = Instant::now();
    loop {
        let p = placement(js).await?;
        if p.leader == server || p.current.iter().any(|c| c == server) {
            return Ok(p);
        }
        if began.elapsed() > Duration::from_secs(30) {
            return Ok(p); // the caller's checks say what is missing
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The `nats-cluster` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut cluster = three_nodes().await?;
    let f = leader_killed(&mut cluster).await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut t = Table::new(
        format!(
            "{} charges from {PUBLISHERS} publishers, each acknowledged; \
             the stream leader SIGKILLed",
            PUBLISHERS * PER_PUBLISHER
        ),
        &["measured", "value"],
    );
    t.row([
        "cluster formed (3 servers, routes, meta leader)".to_string(),
        format!("{} ms", f.formed_in.as_millis()),
    ]);
    t.row([
        "meta leader before → after".to_string(),
        format!("{} → {}", f.meta_leader_before, f.meta_leader_after),
    ]);
    t.row([
        "stream leader before → after".to_string(),
        format!("{} → {}", f.before.leader, f.new_leader),
    ]);
    t.row([
        "followers before the kill".to_string(),
        f.before.followers.join(", "),
    ]);
    t.row([
        "charges acknowledged".to_string(),
        f.acknowledged.to_string(),
    ]);
    t.row([
        "acknowledged and in the stream".to_string(),
        f.kept.to_string(),
    ]);
    t.row(["acknowledged and lost".to_string(), f.lost.to_string()]);
    t.row([
        "sent again: no ack within 2 s".to_string(),
        f.retried_after_timeout.to_string(),
    ]);
    t.row([
        "sent again: refused (no leader)".to_string(),
        f.retried_after_error.to_string(),
    ]);
    t.row([
        "acks marked duplicate".to_string(),
        f.duplicate_acks.to_string(),
    ]);
    t.row(["messages in the stream".to_string(), f.stored.to_string()]);
    t.row([
        "duplicates in the stream".to_string(),
        f.duplicates.to_string(),
    ]);
    t.row([
        "longest wait for an ack after the kill".to_string(),
        format!("{} ms", f.without_leader.as_millis()),
    ]);
    t.row([
        format!("{} restarted: leader, current followers", f.before.leader),
        format!(
            "{}; {}",
            f.after_restart.leader,
            f.after_restart.current.join(", ")
        ),
    ]);
    if let Some(why) = &f.refusal {
        t.note(format!("a refused publish said: {why}"));
    }
    t.row([
        "restart to current follower".to_string(),
        format!("{} ms", f.back_in.as_millis()),
    ]);
    t.note("a retry carries the first attempt's Nats-Msg-Id, so the stream keeps one copy");
    report.table(t);
    report.value("acknowledged", f.acknowledged);
    report.value("lost", f.lost);
    report.value("duplicates", f.duplicates);
    Ok(report)
}
