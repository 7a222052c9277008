//! Scenario `pubsub`: PUB/SUB with prefix filters, and where the filtering
//! happens — measured on the wire.
//!
//! A subscriber names the prefixes it wants. Since ZMTP 3.0 it sends them to
//! the publisher, and libzmq's PUB socket drops non-matching messages
//! *before* they reach the network. The lab puts labkit's recording proxy
//! between a PUB and a SUB and decodes what crossed it with the ZMTP
//! decoder: the news the subscriber did not ask for never leaves the
//! publisher.

use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::zmtp::{self, Kind};
use labkit::wire::{Decoder, Direction, Proxy};

use crate::Lab;
use crate::zsock::{bind_tcp, blocking, port, recv_within, socket};

/// The scenario, as `cargo run -p lab-zeromq -- pubsub` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "pubsub",
    "PUB/SUB prefix filters, and the bytes on the wire between them",
    "the subscription goes upstream; unwanted topics never cross the wire",
);

/// What one filtered subscription looked like, counted three ways.
#[derive(Debug, Clone, Default)]
pub struct Filtered {
    /// Messages the publisher sent on each topic (`price.`, `news.`).
    pub published: (u32, u32),
    /// Messages the subscriber received on each topic.
    pub received: (u32, u32),
    /// Messages on each topic that crossed the wire to the subscriber,
    /// decoded from the proxy's recording.
    pub on_wire: (u32, u32),
    /// Bytes the proxy carried publisher → subscriber.
    pub wire_bytes: u64,
    /// How the subscription reached the publisher: `SUBSCRIBE` command or
    /// a message whose first byte is 1 (the ZMTP 3.0 form).
    pub subscription: String,
    /// The mechanism and socket type each side announced.
    pub handshake: Vec<String>,
}

fn topic_counts(messages: &[Vec<Vec<u8>>]) -> (u32, u32) {
    let count = |prefix: &[u8]| {
        messages
            .iter()
            .filter(|m| m.first().is_some_and(|t| t.starts_with(prefix)))
            .count() as u32
    };
    (count(b"price.EURUSD"), count(b"news."))
}

// ANCHOR: exchange
/// The subscriber asks for `price.` only; the publisher sends `n` prices
/// and `n` news items. Returns what the subscriber received.
pub fn exchange(
    ctx: &zmq::Context,
    publisher: &zmq::Socket,
    endpoint: &str,
    n: u32,
) -> anyhow::Result<Vec<Vec<Vec<u8>>>> {
    let sub = socket(ctx, zmq::SUB)?;
    // ANCHOR: subscribe_prefix
    sub.set_subscribe(b"price.")?;
    sub.connect(endpoint)?;
    // ANCHOR_END: subscribe_prefix
    // Until the subscription has reached the publisher, everything it
    // publishes is dropped (the slow joiner): probe until one arrives.
    let mut joined = false;
    for _ in 0..500 {
        publisher.send("price.probe", 0)?;
        if recv_within(&sub, Duration::from_millis(10))?.is_some() {
            joined = true;
            break;
        }
    }
    anyhow::ensure!(joined, "the subscriber never received a probe in 5 s");
    // ANCHOR: publish_topics
    for i in 0..n {
        publisher.send_multipart([&b"price.EURUSD"[..], format!("1.08{i:02}").as_bytes()], 0)?;
        publisher.send_multipart([&b"news.markets"[..], format!("story {i}").as_bytes()], 0)?;
    }
    // ANCHOR_END: publish_topics
    publisher.send("price.end", 0)?;
    let mut got = Vec::new();
    while let Some(msg) = recv_within(&sub, Duration::from_secs(10))? {
        if msg[0] == b"price.end" {
            return Ok(got);
        }
        if msg[0] != b"price.probe" {
            got.push(msg);
        }
    }
    anyhow::bail!("the end marker never arrived")
}
// ANCHOR_END: exchange

/// Runs [`exchange`] through a recording proxy and decodes both
/// directions of the connection.
pub async fn filtered(ctx: &zmq::Context, n: u32) -> anyhow::Result<Filtered> {
    let publisher = socket(ctx, zmq::PUB)?;
    let endpoint = bind_tcp(&publisher)?;
    let proxy = Proxy::start(([127, 0, 0, 1], port(&endpoint)?).into()).await?;
    let via_proxy = format!("tcp://{}", proxy.addr());
    let ctx = ctx.clone();
    let received = blocking(move || exchange(&ctx, &publisher, &via_proxy, n)).await?;
    anyhow::ensure!(
        proxy.wait_closed(Duration::from_secs(10)).await,
        "the proxy stayed open"
    );

    let conn = proxy
        .recording()
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("nothing crossed the proxy"))?;
    let down = zmtp::Frames.decode(&conn.stream(Direction::ToClient)).units;
    let up = zmtp::Frames.decode(&conn.stream(Direction::ToServer)).units;
    let mut handshake = Vec::new();
    for (side, units) in [("SUB", &up), ("PUB", &down)] {
        let mechanism = units.iter().find_map(|u| match &u.kind {
            Kind::Greeting {
                mechanism, version, ..
            } => Some(format!("ZMTP {}.{} {mechanism}", version.0, version.1)),
            _ => None,
        });
        let socket_type = units
            .iter()
            .flat_map(|u| u.properties())
            .find(|(k, _)| k == "Socket-Type")
            .map(|(_, v)| String::from_utf8_lossy(&v).into_owned());
        handshake.push(format!(
            "{side} sent {}, READY Socket-Type={}",
            mechanism.unwrap_or_default(),
            socket_type.unwrap_or_default()
        ));
    }
    let subscription = up
        .iter()
        .find_map(|u| match &u.kind {
            Kind::Command { name } if name == "SUBSCRIBE" => Some(format!(
                "SUBSCRIBE command {:?}",
                String::from_utf8_lossy(u.command_data())
            )),
            Kind::Message if u.body.first() == Some(&1) => Some(format!(
                "message 0x01 {:?} ({} bytes with framing)",
                String::from_utf8_lossy(&u.body[1..]),
                u.body.len() + u.framing
            )),
            _ => None,
        })
        .unwrap_or_else(|| "not seen".into());
    Ok(Filtered {
        published: (n, n),
        received: topic_counts(&received),
        on_wire: topic_counts(&zmtp::messages(&down)),
        wire_bytes: conn.bytes(Direction::ToClient),
        subscription,
        handshake,
    })
}

/// Runs the scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let f = filtered(lab.ctx(), 200).await?;
    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        "A subscriber to \"price.\"; the publisher sends prices and news",
        &["topic", "published", "crossed the wire", "received"],
    );
    t.row([
        "price.EURUSD".to_string(),
        f.published.0.to_string(),
        f.on_wire.0.to_string(),
        f.received.0.to_string(),
    ]);
    t.row([
        "news.markets".to_string(),
        f.published.1.to_string(),
        f.on_wire.1.to_string(),
        f.received.1.to_string(),
    ]);
    t.note(format!(
        "publisher → subscriber: {} bytes in all",
        f.wire_bytes
    ));
    t.note(format!(
        "the subscription went upstream as a {}",
        f.subscription
    ));
    for line in &f.handshake {
        t.note(line.clone());
    }
    report.table(t);
    report.value("news_on_wire", f.on_wire.1);
    Ok(report)
}
