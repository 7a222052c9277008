//! Wrong: persistent messages and counted confirms, but the queue itself is not durable, so the restart deletes it.

use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection};

pub async fn publish_all(
    conn: &Connection,
    queue: &str,
    messages: &[String],
) -> anyhow::Result<usize> {
    let ch = conn.create_channel().await?;
    ch.confirm_select(ConfirmSelectOptions::default()).await?;
    ch.queue_declare(queue, QueueDeclareOptions::default(), FieldTable::default())
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
