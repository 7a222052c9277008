//! Scenario `qos`: the packets each QoS level costs, counted on both hops.
//!
//! A publisher and a subscriber each reach the broker through their own
//! recording proxy, so the two hops — publisher to broker, broker to
//! subscriber — are seen apart. QoS is agreed per hop: the broker delivers
//! at the lower of the publisher's level and the level the subscriber asked
//! for, and the packet counts show it.

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::mqtt::{Kind, Packets};
use labkit::wire::{Decoder, Direction, Proxy};

use crate::client::{self, Subscriber};
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- qos` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "qos",
    "the packets each QoS level costs, on the publisher's hop and the subscriber's",
    "the subscriber's hop runs at the lower of the two levels",
);

/// What one publish cost on each hop.
#[derive(Debug, Clone)]
pub struct Hops {
    pub publish_qos: u8,
    pub subscribe_qos: u8,
    /// Delivery packets on the publisher's hop, in the order they crossed.
    pub publisher_hop: Vec<&'static str>,
    /// Delivery packets on the subscriber's hop.
    pub subscriber_hop: Vec<&'static str>,
    /// The QoS of the PUBLISH the subscriber received.
    pub delivered_qos: u8,
}

/// The packets that move one message (PUBLISH and its acknowledgements),
/// in the order the proxy read them, both directions of one connection.
fn delivery_packets(proxy: &Proxy) -> Vec<&'static str> {
    let mut seen: Vec<(usize, &'static str)> = Vec::new();
    for conn in proxy.recording() {
        for dir in Direction::BOTH {
            let decoded = Packets::auto().decode_conn(&conn, dir);
            // Place each packet at the chunk its first byte arrived in.
            let mut starts = Vec::new();
            let mut at = 0;
            for (i, c) in conn.chunks.iter().enumerate().filter(|(_, c)| c.dir == dir) {
                starts.push((i, at));
                at += c.bytes.len();
            }
            for p in decoded.units {
                let delivery = matches!(
                    p.kind,
                    Kind::Publish | Kind::Puback | Kind::Pubrec | Kind::Pubrel | Kind::Pubcomp
                );
                if let (true, Some((chunk, _))) =
                    (delivery, starts.iter().rev().find(|(_, s)| *s <= p.offset))
                {
                    seen.push((*chunk * 1_000_000 + p.offset, p.kind.name()));
                }
            }
        }
    }
    seen.sort();
    seen.into_iter().map(|(_, name)| name).collect()
}

// ANCHOR: hops
/// Publishes one message at `publish_qos` to a subscriber that asked for
/// `subscribe_qos`, and counts the packets on both hops.
pub async fn hops(broker: &Broker, publish_qos: u8, subscribe_qos: u8) -> anyhow::Result<Hops> {
    let topic = format!("lab/qos/{publish_qos}{subscribe_qos}");
    let sub_proxy = Proxy::start(broker.addr()).await?;
    let mut sub = Subscriber::start(
        client::options(
            &format!("qos-sub-{publish_qos}{subscribe_qos}"),
            sub_proxy.addr(),
        ),
        &topic,
        subscribe_qos,
    )
    .await?;
    let pub_proxy = Proxy::start(broker.addr()).await?;
    let (client, mut events, _) = client::connect(client::options(
        &format!("qos-pub-{publish_qos}{subscribe_qos}"),
        pub_proxy.addr(),
    ))
    .await?;
    client::publish_and_wait(
        &client,
        &mut events,
        &topic,
        publish_qos,
        false,
        b"21.5".to_vec(),
    )
    .await?;
    let delivered = sub
        .next(client::PATIENCE)
        .await
        .ok_or_else(|| anyhow::anyhow!("the subscriber received nothing on {topic}"))?;
    // Give the subscriber's acknowledgements time to cross before counting.
    let want = match delivered.qos as u8 {
        0 => 1,
        1 => 2,
        _ => 4,
    };
    let started = std::time::Instant::now();
    while delivery_packets(&sub_proxy).len() < want && started.elapsed() < client::PATIENCE {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let result = Hops {
        publish_qos,
        subscribe_qos,
        publisher_hop: delivery_packets(&pub_proxy),
        subscriber_hop: delivery_packets(&sub_proxy),
        delivered_qos: delivered.qos as u8,
    };
    sub.disconnect().await;
    Ok(result)
}
// ANCHOR_END: hops

/// Every combination of publisher and subscriber QoS.
pub async fn matrix(broker: &Broker) -> anyhow::Result<Vec<Hops>> {
    let mut all = Vec::new();
    for p in 0..=2 {
        for s in 0..=2 {
            all.push(hops(broker, p, s).await?);
        }
    }
    Ok(all)
}

/// The `qos` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.broker().await?;
    let all = matrix(broker).await?;
    let mut table = Table::new(
        "One message, publisher → broker → subscriber (packets counted by the proxies)",
        &["pub", "sub", "got", "publisher hop", "subscriber hop"],
    );
    for h in &all {
        table.row([
            h.publish_qos.to_string(),
            h.subscribe_qos.to_string(),
            h.delivered_qos.to_string(),
            h.publisher_hop.join(" "),
            h.subscriber_hop.join(" "),
        ]);
    }
    table.note("pub: the QoS the message was published at; sub: the QoS the subscriber asked for; got: the QoS it was delivered at");
    table.note("QoS is per hop: the subscriber's hop runs at the lower of the two levels");
    let mut report = Report::new(crate::LAB, "qos");
    report.table(table);
    for h in &all {
        report.value(
            &format!("pub{}_sub{}", h.publish_qos, h.subscribe_qos),
            serde_json::json!({"publisher_hop": h.publisher_hop, "subscriber_hop": h.subscriber_hop, "delivered_qos": h.delivered_qos}),
        );
    }
    Ok(report)
}
