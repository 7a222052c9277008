//! Wrong: the binding key puts the event before the region (`order.<event>.<region>`), so nothing matches.

use lapin::Channel;
use lapin::options::{QueueBindOptions, QueueDeclareOptions};
use lapin::types::FieldTable;

pub async fn subscribe(
    ch: &Channel,
    exchange: &str,
    queue: &str,
    region: Option<&str>,
    event: Option<&str>,
) -> anyhow::Result<()> {
    ch.queue_declare(queue, QueueDeclareOptions::default(), FieldTable::default())
        .await?;
    let key = format!("order.{}.{}", event.unwrap_or("*"), region.unwrap_or("*"));
    ch.queue_bind(
        queue,
        exchange,
        &key,
        QueueBindOptions::default(),
        FieldTable::default(),
    )
    .await?;
    Ok(())
}
