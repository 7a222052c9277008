//! Hands out the answers in the order of the sorted ids, not by each caller's own id.
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
    while let Some(first) = waiting.recv().await {
        let mut batch = vec![first];
        while let Ok(more) = waiting.try_recv() {
            batch.push(more);
        }
        let mut ids: Vec<u64> = batch.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        let names = fetch(ids.clone()).await;
        for (i, (_, reply)) in batch.into_iter().enumerate() {
            let id = ids[i.min(ids.len() - 1)];
            let _ = reply.send(names.get(&id).cloned());
        }
    }
}
// ANCHOR_END: dispatch
