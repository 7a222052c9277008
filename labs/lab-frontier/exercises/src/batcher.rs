//! Exercise `frontier-batcher`: the loop at the heart of a DataLoader-style
//! batcher.
//!
//! Callers each queue one lookup — an id and a channel for the answer —
//! without knowing about each other. The loop takes every lookup that is
//! queued, asks the backend once for all the distinct ids, and hands each
//! caller the answer for its own id.

use std::collections::HashMap;

use tokio::sync::{mpsc, oneshot};

/// One queued lookup: the id, and where its answer goes.
pub type Waiting = (u64, oneshot::Sender<Option<String>>);

// ANCHOR: dispatch
/// Serve lookups from `waiting` until every caller is gone. `fetch` is one
/// round trip to the backend: it takes ids and answers `id → name` for
/// those it knows.
pub async fn dispatch<F, Fut>(mut waiting: mpsc::UnboundedReceiver<Waiting>, fetch: F)
where
    F: Fn(Vec<u64>) -> Fut,
    Fut: Future<Output = HashMap<u64, String>>,
{
    // TODO: this answers every lookup with its own round trip. Take every
    // lookup already queued (`try_recv`), fetch the distinct ids once, and
    // send each caller the name for its own id.
    while let Some((id, reply)) = waiting.recv().await {
        let names = fetch(vec![id]).await;
        let _ = reply.send(names.get(&id).cloned());
    }
}
// ANCHOR_END: dispatch
