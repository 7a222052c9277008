//! Exercise `grpc-stream`: a server stream that ends when the client leaves.
//!
//! `WatchEvents` asks for `count` events (0 means "until I hang up"), one
//! every `interval_ms`. Return a stream that yields events with ids 1, 2, 3…
//! in order, and ends after `count` of them. Count each event you produce in
//! `counters.produced`. When the client goes away, stop producing: a server
//! that keeps working for nobody wastes its CPU.
//!
//! The stream is the receiving end of a channel; a task you spawn sends into
//! the other end. `send` fails once the client has gone: that is your signal.

use std::sync::Arc;

use lab_grpc::proto::v1::Event;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Status;

use crate::support::Counters;

// ANCHOR: starter
/// The events of one `WatchEvents` call.
pub fn events(
    count: u32,
    interval_ms: u32,
    counters: Arc<Counters>,
) -> ReceiverStream<Result<Event, Status>> {
    let (_tx, rx) = tokio::sync::mpsc::channel(4);
    let _ = (count, interval_ms, counters);
    // TODO: spawn a task that sends the events into `_tx`.
    ReceiverStream::new(rx)
}
// ANCHOR_END: starter
