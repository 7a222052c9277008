//! Wrong: the result of `send` is thrown away, so the task keeps producing events after the client has gone.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use lab_grpc::proto::v1::Event;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Status;

use crate::support::Counters;

/// The events of one `WatchEvents` call.
pub fn events(
    count: u32,
    interval_ms: u32,
    counters: Arc<Counters>,
) -> ReceiverStream<Result<Event, Status>> {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        let mut id = 0u64;
        while count == 0 || id < u64::from(count) {
            id += 1;
            let event = Event {
                id,
                kind: "charge.succeeded".into(),
            };
            let _ = tx.send(Ok(event)).await;
            counters.produced.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(interval_ms.into())).await;
        }
    });
    ReceiverStream::new(rx)
}
