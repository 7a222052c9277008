//! Exercise `amqp-worker`: a worker that never loses a job.
//!
//! `run_worker` consumes jobs from `queue` and calls `handle` on each body.
//! The grading test kills the worker's connection in the middle of the run
//! and starts a second worker: every job must still be handled by someone.
//!
//! Today the worker consumes with `no_ack` (the broker forgets a message the
//! moment it sends it) and lets the broker push as many as it likes. Make it
//! so a job is only forgotten once `handle` has finished with it, and so a
//! worker holds at most one job it has not finished.
//!
//! Grade it: `cargo exercises grade amqp-worker`.

use std::future::Future;

use futures::StreamExt;
use lapin::Connection;
use lapin::options::BasicConsumeOptions;
use lapin::types::FieldTable;

// ANCHOR: starter
pub async fn run_worker<F, Fut>(conn: &Connection, queue: &str, handle: F) -> anyhow::Result<()>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let ch = conn.create_channel().await?;
    // TODO: limit unacknowledged jobs, consume without no_ack, and
    // acknowledge each job after `handle` returns.
    let options = BasicConsumeOptions {
        no_ack: true,
        ..Default::default()
    };
    let mut jobs = ch
        .basic_consume(queue, "", options, FieldTable::default())
        .await?;
    while let Some(delivery) = jobs.next().await {
        let delivery = delivery?;
        handle(String::from_utf8_lossy(&delivery.data).into_owned()).await;
    }
    Ok(())
}
// ANCHOR_END: starter
