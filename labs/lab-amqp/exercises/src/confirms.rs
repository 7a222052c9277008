//! Exercise `amqp-confirms`: a publisher that never loses a confirmed message.
//!
//! `publish_all` declares `queue`, publishes every message into it and
//! returns how many the broker has *confirmed* it holds — not how many you
//! sent: a broker may refuse a message (a nack), as a full queue does. The
//! grading test caps the queue with a policy so that some are refused, then
//! crashes the broker (SIGKILL — nothing is flushed on the way down),
//! starts it again and counts the queue: it must hold every message you
//! said was confirmed.
//!
//! Today the queue is transient, the messages are transient, nothing is
//! confirmed, and the function just returns how many it *sent*.
//!
//! Grade it: `cargo exercises grade amqp-confirms`.

use lapin::options::{BasicPublishOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection};

// ANCHOR: starter
pub async fn publish_all(
    conn: &Connection,
    queue: &str,
    messages: &[String],
) -> anyhow::Result<usize> {
    let ch = conn.create_channel().await?;
    // TODO: a queue that survives a restart, messages that do too, and
    // publisher confirms so the count you return is the broker's, not yours.
    ch.queue_declare(queue, QueueDeclareOptions::default(), FieldTable::default())
        .await?;
    for m in messages {
        ch.basic_publish(
            "",
            queue,
            BasicPublishOptions::default(),
            m.as_bytes(),
            BasicProperties::default(),
        )
        .await?;
    }
    Ok(messages.len())
}
// ANCHOR_END: starter
