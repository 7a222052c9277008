//! Wrong: "everything" bound as `order.#`, which also takes the four-word replay keys.

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
    let key = match (region, event) {
        (None, None) => "order.#".to_string(),
        _ => format!("order.{}.{}", region.unwrap_or("*"), event.unwrap_or("*")),
    };
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
