//! Claims of "Batching as an effect": the same application code costs N
//! requests under the plain handler and one under the batcher, counted on
//! the wire by labkit's proxy.

use lab_frontier::batching::{Handler, cost, name_of, statement};

#[tokio::test]
async fn one_by_one_sends_one_request_per_lookup() {
    let ids = statement(20);
    let c = cost(Handler::OneByOne, &ids).await.unwrap();
    assert_eq!(c.requests, 20);
    assert_eq!(c.ids_sent, 20);
}

#[tokio::test]
async fn the_batcher_sends_one_request_naming_each_distinct_id_once() {
    let ids = statement(20);
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(
        distinct.len() < ids.len(),
        "the statement repeats a customer"
    );
    let c = cost(Handler::Batched, &ids).await.unwrap();
    assert_eq!(c.requests, 1);
    assert_eq!(c.ids_sent, distinct.len());
    let expected: Vec<String> = ids.iter().map(|id| name_of(&id.to_string())).collect();
    assert_eq!(
        c.names, expected,
        "each caller got its own answer, in order"
    );
}
