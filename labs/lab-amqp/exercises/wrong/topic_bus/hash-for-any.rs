//! Wrong: `#` for "any", which matches any number of words, so the replay keys (`order.eu.created.replay`) get through.

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
    let key = format!("order.{}.{}", region.unwrap_or("#"), event.unwrap_or("#"));
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
