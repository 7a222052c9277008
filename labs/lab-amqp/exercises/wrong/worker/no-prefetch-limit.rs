//! Wrong: it acknowledges after the work but sets no prefetch, so one worker takes every waiting job and the others starve.

use std::future::Future;

use futures::StreamExt;
use lapin::Connection;
use lapin::options::{BasicAckOptions, BasicConsumeOptions};
use lapin::types::FieldTable;

pub async fn run_worker<F, Fut>(conn: &Connection, queue: &str, handle: F) -> anyhow::Result<()>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let ch = conn.create_channel().await?;
    let mut jobs = ch
        .basic_consume(
            queue,
            "",
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    while let Some(delivery) = jobs.next().await {
        let delivery = delivery?;
        handle(String::from_utf8_lossy(&delivery.data).into_owned()).await;
        delivery.acker.ack(BasicAckOptions::default()).await?;
    }
    Ok(())
}
