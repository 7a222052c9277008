//! Exercise `amqp-topic-bus`: an event bus on a topic exchange.
//!
//! Order events are published with routing keys `order.<region>.<event>`,
//! e.g. `order.eu.created` or `order.us.refunded`. `subscribe` declares a
//! service's own queue and binds it so that it receives exactly the events
//! it asked for: `region` `None` means every region, `event` `None` means
//! every event. The exchange carries other traffic too: invoice events
//! (`invoice.<region>.<event>`) and the four-word keys another team uses to
//! replay history (`order.<region>.<event>.replay`); no service here wants
//! either. Today every service binds `#` and gets everything.
//!
//! Grade it: `cargo exercises grade amqp-topic-bus`.

use lapin::Channel;
use lapin::options::{QueueBindOptions, QueueDeclareOptions};
use lapin::types::FieldTable;

// ANCHOR: starter
pub async fn subscribe(
    ch: &Channel,
    exchange: &str,
    queue: &str,
    region: Option<&str>,
    event: Option<&str>,
) -> anyhow::Result<()> {
    ch.queue_declare(queue, QueueDeclareOptions::default(), FieldTable::default())
        .await?;
    // TODO: build the binding key from `region` and `event`.
    let _ = (region, event);
    ch.queue_bind(
        queue,
        exchange,
        "#",
        QueueBindOptions::default(),
        FieldTable::default(),
    )
    .await?;
    Ok(())
}
// ANCHOR_END: starter
