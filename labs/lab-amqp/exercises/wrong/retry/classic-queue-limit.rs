//! Wrong: `x-delivery-limit` on a classic queue, which does not count deliveries: the broker refuses the argument.

use lapin::options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions};
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::{Channel, ExchangeKind};

pub async fn declare_pipeline(
    ch: &Channel,
    work: &str,
    dead: &str,
    retries: u32,
) -> anyhow::Result<()> {
    let dlx = format!("{dead}.dlx");
    ch.exchange_declare(
        &dlx,
        ExchangeKind::Fanout,
        ExchangeDeclareOptions::default(),
        FieldTable::default(),
    )
    .await?;
    ch.queue_declare(dead, QueueDeclareOptions::default(), FieldTable::default())
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
        ShortString::from("x-delivery-limit"),
        AMQPValue::LongInt(retries as i32),
    );
    args.insert(
        ShortString::from("x-dead-letter-exchange"),
        AMQPValue::LongString(dlx.as_str().into()),
    );
    ch.queue_declare(work, QueueDeclareOptions::default(), args)
        .await?;
    Ok(())
}
