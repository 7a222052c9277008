//! Plumbing the exercises and their grading tests share. Connecting, fresh
//! names and reading a queue empty are the lab's own helpers
//! ([`lab_amqp::support`]), so the exercises and Chapter 5's lab behave
//! alike; only a queue's depth is added here. Nothing to edit here.

use lapin::Connection;
use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;

pub use lab_amqp::support::{connect, drain, unique};

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

/// One message for the `amqp-failover` publisher: an id that stays the same
/// however often it is sent, and a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    pub body: String,
}
