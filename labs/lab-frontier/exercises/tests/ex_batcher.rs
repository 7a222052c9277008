//! Grading tests for `frontier-batcher`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::join_all;
use lab_frontier_exercises::batcher::{Waiting, dispatch};
use labkit::grade::{expect, expect_eq};
use tokio::sync::{mpsc, oneshot};

/// Every fetch the backend saw: the ids it was asked for.
type Fetches = Arc<Mutex<Vec<Vec<u64>>>>;

/// Starts the batcher over a backend that records every fetch; returns
/// the queue and the record.
fn start() -> (mpsc::UnboundedSender<Waiting>, Fetches) {
    let fetches = Arc::new(Mutex::new(Vec::new()));
    let seen = fetches.clone();
    let (queue, waiting) = mpsc::unbounded_channel();
    tokio::spawn(dispatch(waiting, move |ids: Vec<u64>| {
        seen.lock().unwrap().push(ids.clone());
        async move {
            ids.into_iter()
                .filter(|id| *id != 404)
                .map(|id| (id, format!("customer-{id}")))
                .collect::<HashMap<_, _>>()
        }
    }));
    (queue, fetches)
}

/// One caller's lookup, as application code would make it.
async fn lookup(queue: &mpsc::UnboundedSender<Waiting>, id: u64) -> Option<String> {
    let (reply, answer) = oneshot::channel();
    queue.send((id, reply)).ok()?;
    tokio::time::timeout(Duration::from_secs(2), answer)
        .await
        .ok()?
        .ok()?
}

#[tokio::test]
async fn lookups_made_together_cost_one_fetch_each_id_once() {
    let (queue, fetches) = start();
    let ids = [7, 3, 9, 3, 12, 7, 1, 9, 5, 3];
    let names = join_all(ids.iter().map(|&id| lookup(&queue, id))).await;
    let want: Vec<Option<String>> = ids
        .iter()
        .map(|id| Some(format!("customer-{id}")))
        .collect();
    expect_eq(names, want, "each caller gets the name for its own id");
    let fetches = fetches.lock().unwrap().clone();
    expect_eq(fetches.len(), 1, "ten lookups made together cost one fetch");
    let mut asked = fetches[0].clone();
    asked.sort_unstable();
    expect_eq(
        asked,
        vec![1, 3, 5, 7, 9, 12],
        "the fetch names each distinct id once",
    );
}

#[tokio::test]
async fn a_lone_lookup_is_answered_and_an_unknown_id_gets_none() {
    let (queue, _fetches) = start();
    expect_eq(
        lookup(&queue, 42).await,
        Some("customer-42".to_string()),
        "a single lookup is answered without waiting for others",
    );
    let names = join_all([lookup(&queue, 404), lookup(&queue, 8)]).await;
    expect(
        names == [None, Some("customer-8".to_string())],
        "an id the backend does not know gets None, the other its name",
        &names,
    );
}
