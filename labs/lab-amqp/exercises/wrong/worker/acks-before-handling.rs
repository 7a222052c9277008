//! Wrong: it acknowledges each job as it arrives, before `handle` runs, so the job a worker dies holding is gone.

use std::future::Future;

use futures::StreamExt;
use lapin::Connection;
use lapin::options::{BasicAckOptions, BasicConsumeOptions, BasicQosOptions};
use lapin::types::FieldTable;

pub async fn run_worker<F, Fut>(conn: &Connection, queue: &str, handle: F) -> anyhow::Result<()>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let ch = conn.create_channel().await?;
    ch.basic_qos(1, BasicQosOptions::default()).await?;
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
        delivery.acker.ack(BasicAckOptions::default()).await?; // too early
        handle(String::from_utf8_lossy(&delivery.data).into_owned()).await;
    }
    Ok(())
}
