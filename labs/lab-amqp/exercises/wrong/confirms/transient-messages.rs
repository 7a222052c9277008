//! Wrong: confirms counted and the queue durable, but the messages are transient, so the queue comes back empty.

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
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.queue_declare(queue, durable, FieldTable::default())
        .await?;
    let mut pending = Vec::with_capacity(messages.len());
    for m in messages {
        pending.push(
            ch.basic_publish(
                "",
                queue,
                BasicPublishOptions::default(),
                m.as_bytes(),
                BasicProperties::default(), // delivery mode unset: transient
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
