//! Grading tests for `grpc-deadline`: against the lab's payment service,
//! whose handler works as long as the `x-hold-ms` metadata says, through
//! labkit's proxy so the `grpc-timeout` header is read off the wire.

use std::sync::atomic::Ordering;
use std::time::Duration;

use lab_grpc::client::held;
use lab_grpc::server::{self, Options};
use lab_grpc::wire::sample_charge;
use lab_grpc_exercises::deadline::charge_within;
use labkit::grade::expect;
use labkit::wire::Proxy;

#[tokio::test]
async fn a_slow_call_ends_deadline_exceeded_and_the_server_stops() {
    let server = server::spawn(Options::default()).await.unwrap();
    let proxy = Proxy::start(server.addr).await.unwrap();
    let mut client = lab_grpc::client::payments(proxy.addr()).await.unwrap();
    let request = held(sample_charge(1), Duration::from_secs(3));
    let answer = tokio::time::timeout(
        Duration::from_secs(20),
        charge_within(&mut client, request, Duration::from_millis(150)),
    )
    .await
    .expect("the call returns within 20 s");
    let code = answer
        .as_ref()
        .map_or_else(|s| s.code(), |_| tonic::Code::Ok);
    expect(
        code == tonic::Code::DeadlineExceeded,
        "a call the server needs 3 s for, with a 150 ms deadline, ends DEADLINE_EXCEEDED",
        code,
    );

    tokio::time::sleep(Duration::from_millis(500)).await;
    let recording = proxy.recording();
    let timeout = recording
        .first()
        .and_then(|c| lab_grpc::calls::calls(c).ok())
        .and_then(|calls| calls.into_iter().next())
        .and_then(|call| {
            lab_grpc::calls::header(&call.request_headers, "grpc-timeout").map(String::from)
        });
    expect(
        timeout.is_some(),
        "the request carries a grpc-timeout header, so the server knows the deadline",
        &timeout,
    );
    let completed = server.stats.completed.load(Ordering::SeqCst);
    expect(
        completed == 0,
        "the server's handler never completes its 3 s of work",
        completed,
    );
}

#[tokio::test]
async fn a_call_that_answers_in_time_succeeds() {
    let server = server::spawn(Options::default()).await.unwrap();
    let mut client = lab_grpc::client::payments(server.addr).await.unwrap();
    let request = held(sample_charge(2), Duration::from_millis(10));
    let answer = charge_within(&mut client, request, Duration::from_secs(5)).await;
    expect(
        answer.is_ok(),
        "a call answered in 10 ms with a 5 s deadline succeeds",
        answer.map(|_| ()),
    );
}
