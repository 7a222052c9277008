//! Wrong: a quorum queue with a delivery limit but no dead-letter exchange, so the job is dropped instead of parked.

use lapin::Channel;
use lapin::options::QueueDeclareOptions;
use lapin::types::{AMQPValue, FieldTable, ShortString};

pub async fn declare_pipeline(
    ch: &Channel,
    work: &str,
    dead: &str,
    retries: u32,
) -> anyhow::Result<()> {
    let durable = || QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.queue_declare(dead, durable(), FieldTable::default())
        .await?;
    let mut args = FieldTable::default();
    args.insert(
        ShortString::from("x-queue-type"),
        AMQPValue::LongString("quorum".into()),
    );
    args.insert(
        ShortString::from("x-delivery-limit"),
        AMQPValue::LongInt(retries as i32),
    );
    ch.queue_declare(work, durable(), args).await?;
    Ok(())
}
