//! Scenario `mqtt5`: what MQTT 5 added, each feature shown against the
//! broker with rumqttc's `v5` client.
//!
//! - **shared subscriptions**: `$share/GROUP/filter` splits a topic's
//!   messages over the members of a group, each message to one member;
//! - **message expiry**: a queued message older than its expiry interval
//!   is dropped instead of delivered late;
//! - **request/response**: a response topic and correlation data travel
//!   with the request, and a user property with it;
//! - **subscription identifiers**: the broker tells the client which of
//!   its subscriptions a message matched;
//! - **topic aliases**: after the first PUBLISH, a two-byte number stands
//!   in for the topic; the decoder counts the bytes saved.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use bytes::Bytes;
use labkit::cli::{Need, Scenario};
use labkit::report::{Report, Table};
use labkit::wire::mqtt::{Kind, Packets};
use labkit::wire::{Decoder, Direction, Proxy};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Packet, Publish, PublishProperties};
use rumqttc::v5::{AsyncClient, Event, EventLoop, MqttOptions};
use tokio::sync::mpsc;

use crate::client::PATIENCE;
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- mqtt5` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "mqtt5",
    "MQTT 5: shared subscriptions, message expiry, request/response, topic aliases",
    "each job to one member; the expired message never arrives; the alias saves the topic's bytes",
)
.needs(&[Need::Mosquitto]);

fn options(id: &str, addr: SocketAddr) -> MqttOptions {
    let mut o = MqttOptions::new(id, addr.ip().to_string(), addr.port());
    o.set_keep_alive(Duration::from_secs(30));
    if let Some((user, password)) = crate::broker::login() {
        o.set_credentials(user, password);
    }
    o
}

async fn poll_until(
    events: &mut EventLoop,
    what: &str,
    mut wanted: impl FnMut(&Event) -> bool,
) -> anyhow::Result<Event> {
    let wait = async {
        loop {
            let e = events
                .poll()
                .await
                .with_context(|| format!("MQTT 5 connection failed while waiting for {what}"))?;
            if wanted(&e) {
                return Ok::<_, anyhow::Error>(e);
            }
        }
    };
    tokio::time::timeout(PATIENCE, wait)
        .await
        .with_context(|| format!("no {what} within {PATIENCE:?}"))?
}

async fn connect(o: MqttOptions) -> anyhow::Result<(AsyncClient, EventLoop)> {
    let (c, mut events) = AsyncClient::new(o, 100);
    poll_until(&mut events, "CONNACK", |e| {
        matches!(e, Event::Incoming(Packet::ConnAck(_)))
    })
    .await?;
    Ok((c, events))
}

/// A v5 client subscribed to some filters, its deliveries on a channel.
struct Sub5 {
    client: AsyncClient,
    rx: mpsc::UnboundedReceiver<Publish>,
    task: tokio::task::JoinHandle<()>,
}

impl Sub5 {
    async fn start(o: MqttOptions, filters: &[&str]) -> anyhow::Result<Sub5> {
        let (client, mut events) = connect(o).await?;
        let (tx, rx) = mpsc::unbounded_channel();
        for f in filters {
            client.subscribe(*f, QoS::AtLeastOnce).await?;
            poll_until(&mut events, "SUBACK", |e| {
                if let Event::Incoming(Packet::Publish(p)) = e {
                    let _ = tx.send(p.clone());
                }
                matches!(e, Event::Incoming(Packet::SubAck(_)))
            })
            .await?;
        }
        let task = tokio::spawn(async move {
            while let Ok(e) = events.poll().await {
                if let Event::Incoming(Packet::Publish(p)) = e
                    && tx.send(p).is_err()
                {
                    return;
                }
            }
        });
        Ok(Sub5 { client, rx, task })
    }

    /// Deliveries before the first one whose payload is `fence`.
    async fn until(&mut self, fence: &[u8]) -> anyhow::Result<Vec<Publish>> {
        let mut got = Vec::new();
        loop {
            let p = tokio::time::timeout(PATIENCE, self.rx.recv())
                .await
                .ok()
                .flatten()
                .context("the fence never arrived")?;
            if p.payload.as_ref() == fence {
                return Ok(got);
            }
            got.push(p);
        }
    }

    async fn stop(self) {
        let _ = self.client.disconnect().await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.task.abort();
    }
}

async fn publish(
    c: &AsyncClient,
    events: &mut EventLoop,
    topic: &str,
    payload: &[u8],
    props: PublishProperties,
) -> anyhow::Result<()> {
    c.publish_with_properties(topic, QoS::AtLeastOnce, false, payload.to_vec(), props)
        .await?;
    poll_until(events, "PUBACK", |e| {
        matches!(e, Event::Incoming(Packet::PubAck(_)))
    })
    .await?;
    Ok(())
}

// ANCHOR: shared
/// `members` clients share `$share/workers/jobs/#`; `messages` jobs are
/// published. Returns how many jobs each member got, after checking that
/// every job went to exactly one member.
pub async fn shared(
    broker: &Broker,
    members: usize,
    messages: usize,
) -> anyhow::Result<Vec<usize>> {
    let mut subs = Vec::new();
    // ANCHOR: share_subscribe
    for m in 0..members {
        let control = format!("control/worker-{m}");
        subs.push(
            Sub5::start(
                options(&format!("worker-{m}"), broker.addr()),
                &["$share/workers/jobs/#", &control],
            )
            .await?,
        );
    }
    // ANCHOR_END: share_subscribe
    let (c, mut events) = connect(options("job-source", broker.addr())).await?;
    for j in 0..messages {
        publish(
            &c,
            &mut events,
            &format!("jobs/{j}"),
            format!("job {j}").as_bytes(),
            PublishProperties::default(),
        )
        .await?;
    }
    for m in 0..members {
        publish(
            &c,
            &mut events,
            &format!("control/worker-{m}"),
            b"fence",
            PublishProperties::default(),
        )
        .await?;
    }
    let mut seen = HashSet::new();
    let mut counts = Vec::new();
    for mut s in subs {
        let got = s.until(b"fence").await?;
        for p in &got {
            if !seen.insert(p.payload.clone()) {
                bail!(
                    "job {:?} was delivered to two members",
                    String::from_utf8_lossy(&p.payload)
                );
            }
        }
        counts.push(got.len());
        s.stop().await;
    }
    Ok(counts)
}
// ANCHOR_END: shared

// ANCHOR: expiry
/// A subscriber with a kept session is away while two messages are queued
/// for it, one with a 1-second expiry; it returns 3 seconds later. Returns
/// the payloads it received.
pub async fn expiry(broker: &Broker) -> anyhow::Result<Vec<String>> {
    let mut o = options("expiring-dashboard", broker.addr());
    o.set_clean_start(false);
    o.set_session_expiry_interval(Some(300));
    Sub5::start(o.clone(), &["lab/expiry"]).await?.stop().await;

    let (c, mut events) = connect(options("expiring-source", broker.addr())).await?;
    let short = PublishProperties {
        message_expiry_interval: Some(1),
        ..Default::default()
    };
    publish(
        &c,
        &mut events,
        "lab/expiry",
        b"valve: close now (1 s expiry)",
        short,
    )
    .await?;
    publish(
        &c,
        &mut events,
        "lab/expiry",
        b"daily report (no expiry)",
        PublishProperties::default(),
    )
    .await?;
    tokio::time::sleep(Duration::from_secs(3)).await;

    let mut back = Sub5::start(o, &[]).await?;
    publish(
        &c,
        &mut events,
        "lab/expiry",
        b"fence",
        PublishProperties::default(),
    )
    .await?;
    let got = back.until(b"fence").await?;
    // Leave no session behind on a broker that outlives the lab.
    let _ = back.client.disconnect().await;
    back.task.abort();
    let mut forget = options("expiring-dashboard", broker.addr());
    forget.set_session_expiry_interval(Some(0));
    connect(forget).await?.0.disconnect().await?;
    Ok(got
        .iter()
        .map(|p| String::from_utf8_lossy(&p.payload).into_owned())
        .collect())
}
// ANCHOR_END: expiry

/// What a request over MQTT 5 came back with.
#[derive(Debug, Clone)]
pub struct Answered {
    pub reply: String,
    pub correlation_matched: bool,
    /// The user property the responder saw on the request.
    pub responder_saw: Vec<(String, String)>,
}

// ANCHOR: request
/// A responder serves `valves/+/commands`; a requester asks valve 3 to
/// open, naming its reply topic and a correlation id, and waits.
pub async fn request_response(broker: &Broker) -> anyhow::Result<Answered> {
    let mut responder = Sub5::start(
        options("valve-controller", broker.addr()),
        &["valves/+/commands"],
    )
    .await?;
    let mut requester = Sub5::start(
        options("operator-1", broker.addr()),
        &["replies/operator-1"],
    )
    .await?;
    let (rc, mut revents) = connect(options("operator-1-out", broker.addr())).await?;
    // ANCHOR: request_props
    let request = PublishProperties {
        response_topic: Some("replies/operator-1".into()),
        correlation_data: Some(Bytes::from_static(b"req-42")),
        user_properties: vec![("schema".into(), "valve-command/v1".into())],
        ..Default::default()
    };
    publish(&rc, &mut revents, "valves/3/commands", b"open", request).await?;
    // ANCHOR_END: request_props

    // The responder: read the request, answer where it was told to.
    let asked = tokio::time::timeout(PATIENCE, responder.rx.recv())
        .await
        .ok()
        .flatten()
        .context("no request arrived")?;
    let props = asked.properties.clone().unwrap_or_default();
    let reply_to = props
        .response_topic
        .clone()
        .context("the request had no response topic")?;
    let (sc, mut sevents) = connect(options("valve-controller-out", broker.addr())).await?;
    // ANCHOR: answer_props
    let answer = PublishProperties {
        correlation_data: props.correlation_data.clone(),
        ..Default::default()
    };
    publish(&sc, &mut sevents, &reply_to, b"opened", answer).await?;
    // ANCHOR_END: answer_props

    let reply = tokio::time::timeout(PATIENCE, requester.rx.recv())
        .await
        .ok()
        .flatten()
        .context("no reply arrived")?;
    let correlation = reply
        .properties
        .as_ref()
        .and_then(|p| p.correlation_data.clone());
    let result = Answered {
        reply: String::from_utf8_lossy(&reply.payload).into_owned(),
        correlation_matched: correlation.as_deref() == Some(b"req-42".as_slice()),
        responder_saw: props.user_properties,
    };
    responder.stop().await;
    requester.stop().await;
    Ok(result)
}
// ANCHOR_END: request

// ANCHOR: sub_ids
/// One client subscribes twice, with identifier 7 for
/// `greenhouse/+/temperature` and 9 for `greenhouse/7/#`; one reading that
/// both match is published. Returns, for each copy delivered, the
/// subscription identifiers it carried.
pub async fn subscription_ids(broker: &Broker) -> anyhow::Result<Vec<Vec<usize>>> {
    let (sub, mut events) = connect(options("sub-ids", broker.addr())).await?;
    for (filter, id) in [("greenhouse/+/temperature", 7), ("greenhouse/7/#", 9)] {
        let props = rumqttc::v5::mqttbytes::v5::SubscribeProperties {
            id: Some(id),
            user_properties: vec![],
        };
        sub.subscribe_with_properties(filter, QoS::AtLeastOnce, props)
            .await?;
        poll_until(&mut events, "SUBACK", |e| {
            matches!(e, Event::Incoming(Packet::SubAck(_)))
        })
        .await?;
    }
    let (c, mut pevents) = connect(options("sub-ids-source", broker.addr())).await?;
    publish(
        &c,
        &mut pevents,
        "greenhouse/7/temperature",
        b"21.5",
        PublishProperties::default(),
    )
    .await?;
    publish(
        &c,
        &mut pevents,
        "greenhouse/7/fence",
        b"fence",
        PublishProperties::default(),
    )
    .await?;
    let mut copies = Vec::new();
    loop {
        let e = poll_until(&mut events, "the fence", |e| {
            matches!(e, Event::Incoming(Packet::Publish(_)))
        })
        .await?;
        if let Event::Incoming(Packet::Publish(p)) = e {
            if p.payload.as_ref() == b"fence" {
                break;
            }
            copies.push(
                p.properties
                    .map(|p| p.subscription_identifiers)
                    .unwrap_or_default(),
            );
        }
    }
    let _ = sub.disconnect().await;
    Ok(copies)
}
// ANCHOR_END: sub_ids

/// A valve controller for the `mqtt-request` exercise: it serves
/// `valves/+/commands` and answers each request that names a response
/// topic — first with a decoy carrying someone else's correlation data (as
/// a shared reply topic would), then with the real answer,
/// `valve N: COMMAND done`, carrying the request's correlation data.
pub async fn valve_controller(addr: SocketAddr) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let mut requests =
        Sub5::start(options("valve-controller", addr), &["valves/+/commands"]).await?;
    let (c, mut events) = connect(options("valve-controller-out", addr)).await?;
    Ok(tokio::spawn(async move {
        while let Some(req) = requests.rx.recv().await {
            let props = req.properties.clone().unwrap_or_default();
            let Some(reply_to) = props.response_topic else {
                continue;
            };
            let topic = String::from_utf8_lossy(&req.topic).into_owned();
            let valve = topic.split('/').nth(1).unwrap_or("?").to_string();
            let decoy = PublishProperties {
                correlation_data: Some(Bytes::from_static(b"someone-else")),
                ..Default::default()
            };
            let answer = PublishProperties {
                correlation_data: props.correlation_data,
                ..Default::default()
            };
            let text = format!(
                "valve {valve}: {} done",
                String::from_utf8_lossy(&req.payload)
            );
            if publish(&c, &mut events, &reply_to, b"decoy", decoy)
                .await
                .is_err()
                || publish(&c, &mut events, &reply_to, text.as_bytes(), answer)
                    .await
                    .is_err()
            {
                return;
            }
        }
    }))
}

/// Bytes of the PUBLISH packets for `count` readings, without and with a
/// topic alias, as labkit's decoder read them.
pub async fn topic_alias(broker: &Broker, count: usize) -> anyhow::Result<(usize, usize)> {
    let reading = serde_json::to_vec(&domain::Reading::sample(7))?;
    let mut sizes = Vec::new();
    for alias in [false, true] {
        let proxy = Proxy::start(broker.addr()).await?;
        let (c, mut events) = connect(options("alias-sensor", proxy.addr())).await?;
        for i in 0..count {
            let mut props = PublishProperties::default();
            let mut topic = crate::bytes::TOPIC;
            if alias {
                props.topic_alias = Some(1);
                if i > 0 {
                    topic = ""; // the alias alone names the topic
                }
            }
            publish(&c, &mut events, topic, &reading, props).await?;
        }
        let _ = c.disconnect().await;
        let conn = proxy
            .recording()
            .into_iter()
            .next()
            .context("no connection recorded")?;
        let packets = Packets::auto()
            .decode_conn(&conn, Direction::ToServer)
            .complete()?;
        sizes.push(
            packets
                .iter()
                .filter(|p| p.kind == Kind::Publish)
                .map(|p| p.len())
                .sum(),
        );
    }
    Ok((sizes[0], sizes[1]))
}

/// The `mqtt5` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.broker().await?;
    let counts = shared(broker, 3, 30).await?;
    let expired = expiry(broker).await?;
    let answered = request_response(broker).await?;
    let (plain, aliased) = topic_alias(broker, 10).await?;
    let ids = subscription_ids(broker).await?;
    let mut table = Table::new(
        "MQTT 5 features, against the broker",
        &["feature", "what happened"],
    );
    table.row([
        "shared subscription".to_string(),
        format!("jobs per member: {counts:?}; each job delivered once"),
    ]);
    table.row([
        "message expiry".to_string(),
        format!("received on return: {expired:?}"),
    ]);
    table.row([
        "request/response".to_string(),
        format!(
            "reply {:?}, correlation {}; the responder saw user properties {:?}",
            answered.reply,
            if answered.correlation_matched {
                "matched"
            } else {
                "did NOT match"
            },
            answered.responder_saw
        ),
    ]);
    table.row([
        "topic alias".to_string(),
        format!(
            "{plain} bytes of PUBLISH without, {aliased} with: {} saved",
            plain - aliased.min(plain)
        ),
    ]);
    table.row([
        "subscription ids".to_string(),
        format!(
            "{} copies delivered, carrying identifiers {ids:?}",
            ids.len()
        ),
    ]);
    table.note("shared subscription: 3 members, 30 jobs; message expiry: the subscriber was away 3 s and one message had a 1 s expiry");
    table.note("request/response: a response topic and correlation data; topic alias: 10 readings; subscription ids: 7 and 9, one reading matching both");
    let mut report = Report::new(crate::LAB, "mqtt5");
    report.table(table);
    report.value("shared_counts", &counts);
    report.value("expiry_received", &expired);
    report.value(
        "alias_bytes",
        serde_json::json!({"without": plain, "with": aliased}),
    );
    Ok(report)
}
