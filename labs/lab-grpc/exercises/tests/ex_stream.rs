//! Grading tests for `grpc-stream`.

use std::sync::atomic::Ordering;
use std::time::Duration;

use futures::StreamExt;
use lab_grpc::proto::v1::WatchRequest;
use lab_grpc_exercises::support;
use labkit::grade::expect;

#[tokio::test]
async fn the_stream_sends_count_events_in_order_then_ends() {
    let (server, _) = support::serve().await;
    let mut client = lab_grpc::client::payments(server.addr).await.unwrap();
    for count in [7u32, 3] {
        let stream = client
            .watch_events(WatchRequest {
                count,
                interval_ms: 1,
            })
            .await
            .unwrap()
            .into_inner();
        let got = tokio::time::timeout(Duration::from_secs(10), stream.collect::<Vec<_>>()).await;
        let Ok(got) = got else {
            expect(
                false,
                &format!("a stream of {count} events ends by itself"),
                "still open after 10 s",
            );
            return;
        };
        let ids: Vec<u64> = got
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.id)
            .collect();
        expect(
            ids == (1..=u64::from(count)).collect::<Vec<_>>(),
            &format!("the client receives events 1 to {count}, in order, and the stream ends"),
            &ids,
        );
    }
}

#[tokio::test]
async fn the_server_stops_producing_when_the_client_goes_away() {
    let (server, counters) = support::serve().await;
    let mut client = lab_grpc::client::payments(server.addr).await.unwrap();
    let mut stream = client
        .watch_events(WatchRequest {
            count: 0,
            interval_ms: 10,
        })
        .await
        .unwrap()
        .into_inner();
    let mut first = Vec::new();
    for _ in 0..3 {
        match tokio::time::timeout(Duration::from_secs(5), stream.next()).await {
            Ok(Some(Ok(e))) => first.push(e.id),
            other => {
                expect(
                    false,
                    "an endless stream (count 0) delivers events",
                    format!("{other:?}"),
                );
                return;
            }
        }
    }
    expect(
        first == [1, 2, 3],
        "the first three events are 1, 2, 3",
        &first,
    );
    drop(stream);
    drop(client);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after_hangup = counters.produced.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let later = counters.produced.load(Ordering::SeqCst);
    expect(
        after_hangup > 0,
        "each produced event is counted in counters.produced",
        after_hangup,
    );
    expect(
        later == after_hangup,
        "once the client is gone, no more events are produced",
        (after_hangup, later),
    );
}
