//! Scenario `cuts`: a connection cut at every byte of a QoS exchange, and
//! how many copies of the message the subscriber got each time.
//!
//! The publisher reaches the broker through labkit's proxy. For each QoS
//! level and each direction, the proxy lets `n` bytes of the exchange
//! through and then closes the connection, for every `n` from 0 to one byte
//! short of the whole exchange. The publisher (rumqttc) reconnects and does
//! what MQTT tells a client to do: resend what was not acknowledged. A
//! subscriber counts the copies: 0 (lost), 1, or 2 (duplicated).
//!
//! The guarantees hold only with a session the broker keeps across the cut
//! (clean session off). The sweep runs QoS 2 with a clean session too, to
//! show what happens without one.

use std::collections::HashMap;

use anyhow::Context;
use labkit::cli::{Need, Scenario};
use labkit::report::{Report, Table};
use labkit::wire::mqtt::{Kind, Packets};
use labkit::wire::{Decoder, Direction, Proxy};
use rumqttc::{Event, Incoming};

use crate::client::{self, Subscriber};
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- cuts` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "cuts",
    "the publisher's connection cut at every byte of a QoS exchange",
    "lost at QoS 0, duplicated at QoS 1, exactly once at QoS 2 only with a kept session",
)
.needs(&[Need::Mosquitto]);

/// The topic of the sweep.
pub const TOPIC: &str = "lab/cuts";

/// What a sweep over every cut point of one exchange found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub qos: u8,
    pub clean_session: bool,
    /// Cut points tried (both directions).
    pub cuts: usize,
    pub lost: usize,
    pub once: usize,
    pub duplicated: usize,
    /// PUBLISH packets the publisher sent again after a cut, and how many
    /// of them had the DUP flag set.
    pub resent: Resent,
    /// Bytes of the exchange (client → server, server → client).
    pub exchange_bytes: (u64, u64),
}

/// How many bytes one publish at `qos` moves each way, measured once with
/// no fault so the sweep knows where the exchange ends.
async fn exchange_bytes(broker: &Broker, qos: u8) -> anyhow::Result<(u64, u64)> {
    let proxy = Proxy::start(broker.addr()).await?;
    let (client, mut events, _) =
        client::connect(client::options("cut-measure", proxy.addr())).await?;
    let before = (
        proxy.bytes(Direction::ToServer),
        proxy.bytes(Direction::ToClient),
    );
    client::publish_and_wait(&client, &mut events, TOPIC, qos, false, payload(0)).await?;
    // The last acknowledgement is read; let the proxy count it too.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    Ok((
        proxy.bytes(Direction::ToServer) - before.0,
        proxy.bytes(Direction::ToClient) - before.1,
    ))
}

/// Every trial's payload has the same length, so every exchange does too.
fn payload(trial: usize) -> Vec<u8> {
    format!("{trial:06}").into_bytes()
}

// ANCHOR: trial
/// One trial: connect through a fresh proxy, arm a cut after `n` bytes in
/// `dir`, publish, let the client reconnect and finish what it can, then
/// send a fence message (payload `fence`, QoS 1) on the same topic.
/// Returns when the fence was acknowledged. The publisher's client id is
/// `cut-publisher-{id}`.
pub async fn trial(
    broker: &Broker,
    qos: u8,
    clean_session: bool,
    dir: Direction,
    n: u64,
    id: usize,
    payload: Vec<u8>,
) -> anyhow::Result<Resent> {
    let proxy = Proxy::start(broker.addr()).await?;
    let mut options = client::options(&format!("cut-publisher-{id}"), proxy.addr());
    options.set_clean_session(clean_session);
    let (client, mut events, _) = client::connect(options).await?;
    proxy.faults().cut_after_bytes(dir, n);
    client
        .publish(TOPIC, client::qos(qos), false, payload)
        .await?;

    // The cut always falls inside the exchange: wait for the error, then
    // for the reconnection, then (if the session was kept) for the
    // acknowledgement of the message the client resent.
    let mut cut = false;
    loop {
        let event = tokio::time::timeout(client::PATIENCE, events.poll())
            .await
            .context("the publisher neither finished nor failed")?;
        // ANCHOR: after_cut
        match event {
            Err(_) => cut = true,
            Ok(Event::Incoming(Incoming::ConnAck(ack))) if cut => {
                if qos == 0 || !ack.session_present {
                    break;
                }
            }
            Ok(Event::Incoming(Incoming::PubAck(_))) if cut && qos == 1 => break,
            Ok(Event::Incoming(Incoming::PubComp(_))) if cut && qos == 2 => break,
            Ok(_) => {}
        }
        // ANCHOR_END: after_cut
    }
    client::publish_and_wait(&client, &mut events, TOPIC, 1, false, b"fence".to_vec()).await?;
    let _ = client.disconnect().await;
    client::forget(broker.addr(), &format!("cut-publisher-{id}")).await?;
    Ok(resent(&proxy))
}
// ANCHOR_END: trial

/// The copies of the message the publisher sent again after the cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resent {
    pub publishes: usize,
    /// Of those, how many carried the DUP flag.
    pub with_dup: usize,
}

/// Reads the PUBLISH packets the client sent on its second connection
/// (after the cut), leaving out the fence, which is the last.
fn resent(proxy: &Proxy) -> Resent {
    let mut out = Resent::default();
    if let Some(conn) = proxy.recording().get(1) {
        let decoded = Packets::auto().decode_conn(conn, Direction::ToServer);
        let mut publishes: Vec<_> = decoded
            .units
            .iter()
            .filter(|p| p.kind == Kind::Publish)
            .collect();
        publishes.pop(); // the fence
        out.publishes = publishes.len();
        out.with_dup = publishes.iter().filter(|p| p.dup()).count();
    }
    out
}

/// Cuts one QoS exchange at every byte offset, both directions, and counts
/// the copies a subscriber received each time.
pub async fn sweep(broker: &Broker, qos: u8, clean_session: bool) -> anyhow::Result<Outcomes> {
    let bytes = exchange_bytes(broker, qos).await?;
    let mut sub = Subscriber::start(
        client::options(&format!("cut-watcher-{qos}-{clean_session}"), broker.addr()),
        TOPIC,
        2,
    )
    .await?;
    let mut out = Outcomes {
        qos,
        clean_session,
        exchange_bytes: bytes,
        ..Outcomes::default()
    };
    let mut id = 1 + 1_000 * qos as usize + if clean_session { 500 } else { 0 };
    for (dir, len) in [
        (Direction::ToServer, bytes.0),
        (Direction::ToClient, bytes.1),
    ] {
        for n in 0..len {
            let r = trial(broker, qos, clean_session, dir, n, id, payload(id)).await?;
            out.resent.publishes += r.publishes;
            out.resent.with_dup += r.with_dup;
            let mut copies: HashMap<Vec<u8>, usize> = HashMap::new();
            for p in sub.until(b"fence").await? {
                *copies.entry(p.payload.to_vec()).or_default() += 1;
            }
            match copies.get(&payload(id)).copied().unwrap_or(0) {
                0 => out.lost += 1,
                1 => out.once += 1,
                _ => out.duplicated += 1,
            }
            out.cuts += 1;
            id += 1;
        }
    }
    sub.disconnect().await;
    Ok(out)
}

/// The four sweeps the chapter shows.
pub async fn all(broker: &Broker) -> anyhow::Result<Vec<Outcomes>> {
    let mut all = Vec::new();
    for (qos, clean) in [(0, false), (1, false), (2, false), (2, true)] {
        all.push(sweep(broker, qos, clean).await?);
    }
    Ok(all)
}

/// The `cuts` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.broker().await?;
    let all = all(broker).await?;
    let mut table = Table::new(
        "One message, the publisher's connection cut at every byte of its exchange",
        &[
            "QoS",
            "session",
            "bytes up/down",
            "cuts",
            "lost",
            "exactly once",
            "duplicated",
            "resent (DUP)",
        ],
    );
    for o in &all {
        table.row([
            o.qos.to_string(),
            if o.clean_session { "no" } else { "yes" }.to_string(),
            format!("{} / {}", o.exchange_bytes.0, o.exchange_bytes.1),
            o.cuts.to_string(),
            o.lost.to_string(),
            o.once.to_string(),
            o.duplicated.to_string(),
            format!("{} ({})", o.resent.publishes, o.resent.with_dup),
        ]);
    }
    table.note("session: whether the broker kept the session across the cut; bytes: the exchange's, publisher to broker / broker to publisher");
    table.note("resent (DUP): PUBLISH packets sent again after reconnecting, and how many of them had the DUP flag set");
    table.note("rumqttc resends unacknowledged messages after reconnecting only when the broker kept the session");
    let mut report = Report::new(crate::LAB, "cuts");
    report.table(table);
    for o in &all {
        report.value(
            &format!("qos{}_{}", o.qos, if o.clean_session { "clean" } else { "kept" }),
            serde_json::json!({"cuts": o.cuts, "lost": o.lost, "once": o.once, "duplicated": o.duplicated}),
        );
    }
    Ok(report)
}
