//! Wrong: a durable queue and persistent messages, but no confirms: it returns how many it sent, not how many the broker took.

use lapin::options::{BasicPublishOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection};

pub async fn publish_all(
    conn: &Connection,
    queue: &str,
    messages: &[String],
) -> anyhow::Result<usize> {
    let ch = conn.create_channel().await?;
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.queue_declare(queue, durable, FieldTable::default())
        .await?;
    let persistent = BasicProperties::default().with_delivery_mode(2);
    for m in messages {
        ch.basic_publish(
            "",
            queue,
            BasicPublishOptions::default(),
            m.as_bytes(),
            persistent.clone(),
        )
        .await?;
    }
    Ok(messages.len())
}
