//! Scenario `nats-request`: request/reply over publish/subscribe, with the
//! reply inbox visible on the wire.
//!
//! NATS has no request frame. The requester subscribes to an inbox subject
//! of its own (async-nats uses one wildcard subscription, `_INBOX.<id>.*`,
//! for all its requests), then publishes the request with that inbox as the
//! reply subject; the responder publishes its answer to whatever reply
//! subject came with the message. Both clients connect through labkit's
//! recording proxy, and labkit's NATS decoder reads what they said.

use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::nats::{Op, Ops, Verb};
use labkit::wire::{Decoder, Direction, Proxy};

use crate::nats_client::{connect, round_trip, run_prefix, url_of};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- nats-request` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "nats-request",
    "NATS request/reply: the reply inbox on the wire, and a request nobody serves",
    "a request is a PUB with a reply subject; the answer is a PUB to that inbox",
);

/// What each side sent and received, decoded.
pub struct Conversation {
    /// The answer the requester got.
    pub answer: String,
    /// Operations the requester sent, then received.
    pub requester_sent: Vec<Op>,
    pub requester_got: Vec<Op>,
    /// Operations the responder sent, then received.
    pub responder_sent: Vec<Op>,
    pub responder_got: Vec<Op>,
    /// What a request to a subject with no subscriber came back with.
    pub no_responders: String,
}

/// One charge requested, answered by a responder on another connection.
pub async fn converse(server: std::net::SocketAddr) -> anyhow::Result<Conversation> {
    let subject = format!("{}.charge", run_prefix("request"));
    let to_requester = Proxy::start(server).await?;
    let to_responder = Proxy::start(server).await?;
    let responder = connect(&url_of(to_responder.addr())).await?;
    let requester = connect(&url_of(to_requester.addr())).await?;

    // ANCHOR: respond
    let mut requests = responder.subscribe(subject.clone()).await?;
    round_trip(&responder).await?; // the subscription is in place
    let serve = tokio::spawn(async move {
        if let Some(request) = requests.next().await
            && let Some(inbox) = request.reply
        {
            let answer = format!(
                "ch_0000000001 for {}",
                String::from_utf8_lossy(&request.payload)
            );
            responder.publish(inbox, answer.into()).await.ok();
            responder.flush().await.ok();
        }
    });
    let answer = requester
        .request(subject.clone(), "1250 EUR".into())
        .await?;
    // ANCHOR_END: respond
    serve.await?;

    let nobody = requester
        .request(format!("{subject}.nobody"), "1250 EUR".into())
        .await;
    let no_responders = match nobody {
        Ok(m) => format!("an answer?! {:?}", m.payload),
        Err(e) => e.to_string(),
    };
    requester.flush().await?;

    let decode = |proxy: &Proxy, dir: Direction| -> Vec<Op> {
        proxy
            .recording()
            .iter()
            .flat_map(|c| Ops.decode(&c.stream(dir)).units)
            .collect()
    };
    Ok(Conversation {
        answer: String::from_utf8_lossy(&answer.payload).into_owned(),
        requester_sent: decode(&to_requester, Direction::ToServer),
        requester_got: decode(&to_requester, Direction::ToClient),
        responder_sent: decode(&to_responder, Direction::ToServer),
        responder_got: decode(&to_responder, Direction::ToClient),
        no_responders,
    })
}

/// The operations worth showing: subscriptions and messages, not the
/// INFO/CONNECT/PING bookkeeping, nor the empty marker messages the lab
/// sends itself to know the responder's subscription is in place.
pub fn carrying(ops: &[Op]) -> impl Iterator<Item = &Op> {
    ops.iter().filter(|o| {
        let marker = match o.verb {
            Verb::Pub | Verb::Msg => o.payload.is_empty(),
            Verb::Sub => o
                .subject
                .as_deref()
                .is_some_and(|s| s.starts_with("_INBOX.") && !s.ends_with('*')),
            _ => false,
        };
        !marker
            && matches!(
                o.verb,
                Verb::Sub | Verb::Pub | Verb::Hpub | Verb::Msg | Verb::Hmsg
            )
    })
}

/// The `nats-request` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.nats().await?;
    let c = converse(broker.addr()).await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut table = Table::new(
        "Request/reply on the wire (control lines, payloads left out)",
        &["who", "way", "operation"],
    );
    let mut add = |who: &str, way: &str, ops: &[Op]| {
        for op in carrying(ops) {
            table.row([who.to_string(), way.to_string(), op.line.clone()]);
        }
    };
    add("requester", "→ server", &c.requester_sent);
    add("responder", "← server", &c.responder_got);
    add("responder", "→ server", &c.responder_sent);
    add("requester", "← server", &c.requester_got);
    table.note(format!("answer: {:?}", c.answer));
    table.note(format!(
        "a request to a subject nobody serves: {}",
        c.no_responders
    ));
    report.table(table);
    report.value("answer", &c.answer);
    Ok(report)
}
