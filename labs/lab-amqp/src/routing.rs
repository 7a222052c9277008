//! Routing: the exchange decides, from the routing key or the headers and
//! the bindings, which queues get a copy. Direct, fanout, topic (`*` and
//! `#`) and headers exchanges; a `mandatory` message nobody can take comes
//! back to the publisher; an alternate exchange catches the unroutable.

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use lapin::options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel, ExchangeKind};

use crate::Lab;
use crate::support::{self, table, text};

/// The scenario, as `cargo run -p lab-amqp -- routing` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "routing",
    "direct, fanout, topic and headers exchanges; unroutable messages",
    "which queue got which message, and what mandatory and an alternate exchange change",
);

/// Which queue (by its short label) received which message bodies.
pub type Routed = Vec<(String, Vec<String>)>;

/// An exchange of `kind`, named uniquely, auto-deleted when unused.
async fn exchange(
    ch: &Channel,
    label: &str,
    kind: ExchangeKind,
    args: FieldTable,
) -> anyhow::Result<String> {
    let name = support::unique(label);
    ch.exchange_declare(&name, kind, ExchangeDeclareOptions::default(), args)
        .await
        .with_context(|| format!("declaring exchange {name}"))?;
    Ok(name)
}

/// A fresh queue bound to `exchange` with `key` and `args`; returns its name.
async fn bound_queue(
    ch: &Channel,
    exchange: &str,
    key: &str,
    args: FieldTable,
) -> anyhow::Result<String> {
    let name = support::unique("q");
    ch.queue_declare(
        &name,
        QueueDeclareOptions {
            auto_delete: false,
            ..Default::default()
        },
        FieldTable::default(),
    )
    .await
    .with_context(|| format!("declaring queue {name}"))?;
    ch.queue_bind(&name, exchange, key, QueueBindOptions::default(), args)
        .await
        .with_context(|| format!("binding {name} to {exchange} with {key:?}"))?;
    Ok(name)
}

/// Publishes `(key, body)` pairs, then reads every queue empty.
async fn route(
    ch: &Channel,
    exchange: &str,
    queues: &[(&str, String)],
    messages: &[(&str, &str, BasicProperties)],
) -> anyhow::Result<Routed> {
    for (key, body, props) in messages {
        support::publish(ch, exchange, key, body.as_bytes(), false, props.clone()).await?;
    }
    let mut routed = Vec::new();
    for (label, queue) in queues {
        routed.push((label.to_string(), support::drain(ch, queue).await?));
        ch.queue_delete(queue, Default::default()).await?;
    }
    Ok(routed)
}

fn plain(key: &'static str) -> (&'static str, &'static str, BasicProperties) {
    (key, key, BasicProperties::default())
}

// ANCHOR: direct
/// Direct: a queue gets a message when its binding key equals the routing key.
pub async fn direct(ch: &Channel) -> anyhow::Result<Routed> {
    let ex = exchange(ch, "direct", ExchangeKind::Direct, FieldTable::default()).await?;
    let queues = [
        (
            "bound to 'invoice'",
            bound_queue(ch, &ex, "invoice", FieldTable::default()).await?,
        ),
        (
            "bound to 'refund'",
            bound_queue(ch, &ex, "refund", FieldTable::default()).await?,
        ),
    ];
    route(
        ch,
        &ex,
        &queues,
        &[plain("invoice"), plain("refund"), plain("invoice.eu")],
    )
    .await
}
// ANCHOR_END: direct

/// Fanout: every bound queue gets every message; the key is ignored.
pub async fn fanout(ch: &Channel) -> anyhow::Result<Routed> {
    let ex = exchange(ch, "fanout", ExchangeKind::Fanout, FieldTable::default()).await?;
    let queues = [
        (
            "audit",
            bound_queue(ch, &ex, "", FieldTable::default()).await?,
        ),
        (
            "search",
            bound_queue(ch, &ex, "", FieldTable::default()).await?,
        ),
        (
            "mailer",
            bound_queue(ch, &ex, "ignored", FieldTable::default()).await?,
        ),
    ];
    route(ch, &ex, &queues, &[plain("a"), plain("b")]).await
}

// ANCHOR: topic
/// Topic: keys are dot-separated words; `*` matches exactly one word and
/// `#` matches zero or more.
pub async fn topic(ch: &Channel) -> anyhow::Result<Routed> {
    let ex = exchange(ch, "topic", ExchangeKind::Topic, FieldTable::default()).await?;
    let queues = [
        (
            "sensor.*.temp",
            bound_queue(ch, &ex, "sensor.*.temp", FieldTable::default()).await?,
        ),
        (
            "sensor.#",
            bound_queue(ch, &ex, "sensor.#", FieldTable::default()).await?,
        ),
        (
            "#.alarm",
            bound_queue(ch, &ex, "#.alarm", FieldTable::default()).await?,
        ),
    ];
    let keys = [
        plain("sensor.k1.temp"),
        plain("sensor.k1.room.temp"),
        plain("sensor"),
        plain("door.alarm"),
        plain("sensor.k1.alarm"),
    ];
    route(ch, &ex, &queues, &keys).await
}
// ANCHOR_END: topic

/// Headers: the routing key is ignored; `x-match` `all` needs every bound
/// header to match, `any` needs one.
pub async fn headers(ch: &Channel) -> anyhow::Result<Routed> {
    let ex = exchange(ch, "headers", ExchangeKind::Headers, FieldTable::default()).await?;
    let all = table([
        ("x-match", text("all")),
        ("format", text("pdf")),
        ("type", text("report")),
    ]);
    let any = table([
        ("x-match", text("any")),
        ("format", text("pdf")),
        ("type", text("log")),
    ]);
    let queues = [
        ("all: pdf+report", bound_queue(ch, &ex, "", all).await?),
        ("any: pdf|log", bound_queue(ch, &ex, "", any).await?),
    ];
    let with = |pairs: &[(&str, &str)]| {
        BasicProperties::default().with_headers(table(pairs.iter().map(|(k, v)| (*k, text(v)))))
    };
    let messages = [
        (
            "",
            "pdf report",
            with(&[("format", "pdf"), ("type", "report")]),
        ),
        (
            "",
            "pdf invoice",
            with(&[("format", "pdf"), ("type", "invoice")]),
        ),
        ("", "csv log", with(&[("format", "csv"), ("type", "log")])),
        (
            "",
            "csv report",
            with(&[("format", "csv"), ("type", "report")]),
        ),
    ];
    route(ch, &ex, &queues, &messages).await
}

/// What happened to messages no binding matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unroutable {
    /// Published with `mandatory` and returned by the broker (`basic.return`).
    pub mandatory_returned: bool,
    /// Published without `mandatory`: confirmed, yet delivered nowhere.
    pub plain_confirmed: bool,
    /// Messages now in the queue behind the alternate exchange.
    pub caught_by_alternate: Vec<String>,
}

// ANCHOR: unroutable
/// An unroutable message: dropped silently, returned with `mandatory`, or
/// caught by an alternate exchange (`alternate-exchange` argument).
pub async fn unroutable(ch: &Channel) -> anyhow::Result<Unroutable> {
    // ANCHOR: mandatory
    let bare = exchange(ch, "bare", ExchangeKind::Direct, FieldTable::default()).await?;
    let returned =
        !support::publish(ch, &bare, "nobody", b"m1", true, BasicProperties::default()).await?;
    // ANCHOR_END: mandatory
    let confirmed = support::publish(
        ch,
        &bare,
        "nobody",
        b"m2",
        false,
        BasicProperties::default(),
    )
    .await?;

    // ANCHOR: alternate
    let alternate = exchange(ch, "alt", ExchangeKind::Fanout, FieldTable::default()).await?;
    let parking = bound_queue(ch, &alternate, "", FieldTable::default()).await?;
    let args = table([(
        "alternate-exchange",
        AMQPValue::LongString(alternate.as_str().into()),
    )]);
    let guarded = exchange(ch, "guarded", ExchangeKind::Direct, args).await?;
    // ANCHOR_END: alternate
    support::publish(
        ch,
        &guarded,
        "nobody",
        b"m3",
        true,
        BasicProperties::default(),
    )
    .await?;
    let caught = support::drain(ch, &parking).await?;
    ch.queue_delete(&parking, Default::default()).await?;
    Ok(Unroutable {
        mandatory_returned: returned,
        plain_confirmed: confirmed,
        caught_by_alternate: caught,
    })
}
// ANCHOR_END: unroutable

fn show(t: &mut Table, exchange: &str, routed: &Routed) {
    for (queue, bodies) in routed {
        t.row([format!("{exchange}, {queue}"), format!("{bodies:?}")]);
    }
}

/// The scenario: every exchange type, then the unroutable cases.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let conn = support::connect(lab.broker().await?.url()).await?;
    let ch = support::confirmed_channel(&conn).await?;
    let mut t = Table::new(
        "Which queue got which message",
        &["exchange, queue (binding)", "messages received"],
    );
    show(&mut t, "direct", &direct(&ch).await?);
    show(&mut t, "fanout", &fanout(&ch).await?);
    show(&mut t, "topic", &topic(&ch).await?);
    show(&mut t, "headers", &headers(&ch).await?);
    let u = unroutable(&ch).await?;
    let mut t2 = Table::new("A message no binding matches", &["case", "outcome"]);
    t2.row([
        "mandatory=true, no binding",
        if u.mandatory_returned {
            "returned to the publisher (basic.return)"
        } else {
            "not returned"
        },
    ]);
    t2.row([
        "mandatory=false, no binding",
        if u.plain_confirmed {
            "confirmed, then dropped: nobody is told"
        } else {
            "not confirmed"
        },
    ]);
    t2.row([
        "exchange with an alternate exchange".to_string(),
        format!(
            "caught by the alternate's queue: {:?}",
            u.caught_by_alternate
        ),
    ]);
    let mut report = Report::new(crate::LAB, "routing");
    report.table(t).table(t2);
    conn.close(200, "done").await.ok();
    Ok(report)
}
