//! Waits until ten lookups are queued before fetching, so a smaller batch never gets an answer.
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
    let mut batch = Vec::new();
    while let Some(next) = waiting.recv().await {
        batch.push(next);
        if batch.len() < 10 {
            continue;
        }
        let mut ids: Vec<u64> = batch.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        let names = fetch(ids).await;
        for (id, reply) in batch.drain(..) {
            let _ = reply.send(names.get(&id).cloned());
        }
    }
}
// ANCHOR_END: dispatch
