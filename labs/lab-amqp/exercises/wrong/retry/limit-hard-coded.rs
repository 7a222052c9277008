//! Wrong: the delivery limit is the literal 3 from the example, not `retries`.

use lapin::options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions};
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::{Channel, ExchangeKind};

pub async fn declare_pipeline(
    ch: &Channel,
    work: &str,
    dead: &str,
    _retries: u32,
) -> anyhow::Result<()> {
    let dlx = format!("{dead}.dlx");
    let durable = || QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.exchange_declare(
        &dlx,
        ExchangeKind::Fanout,
        ExchangeDeclareOptions::default(),
        FieldTable::default(),
    )
    .await?;
    ch.queue_declare(dead, durable(), FieldTable::default())
        .await?;
    ch.queue_bind(
        dead,
        &dlx,
        "",
        QueueBindOptions::default(),
        FieldTable::default(),
    )
    .await?;
    let mut args = FieldTable::default();
    args.insert(
        ShortString::from("x-queue-type"),
        AMQPValue::LongString("quorum".into()),
    );
    args.insert(ShortString::from("x-delivery-limit"), AMQPValue::LongInt(3));
    args.insert(
        ShortString::from("x-dead-letter-exchange"),
        AMQPValue::LongString(dlx.as_str().into()),
    );
    ch.queue_declare(work, durable(), args).await?;
    Ok(())
}
