//! Reference solution for `amqp-confirms`: a durable queue, persistent
//! messages (delivery mode 2), and confirm mode; only acknowledged publishes
//! are counted. RabbitMQ acks a persistent message to a durable queue once
//! it is written to disk, so a crash after the ack cannot lose it.

use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection};

// ANCHOR: solution
pub async fn publish_all(
    conn: &Connection,
    queue: &str,
    messages: &[String],
) -> anyhow::Result<usize> {
    let ch = conn.create_channel().await?;
    ch.confirm_select(ConfirmSelectOptions::default()).await?;
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.queue_declare(queue, durable, FieldTable::default())
        .await?;
    let persistent = BasicProperties::default().with_delivery_mode(2);
    let mut pending = Vec::with_capacity(messages.len());
    for m in messages {
        pending.push(
            ch.basic_publish(
                "",
                queue,
                BasicPublishOptions::default(),
                m.as_bytes(),
                persistent.clone(),
            )
            .await?,
        );
    }
    let mut confirmed = 0;
    for p in pending {
        if p.await?.is_ack() {
            confirmed += 1;
        }
    }
    Ok(confirmed)
}
// ANCHOR_END: solution
