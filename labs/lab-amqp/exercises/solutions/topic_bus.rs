//! Reference solution for `amqp-topic-bus`: `*` stands for exactly one word,
//! so "any region" and "any event" are each a `*` in their place.

use lapin::Channel;
use lapin::options::{QueueBindOptions, QueueDeclareOptions};
use lapin::types::FieldTable;

// ANCHOR: solution
pub async fn subscribe(
    ch: &Channel,
    exchange: &str,
    queue: &str,
    region: Option<&str>,
    event: Option<&str>,
) -> anyhow::Result<()> {
    ch.queue_declare(queue, QueueDeclareOptions::default(), FieldTable::default())
        .await?;
    let key = format!("order.{}.{}", region.unwrap_or("*"), event.unwrap_or("*"));
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
// ANCHOR_END: solution
