//! Wrong: a consumer without a durable name that delivers only new charges: each run misses what came while it was away.
//!
//! A known-wrong answer to `contenders-jetstream-resume`, which the grading
//! tests must refuse (`cargo exercises verify` checks that they do).

use async_nats::jetstream::{self, AckKind, consumer};
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
    let consumer = stream
        .create_consumer(consumer::pull::Config {
            deliver_policy: consumer::DeliverPolicy::New,
            ack_policy: consumer::AckPolicy::Explicit,
            ..Default::default()
        })
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
        if let Err(failed) = process(sequence, &message.payload) {
            // Give it back at once, so the next run starts with it.
            message
                .double_ack_with(AckKind::Nak(None))
                .await
                .map_err(|e| anyhow::anyhow!(e))?;
            return Err(failed);
        }
        // Acknowledged only once handled, and confirmed by the server.
        message.double_ack().await.map_err(|e| anyhow::anyhow!(e))?;
        handled += 1;
    }
}
// ANCHOR_END: starter
