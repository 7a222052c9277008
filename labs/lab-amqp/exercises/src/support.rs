//! Plumbing the exercises and their grading tests share: a connection, a
//! fresh name, a queue's depth, reading a queue empty. Nothing to edit here.

use anyhow::Context;
use lapin::options::{BasicGetOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{Channel, Connection, ConnectionProperties};

/// Connects, or fails with one line naming the fix.
pub async fn connect(url: &str) -> anyhow::Result<Connection> {
    Connection::connect(url, ConnectionProperties::default())
        .await
        .with_context(|| {
            "cannot reach RabbitMQ (set AMQP_URL or install rabbitmq-server)".to_string()
        })
}

/// A name no other run uses.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("ex.{prefix}.{}.{nanos}", std::process::id())
}

/// Messages ready in `queue`, or `None` if it does not exist.
pub async fn depth(conn: &Connection, queue: &str) -> anyhow::Result<Option<u32>> {
    let ch = conn.create_channel().await?;
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    Ok(ch
        .queue_declare(queue, passive, FieldTable::default())
        .await
        .ok()
        .map(|q| q.message_count()))
}

/// Reads a queue empty and returns the bodies.
pub async fn drain(ch: &Channel, queue: &str) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    while let Some(m) = ch
        .basic_get(queue, BasicGetOptions { no_ack: true })
        .await?
    {
        out.push(String::from_utf8_lossy(&m.delivery.data).into_owned());
    }
    Ok(out)
}
