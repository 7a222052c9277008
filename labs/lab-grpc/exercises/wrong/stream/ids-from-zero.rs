//! Wrong: the id is taken before it is incremented, so the events are numbered 0, 1, 2… instead of 1, 2, 3….

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
        let mut sent = 0u32;
        while count == 0 || sent < count {
            let event = Event {
                id: u64::from(sent),
                kind: "charge.succeeded".into(),
            };
            if tx.send(Ok(event)).await.is_err() {
                return;
            }
            sent += 1;
            counters.produced.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(interval_ms.into())).await;
        }
    });
    ReceiverStream::new(rx)
}
