//! Scenario `nats-cluster`: a stream replicated on three JetStream servers
//! keeps every acknowledged publish when its leader is killed mid-publish.
//!
//! A stream with `num_replicas: 3` is a Raft group of three servers: one
//! leader takes the publishes, and it acknowledges a message only once a
//! majority (two of three) has stored it. The scenario starts a private
//! three-node cluster, publishes charges, SIGKILLs the stream's leader
//! while acknowledgements are still in flight, and keeps publishing: the
//! client reconnects to a surviving server, the survivors elect a new
//! leader, and a publish that got no answer is sent again with the same
//! `Nats-Msg-Id`, so a retry of a message that was in fact stored is
//! dropped as a duplicate. At the end, every acknowledged charge is looked
//! for in the stream. One machine and two cores stand in for three
//! machines: enough to watch the election, not to measure it.

use std::collections::BTreeSet;
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream::{self, consumer, context::Context, stream};
use futures::StreamExt;
use labkit::broker::{self, Kind, Options};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::nats_client::within_10s;
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- nats-cluster` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "nats-cluster",
    "A JetStream R3 stream: the leader SIGKILLed mid-publish, every acknowledged charge kept",
    "a publish is acknowledged once two of three servers stored it",
);

/// Charges published in all.
pub const CHARGES: usize = 200;
/// The leader is killed once this many are acknowledged.
pub const KILL_AFTER: usize = 80;
/// Publishes sent, unanswered, just before the kill.
pub const IN_FLIGHT: usize = 20;

/// What happened, counted.
#[derive(Debug, Clone)]
pub struct Failover {
    pub old_leader: String,
    pub new_leader: String,
    /// Charges whose publish was acknowledged (after retries).
    pub acknowledged: usize,
    /// Publishes that had to be sent again.
    pub retries: usize,
    /// Acknowledgements marked duplicate (a retry of a stored charge).
    pub duplicates: usize,
    /// Messages in the stream at the end, and distinct charge ids among them.
    pub stored: u64,
    pub distinct: usize,
    /// Acknowledged charges not found in the stream.
    pub lost: usize,
    /// How long the cluster took to start.
    pub started_in: Duration,
}

// ANCHOR: stream
/// The ledger stream, on three servers.
pub fn replicated() -> stream::Config {
    stream::Config {
        name: "LEDGER".into(),
        subjects: vec!["ledger.>".into()],
        num_replicas: 3,
        storage: stream::StorageType::File,
        ..Default::default()
    }
}
// ANCHOR_END: stream

/// The publish of charge `n`, with its id as `Nats-Msg-Id`.
fn headers(n: usize) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("Nats-Msg-Id", format!("ch-{n}").as_str());
    h
}

/// Sends charge `n` until it is acknowledged; (retries, duplicate).
async fn publish_until_acked(js: &Context, n: usize) -> anyhow::Result<(usize, bool)> {
    let mut retries = 0;
    loop {
        // ANCHOR: retry
        let sent = js.publish_with_headers("ledger.charge", headers(n), "1250 EUR".into());
        match async { sent.await?.await }.await {
            Ok(ack) => return Ok((retries, ack.duplicate)),
            Err(_) if retries < 60 => retries += 1, // no answer: send it again, same id
            Err(e) => anyhow::bail!("charge {n} never acknowledged: {e}"),
        }
        // ANCHOR_END: retry
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The leader's server name, once the stream has one.
async fn leader(js: &Context, not: Option<&str>) -> anyhow::Result<String> {
    for _ in 0..120 {
        if let Ok(mut s) = js.get_stream("LEDGER").await
            && let Ok(info) = s.info().await
            && let Some(leader) = info.cluster.as_ref().and_then(|c| c.leader.clone())
            && Some(leader.as_str()) != not
        {
            return Ok(leader);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    anyhow::bail!("the stream has no leader after 30 s")
}

/// Publishes [`CHARGES`], killing the leader after [`KILL_AFTER`].
pub async fn failover() -> anyhow::Result<Failover> {
    let mut cluster = broker::cluster(Kind::Nats, 3, Options::new()).await?;
    let servers = cluster
        .urls()
        .iter()
        .map(|u| u.parse())
        .collect::<Result<Vec<async_nats::ServerAddr>, _>>()?;
    let client = async_nats::ConnectOptions::new()
        .retry_on_initial_connect()
        .connect(servers)
        .await?;
    let mut js = jetstream::new(client);
    js.set_timeout(Duration::from_secs(1));
    // The servers elect a meta leader first, then tell it about their
    // JetStream one by one: until all three are known, an R3 stream has
    // "no suitable peers for placement". Ask again for a while.
    let mut tries = 0;
    while let Err(e) = js.create_stream(replicated()).await {
        tries += 1;
        let why = e.to_string();
        if tries > 60 || !(why.contains("placement") || why.contains("timed out")) {
            anyhow::bail!("creating the R3 stream: {e}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let old_leader = leader(&js, None).await?;

    let (mut acked, mut retries, mut duplicates) = (BTreeSet::new(), 0, 0);
    for n in 1..=KILL_AFTER {
        let (r, d) = publish_until_acked(&js, n).await?;
        acked.insert(n);
        (retries, duplicates) = (retries + r, duplicates + usize::from(d));
    }
    // ANCHOR: kill
    let mut in_flight = Vec::new();
    for n in KILL_AFTER + 1..=KILL_AFTER + IN_FLIGHT {
        in_flight.push((
            n,
            js.publish_with_headers("ledger.charge", headers(n), "1250 EUR".into())
                .await,
        ));
    }
    let victim = cluster
        .index_of(&old_leader)
        .ok_or_else(|| anyhow::anyhow!("no node {old_leader}"))?;
    cluster.kill(victim).await?; // SIGKILL: no goodbye to the others
    // ANCHOR_END: kill
    for (n, sent) in in_flight {
        let answered = match sent {
            Ok(ack) => ack.await.ok(),
            Err(_) => None,
        };
        let (r, d) = match answered {
            Some(ack) => (0, ack.duplicate),
            None => publish_until_acked(&js, n).await.map(|(r, d)| (r + 1, d))?,
        };
        acked.insert(n);
        (retries, duplicates) = (retries + r, duplicates + usize::from(d));
    }
    for n in KILL_AFTER + IN_FLIGHT + 1..=CHARGES {
        let (r, d) = publish_until_acked(&js, n).await?;
        acked.insert(n);
        (retries, duplicates) = (retries + r, duplicates + usize::from(d));
    }
    let new_leader = leader(&js, Some(&old_leader)).await?;

    // Read the whole stream back and look for every acknowledged charge.
    let mut stream = js.get_stream("LEDGER").await?;
    let stored = stream.info().await?.state.messages;
    let reader = stream
        .create_consumer(consumer::pull::Config::default())
        .await?;
    let mut messages = reader.fetch().max_messages(CHARGES * 2).messages().await?;
    let mut found = BTreeSet::new();
    let mut read = 0u64;
    while read < stored {
        let Some(m) = within_10s(messages.next()).await? else {
            break;
        };
        let m = m.map_err(|e| anyhow::anyhow!("{e}"))?;
        read += 1;
        if let Some(id) = m.headers.as_ref().and_then(|h| h.get("Nats-Msg-Id")) {
            found.insert(id.as_str().trim_start_matches("ch-").parse::<usize>()?);
        }
    }
    Ok(Failover {
        old_leader,
        new_leader,
        acknowledged: acked.len(),
        retries,
        duplicates,
        stored,
        distinct: found.len(),
        lost: acked.difference(&found).count(),
        started_in: cluster.started_in(),
    })
}

/// The `nats-cluster` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    println!("(starting a private three-node NATS cluster: about a second)");
    let f = failover().await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut table = Table::new(
        format!("{CHARGES} charges to an R3 stream; its leader SIGKILLed after {KILL_AFTER}"),
        &["what", "count"],
    );
    table.row([
        "leader before → after".to_string(),
        format!("{} → {}", f.old_leader, f.new_leader),
    ]);
    table.row([
        "charges acknowledged".to_string(),
        f.acknowledged.to_string(),
    ]);
    table.row(["publishes sent again".to_string(), f.retries.to_string()]);
    table.row([
        "acks marked duplicate".to_string(),
        f.duplicates.to_string(),
    ]);
    table.row(["messages in the stream".to_string(), f.stored.to_string()]);
    table.row([
        "distinct charges in the stream".to_string(),
        f.distinct.to_string(),
    ]);
    table.row(["acknowledged but missing".to_string(), f.lost.to_string()]);
    table.note(format!(
        "cluster started in {:.1} s",
        f.started_in.as_secs_f64()
    ));
    report.table(table);
    report.value("acknowledged", f.acknowledged);
    report.value("lost", f.lost);
    Ok(report)
}
