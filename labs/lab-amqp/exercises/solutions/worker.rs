//! Reference solution for `amqp-worker`: prefetch 1, manual acknowledgement
//! after the work is done. A crash before the ack sends the job back to the
//! queue, flagged redelivered, for another worker.

use std::future::Future;

use futures::StreamExt;
use lapin::Connection;
use lapin::options::{BasicAckOptions, BasicConsumeOptions, BasicQosOptions};
use lapin::types::FieldTable;

// ANCHOR: solution
pub async fn run_worker<F, Fut>(conn: &Connection, queue: &str, handle: F) -> anyhow::Result<()>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let ch = conn.create_channel().await?;
    ch.basic_qos(1, BasicQosOptions::default()).await?; // hold one job at a time
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
        delivery.acker.ack(BasicAckOptions::default()).await?; // only now is it done
    }
    Ok(())
}
// ANCHOR_END: solution
