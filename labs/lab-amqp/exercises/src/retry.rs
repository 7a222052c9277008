//! Exercise `amqp-retry`: retry a failing message a few times, then park it.
//!
//! `declare_pipeline` must declare the queue `work`, where jobs arrive, and
//! the queue `dead`, where a job goes once it has failed too often. The
//! grading test's consumer fails every job with `nack(requeue = true)`.
//! Today `work` is a plain classic queue, so a failing job comes back
//! forever and `dead` never hears of it.
//!
//! Make the broker count deliveries and, after `retries` redeliveries (so
//! `1 + retries` deliveries in all), dead-letter the job into `dead`. No
//! consumer code changes: RabbitMQ can do this by itself for one queue type.
//!
//! Grade it: `cargo exercises grade amqp-retry`.

use lapin::Channel;
use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;

// ANCHOR: starter
pub async fn declare_pipeline(
    ch: &Channel,
    work: &str,
    dead: &str,
    retries: u32,
) -> anyhow::Result<()> {
    // TODO: declare `dead`, a dead-letter exchange that routes to it, and
    // `work` with the arguments that cap deliveries at 1 + `retries`.
    let _ = (dead, retries);
    ch.queue_declare(work, QueueDeclareOptions::default(), FieldTable::default())
        .await?;
    Ok(())
}
// ANCHOR_END: starter
