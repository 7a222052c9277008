//! Grading tests for `grpc-deadline`: against the lab's payment service,
//! whose handler works as long as the `x-hold-ms` metadata says, through
//! labkit's proxy so the `grpc-timeout` header is read off the wire and
//! compared with the deadline that was set (two different deadlines, so a
//! header that always says the same thing cannot pass).

use std::sync::atomic::Ordering;
use std::time::Duration;

use lab_grpc::client::held;
use lab_grpc::server::{self, Options};
use lab_grpc::wire::sample_charge;
use lab_grpc_exercises::deadline::charge_within;
use labkit::grade::expect;
use labkit::wire::Proxy;

/// The `grpc-timeout` header of the first call the proxy saw, as sent and
/// as the time it gives the server.
fn timeout_header(proxy: &Proxy) -> (Option<String>, Option<Duration>) {
    let sent = proxy
        .recording()
        .first()
        .and_then(|c| lab_grpc::calls::calls(c).ok())
        .and_then(|calls| calls.into_iter().next())
        .and_then(|call| {
            lab_grpc::calls::header(&call.request_headers, "grpc-timeout").map(String::from)
        });
    let given = sent.as_deref().and_then(lab_grpc::calls::grpc_timeout);
    (sent, given)
}

/// Checks that the header told the server exactly `deadline`.
fn expect_header_says(proxy: &Proxy, deadline: Duration) {
    let (sent, given) = timeout_header(proxy);
    expect(
        sent.is_some(),
        "the request carries a grpc-timeout header, so the server knows the deadline",
        &sent,
    );
    expect(
        given == Some(deadline),
        &format!(
            "the grpc-timeout header gives the server the deadline that was set, {deadline:?}"
        ),
        (&sent, given),
    );
}

#[tokio::test]
async fn a_slow_call_ends_deadline_exceeded_and_the_server_stops() {
    let server = server::spawn(Options::default()).await.unwrap();
    let proxy = Proxy::start(server.addr).await.unwrap();
    let mut client = lab_grpc::client::payments(proxy.addr()).await.unwrap();
    let deadline = Duration::from_millis(150);
    let request = held(sample_charge(1), Duration::from_secs(3));
    let answer = tokio::time::timeout(
        Duration::from_secs(20),
        charge_within(&mut client, request, deadline),
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
    expect_header_says(&proxy, deadline);
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
    let proxy = Proxy::start(server.addr).await.unwrap();
    let mut client = lab_grpc::client::payments(proxy.addr()).await.unwrap();
    let deadline = Duration::from_secs(5);
    let request = held(sample_charge(2), Duration::from_millis(10));
    let answer = charge_within(&mut client, request, deadline).await;
    expect(
        answer.is_ok(),
        "a call answered in 10 ms with a 5 s deadline succeeds",
        answer.map(|_| ()),
    );
    expect_header_says(&proxy, deadline);
}
