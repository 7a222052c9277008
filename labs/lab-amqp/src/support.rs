//! The plumbing every scenario shares: connecting with an error that says
//! what to do, names no other run will use, publishing with confirms, and
//! reading a queue empty.
//!
//! Kept apart so each scenario file shows only the AMQP idea it teaches.

use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, bail};
use lapin::options::{
    BasicGetOptions, BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions,
};
use lapin::publisher_confirm::Confirmation;
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties, ErrorKind};

/// Connects to `url`, or fails with one line naming the fix.
pub async fn connect(url: &str) -> anyhow::Result<Connection> {
    Connection::connect(url, ConnectionProperties::default())
        .await
        .with_context(|| {
            format!(
                "cannot open an AMQP connection to {} (is RabbitMQ running there? set AMQP_URL=amqp://user:pass@host:5672/%2f, or install rabbitmq-server and let the lab start its own)",
                labkit::broker::mask(url)
            )
        })
}

/// A channel in confirm mode: every publish is answered by the broker.
pub async fn confirmed_channel(conn: &Connection) -> anyhow::Result<Channel> {
    let ch = conn.create_channel().await.context("opening a channel")?;
    // ANCHOR: confirm_select
    ch.confirm_select(ConfirmSelectOptions::default())
        .await
        .context("turning on publisher confirms")?;
    // ANCHOR_END: confirm_select
    Ok(ch)
}

/// A name no earlier run (or other test on the same broker) has used.
pub fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "lab.{prefix}.{}.{nanos}.{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Publishes on a confirm-mode channel and says what the broker answered:
/// `Ok(true)` routed and acked, `Ok(false)` returned as unroutable (only
/// with `mandatory`), an error if the broker refused it (nack).
pub async fn publish(
    ch: &Channel,
    exchange: &str,
    key: &str,
    body: &[u8],
    mandatory: bool,
    props: BasicProperties,
) -> anyhow::Result<bool> {
    let confirm = ch
        .basic_publish(
            exchange,
            key,
            BasicPublishOptions {
                mandatory,
                ..BasicPublishOptions::default()
            },
            body,
            props,
        )
        .await
        .with_context(|| format!("publishing to exchange {exchange:?}"))?
        .await
        .with_context(|| format!("waiting for the confirm from exchange {exchange:?}"))?;
    // ANCHOR: confirm_answer
    match confirm {
        Confirmation::Ack(None) | Confirmation::NotRequested => Ok(true),
        Confirmation::Ack(Some(_)) => Ok(false),
        Confirmation::Nack(_) => bail!("the broker refused (nacked) a message to {exchange:?}"),
    }
    // ANCHOR_END: confirm_answer
}

/// Reads a queue empty with `basic.get` (auto-ack) and returns the bodies.
pub async fn drain(ch: &Channel, queue: &str) -> anyhow::Result<Vec<String>> {
    let mut bodies = Vec::new();
    while let Some(msg) = ch
        .basic_get(queue, BasicGetOptions { no_ack: true })
        .await
        .with_context(|| format!("reading queue {queue}"))?
    {
        bodies.push(String::from_utf8_lossy(&msg.delivery.data).into_owned());
    }
    Ok(bodies)
}

/// A field table from `(key, value)` pairs, for queue arguments and headers.
pub fn table<'a>(pairs: impl IntoIterator<Item = (&'a str, AMQPValue)>) -> FieldTable {
    let mut t = FieldTable::default();
    for (k, v) in pairs {
        t.insert(ShortString::from(k), v);
    }
    t
}

/// A long-string field value.
pub fn text(s: &str) -> AMQPValue {
    AMQPValue::LongString(s.into())
}

/// A persistent message's properties (delivery mode 2).
pub fn persistent() -> BasicProperties {
    BasicProperties::default().with_delivery_mode(2)
}

/// A transient message's properties (delivery mode 1).
pub fn transient() -> BasicProperties {
    BasicProperties::default().with_delivery_mode(1)
}

/// Messages ready in `queue`, or `None` if the broker says it does not exist
/// (404). A passive declare asks without creating it.
pub async fn queue_depth(conn: &Connection, queue: &str) -> anyhow::Result<Option<u32>> {
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    ask_passively(conn, queue, |ch| async move {
        ch.queue_declare(queue, passive, FieldTable::default())
            .await
            .map(|q| q.message_count())
    })
    .await
}

/// Runs a passive declare of `name` (`ask`, on a channel of its own: a
/// refusal closes the channel) and gives `None` only if the broker answers
/// 404 NOT_FOUND. Any other refusal (a broker still busy after a restart,
/// say) is asked again for up to 5 s, then returned as an error: "not there"
/// must mean the broker said so, never that it was busy.
pub async fn ask_passively<T, F, Fut>(
    conn: &Connection,
    name: &str,
    ask: F,
) -> anyhow::Result<Option<T>>
where
    F: Fn(Channel) -> Fut,
    Fut: std::future::Future<Output = lapin::Result<T>>,
{
    let mut tries = 0;
    loop {
        let ch = conn.create_channel().await.context("opening a channel")?;
        match ask(ch).await {
            Ok(answer) => return Ok(Some(answer)),
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(_) if tries < 20 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
            Err(e) => return Err(e).with_context(|| format!("asking the broker about {name}")),
        }
    }
}

/// Whether the broker answered 404 NOT_FOUND.
fn is_not_found(e: &lapin::Error) -> bool {
    matches!(e.kind(), ErrorKind::ProtocolError(amqp) if amqp.get_id() == 404)
}
