//! Claims of "Reactive queries": a live query fed by PostgreSQL's logical
//! decoding (a private server the test starts) against polling.

use lab_frontier::live_query::Delta;
use lab_frontier::reactive::{FLICKER_ID, measure};

#[tokio::test]
async fn the_stream_turns_each_commit_into_exactly_the_result_changes() {
    let o = measure().await.unwrap();
    assert_eq!(
        o.stream.batches.len(),
        o.writes.len(),
        "one batch per commit"
    );
    for (w, (_, seen)) in o.writes.iter().zip(&o.stream.batches) {
        let (mut seen, mut truth) = (seen.clone(), w.truth.clone());
        seen.sort();
        truth.sort();
        assert_eq!(seen, truth, "after {}", w.sql);
    }
    assert_eq!(
        o.live_rows, o.final_rows,
        "the live result is the query's result"
    );
}

#[tokio::test]
async fn polling_never_sees_a_row_that_came_and_went_between_polls() {
    let o = measure().await.unwrap();
    let flicker = |d: &Delta| matches!(d, Delta::Plus { id, .. } | Delta::Minus { id, .. } if *id == FLICKER_ID);
    assert_eq!(o.stream.deltas().iter().filter(|d| flicker(d)).count(), 2);
    assert_eq!(o.polling.deltas().iter().filter(|d| flicker(d)).count(), 0);
}

#[tokio::test]
async fn a_poll_after_an_interval_without_writes_still_carries_every_row() {
    let o = measure().await.unwrap();
    let (_, quiet) = o.polling.batches.last().unwrap();
    assert!(quiet.is_empty(), "nothing changed in the last interval");
    let &(bytes, rows) = o.polling.answers.last().unwrap();
    assert!(rows >= 3, "the result has {rows} rows");
    // A DataRow of two columns is at least 15 bytes: type, length, column
    // count and two column lengths.
    assert!(bytes >= rows as u64 * 15, "{bytes} bytes for {rows} rows");
}
