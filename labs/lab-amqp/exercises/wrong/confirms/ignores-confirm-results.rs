//! Wrong: it awaits every confirm but ignores the answer, so a message the broker nacked is counted as stored.

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
    let persistent = BasicProperties::default().with_delivery_mode(2);
    let mut confirmed = 0;
    for m in messages {
        ch.basic_publish(
            "",
            queue,
            BasicPublishOptions::default(),
            m.as_bytes(),
            persistent.clone(),
        )
        .await?
        .await?; // the broker answered — but was it an ack or a nack?
        confirmed += 1;
    }
    Ok(confirmed)
}
