//! Wrong: acknowledges each charge before handling it, so one that then fails is never delivered again.
//!
//! A known-wrong answer to `contenders-jetstream-resume`, which the grading
//! tests must refuse (`cargo exercises verify` checks that they do).

use async_nats::jetstream::{self, consumer};
use futures::StreamExt;

/// The stream the charges are published to (the grader creates it).
pub const STREAM: &str = "CHARGES";
/// The worker's name.
pub const WORKER: &str = "charge-worker";

// ANCHOR: starter
/// One run of the worker: hands each charge it has not handled before to
/// `process`, with its stream sequence, in stream order, and returns how
/// many it handled once none is left. If `process` fails, the run stops
/// there with that error; the charge that failed must be the first one
/// the next run handles.
pub async fn run_worker(
    js: &jetstream::Context,
    mut process: impl FnMut(u64, &[u8]) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let stream = js.get_stream(STREAM).await?;
    // A durable consumer: the server keeps its position under WORKER's
    // name between runs, from the first charge in the stream on.
    let consumer = stream
        .get_or_create_consumer(
            WORKER,
            consumer::pull::Config {
                durable_name: Some(WORKER.into()),
                deliver_policy: consumer::DeliverPolicy::All,
                ack_policy: consumer::AckPolicy::Explicit,
                ..Default::default()
            },
        )
        .await?;
    let mut handled = 0;
    loop {
        // One charge at a time; when none is left the fetch ends at once.
        let mut fetched = consumer.fetch().max_messages(1).messages().await?;
        let Some(message) = fetched.next().await else {
            return Ok(handled);
        };
        let message = message.map_err(|e| anyhow::anyhow!(e))?;
        let sequence = message
            .info()
            .map_err(|e| anyhow::anyhow!(e))?
            .stream_sequence;
        message.double_ack().await.map_err(|e| anyhow::anyhow!(e))?;
        process(sequence, &message.payload)?;
        handled += 1;
    }
}
// ANCHOR_END: starter
