//! One test per row of Chapter 2's claims table: each asserts the claim
//! itself — frames, messages and connections counted on the wire, calls
//! counted at each backend, codes decoded at the client — against real tonic
//! servers and clients, through labkit's proxy, and (for gRPC-Web) from a real
//! headless Chromium.

use std::time::Duration;

use lab_grpc::multiplex::Start;
use lab_grpc::server::{self, Options};
use lab_grpc::{
    balance, browser, deadline, evolution, kinds, multiplex, protobuf, reflection, status, wire,
};
use labkit::wire::Direction;
use labkit::wire::http2::FrameType;
use tonic::Code;

#[tokio::test]
async fn a_unary_call_is_headers_data_and_trailers_carrying_grpc_status() {
    let grpc = wire::grpc_calls().await.unwrap();
    let call = &grpc.calls[0];
    assert_eq!(call.path(), "/payments.PaymentService/Charge");
    let up: Vec<FrameType> = call.frames_to_server.iter().map(|(t, _)| *t).collect();
    let down: Vec<FrameType> = call.frames_to_client.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        up[0],
        FrameType::Headers,
        "the request opens with HEADERS: {up:?}"
    );
    assert!(
        up[1..].iter().all(|t| *t == FrameType::Data),
        "then DATA: {up:?}"
    );
    assert_eq!(
        down,
        [FrameType::Headers, FrameType::Data, FrameType::Headers],
        "response: {down:?}"
    );
    // One message each way, behind gRPC's 5-byte prefix: the protobuf bytes
    // of the request are exactly what prost encodes.
    assert_eq!(call.to_server.len(), 1);
    assert_eq!(
        call.to_server[0].body,
        prost::Message::encode_to_vec(&wire::sample_charge(1))
    );
    assert_eq!(call.to_client.len(), 1);
    // The status is in the trailers, the last HEADERS frame.
    assert_eq!(call.grpc_status(), Some(0));
    assert_eq!(
        lab_grpc::calls::header(&call.response_headers, ":status"),
        Some("200")
    );
    assert_eq!(
        lab_grpc::calls::header(&call.request_headers, "content-type"),
        Some("application/grpc")
    );
}

#[tokio::test]
async fn a_repeated_grpc_call_weighs_less_than_the_first_and_than_rest_json() {
    let grpc = wire::grpc_calls().await.unwrap();
    let lab = lab_grpc::Lab::new();
    let rest = wire::rest_calls(lab.baseline().await.unwrap())
        .await
        .unwrap();
    let (first, second) = (grpc.calls[0].wire_bytes(), grpc.calls[1].wire_bytes());
    assert!(
        second < first,
        "HPACK makes call 2 ({second} B) smaller than call 1 ({first} B)"
    );
    assert_eq!(
        rest[0], rest[1],
        "HTTP/1.1 sends the same heads every time: {rest:?}"
    );
    assert!(
        second < rest[1],
        "gRPC call 2: {second} B, REST exchange: {} B",
        rest[1]
    );
    assert!(
        grpc.connection_bytes > 0,
        "HTTP/2 pays for its connection setup"
    );
}

#[tokio::test]
async fn four_kinds_of_call_differ_only_in_messages_each_way() {
    let kinds = kinds::measure().await.unwrap();
    let counts: Vec<(usize, usize)> = kinds.iter().map(|k| (k.to_server, k.to_client)).collect();
    let n = kinds::N;
    assert_eq!(counts, [(1, 1), (1, n), (n, 1), (n, n)]);
    let streams: Vec<u32> = kinds.iter().map(|k| k.stream_id).collect();
    assert_eq!(
        streams,
        [1, 3, 5, 7],
        "one HTTP/2 stream per call, on one connection"
    );
    assert!(kinds.iter().all(|k| k.grpc_status == Some(0)));
}

#[tokio::test]
async fn a_hundred_concurrent_calls_share_one_tcp_connection() {
    let b = multiplex::batch(100, Duration::from_millis(300), None, Start::Warm)
        .await
        .unwrap();
    assert_eq!(b.connections, 1);
    assert_eq!(b.succeeded, 100);
    assert!(
        b.server_max_in_flight > 6,
        "the server had {} calls at once",
        b.server_max_in_flight
    );
}

#[tokio::test]
async fn past_the_stream_limit_calls_wait_instead_of_failing() {
    let b = multiplex::batch(40, Duration::from_millis(100), Some(10), Start::Warm)
        .await
        .unwrap();
    assert_eq!(
        b.announced_limit,
        Some(10),
        "SETTINGS_MAX_CONCURRENT_STREAMS read off the wire"
    );
    assert_eq!(
        b.succeeded, 40,
        "no call failed: {:?}, server resets {:?}",
        b.failures, b.server_resets
    );
    assert_eq!(b.connections, 1);
    assert!(
        b.server_max_in_flight <= 10,
        "the server never had more than 10: {}",
        b.server_max_in_flight
    );
}

#[tokio::test]
async fn tonic_announces_no_stream_limit_unless_told_and_hyper_under_axum_announces_200() {
    let tonic = server::spawn(Options::default()).await.unwrap();
    assert_eq!(multiplex::announced_limit(tonic.addr).await.unwrap(), None);
    let limited = server::spawn(Options {
        max_concurrent_streams: Some(10),
        ..Options::default()
    })
    .await
    .unwrap();
    assert_eq!(
        multiplex::announced_limit(limited.addr).await.unwrap(),
        Some(10)
    );
    let lab = lab_grpc::Lab::new();
    let axum = lab.baseline().await.unwrap();
    assert_eq!(
        multiplex::announced_limit(axum.addr()).await.unwrap(),
        Some(200),
        "Chapter 1's server: hyper under axum"
    );
}

#[tokio::test]
async fn a_burst_sent_before_the_limit_is_read_is_refused_and_not_retried() {
    let b = multiplex::batch(
        40,
        Duration::from_millis(100),
        Some(10),
        Start::SettingsHeldBack,
    )
    .await
    .unwrap();
    assert_eq!(b.announced_limit, Some(10));
    assert_eq!(b.connections, 1);
    assert_eq!(
        b.succeeded, 10,
        "only the streams within the limit were served: {:?}",
        b.failures
    );
    assert_eq!(
        b.server_resets.get(&0x7),
        Some(&30),
        "the server refused the other 30 with REFUSED_STREAM: {:?}",
        b.server_resets
    );
    let failed: usize = b.failures.values().sum();
    assert_eq!(failed, 30);
    assert_eq!(
        b.client_streams, 40,
        "one stream per call on the wire: no refused call was sent again"
    );
    assert!(
        b.failures.keys().all(|k| k.starts_with("Unavailable:")),
        "tonic ends a refused stream UNAVAILABLE, without retrying it: {:?}",
        b.failures
    );
}

#[tokio::test]
async fn a_call_past_its_deadline_ends_deadline_exceeded_and_the_server_cancels() {
    let o = deadline::call_past_deadline(Duration::from_millis(100), Duration::from_secs(3), true)
        .await
        .unwrap();
    assert_eq!(o.code, Code::DeadlineExceeded);
    assert_eq!(
        o.grpc_timeout.as_deref(),
        Some("100000u"),
        "the deadline travels as a header"
    );
    // Both ends run a timer from the same header, a fraction of a millisecond
    // apart: the call ends on the wire with whichever fires first.
    let client_reset = o.reset == Some((Direction::ToServer, 0x8));
    let server_trailers = matches!(o.trailer_status, Some(1 | 4));
    assert!(
        client_reset || server_trailers,
        "the stream ends with the client's RST_STREAM CANCEL or the server's \
         trailers (CANCELLED or DEADLINE_EXCEEDED): reset {:?}, trailers {:?}",
        o.reset,
        o.trailer_status
    );
    assert_eq!(o.server_cancelled, 1, "the server's handler was dropped");
    assert_eq!(o.server_completed, 0, "and never finished its work");
}

#[tokio::test]
async fn tonic_alone_reports_an_expired_deadline_as_cancelled() {
    let o = deadline::call_past_deadline(Duration::from_millis(100), Duration::from_secs(3), false)
        .await
        .unwrap();
    assert_eq!(o.code, Code::Cancelled);
    assert!(o.message.contains("Timeout expired"), "{}", o.message);
    assert_eq!(o.server_completed, 0);
}

#[tokio::test]
async fn tonic_s_client_enforces_grpc_timeout_by_itself() {
    let status = deadline::header_only_to_a_silent_peer(Duration::from_millis(100))
        .await
        .unwrap();
    assert_eq!(status.code(), Code::Cancelled, "{status:?}");
    assert_eq!(status.message(), "Timeout expired");
}

#[tokio::test]
async fn all_seventeen_status_codes_arrive_with_their_details() {
    let outcomes = status::all_codes().await.unwrap();
    for o in &outcomes {
        assert_eq!(o.got, o.expected, "{}", o.how);
    }
    let mut codes: Vec<i32> = outcomes.iter().map(|o| o.got as i32).collect();
    codes.dedup();
    assert_eq!(
        codes,
        (0..=16).collect::<Vec<_>>(),
        "17 distinct codes, OK included"
    );
    let details = |c: Code| {
        outcomes
            .iter()
            .find(|o| o.expected == c)
            .unwrap()
            .details
            .join("; ")
    };
    assert!(details(Code::InvalidArgument).contains("BadRequest amount_cents"));
    assert!(details(Code::ResourceExhausted).contains("QuotaFailure merchant:m_42"));
    assert!(details(Code::ResourceExhausted).contains("RetryInfo retry_delay=Some(60s)"));
    assert!(details(Code::FailedPrecondition).contains("PreconditionFailure ACCOUNT acct_7"));
    assert!(details(Code::DataLoss).contains("ErrorInfo reason=CORRUPT_LEDGER"));
}

#[tokio::test]
async fn old_and_new_peers_talk_until_a_field_changes_type() {
    let e = evolution::measure().await.unwrap();
    assert_eq!(e.old_client_charge, Code::Ok);
    assert_eq!(
        e.new_server_read_description.as_deref(),
        Some(""),
        "a missing field reads as its zero value"
    );
    assert_eq!(
        e.new_client_charge,
        Code::Ok,
        "the old server ignores the field it does not know"
    );
    assert_eq!(
        e.new_client_read_fee,
        Some(0),
        "a field the old server never sends reads as 0"
    );
    assert_eq!(e.new_method_on_old_server, Code::Unimplemented);
    assert_eq!(e.changed_type, Code::Internal, "{}", e.changed_type_message);
    assert!(
        e.changed_type_message.contains("invalid wire type"),
        "{}",
        e.changed_type_message
    );
}

#[tokio::test]
async fn an_l4_balancer_sends_every_call_to_one_backend() {
    let l4 = balance::through_l4(60).await.unwrap();
    let mut calls = l4.calls_per_backend.clone();
    calls.sort();
    assert_eq!(
        calls,
        [0, 60],
        "one connection, one backend: {:?}",
        l4.calls_per_backend
    );
    assert_eq!(l4.connections_per_backend.iter().sum::<usize>(), 1);
}

#[tokio::test]
async fn client_side_balancing_spreads_calls_over_both_backends() {
    let spread = balance::client_side(60).await.unwrap();
    assert_eq!(spread.calls_per_backend.iter().sum::<u64>(), 60);
    assert!(
        spread.calls_per_backend.iter().all(|&n| n > 0),
        "both backends got calls: {:?}",
        spread.calls_per_backend
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_in_chromium_makes_unary_and_server_streaming_calls_but_no_client_stream() {
    let lab = lab_grpc::Lab::new();
    let page = browser::from_the_page(lab.browser().await.unwrap())
        .await
        .unwrap();
    assert_eq!((page.unary.http, page.unary.messages), (200, 1));
    assert!(
        page.unary.trailers.contains("grpc-status:0"),
        "{}",
        page.unary.trailers
    );
    assert_eq!(page.server_streaming.messages, 5);
    assert!(page.server_streaming.trailers.contains("grpc-status:0"));
    assert!(
        page.server_streaming.chunks >= 2,
        "the events arrived as a stream, not in one read"
    );
    assert!(
        !page.client_streaming.ok,
        "Chromium refuses a streaming request body over HTTP/1.1"
    );
    assert!(
        page.client_streaming.error.contains("TypeError"),
        "{}",
        page.client_streaming.error
    );
    assert_eq!(
        page.server_calls, 2,
        "the refused client stream never reached the server"
    );
}

#[tokio::test]
async fn a_generic_client_calls_the_service_from_the_reflected_schema() {
    let found = reflection::explore().await.unwrap();
    assert!(
        found
            .services
            .contains(&"payments.PaymentService".to_string()),
        "{:?}",
        found.services
    );
    assert_eq!(
        found.methods,
        ["Charge", "WatchEvents", "BatchImport", "Chat"]
    );
    let answer: std::collections::HashMap<_, _> = found.answer.into_iter().collect();
    assert_eq!(
        answer.get("status").map(String::as_str),
        Some("EnumNumber(1)"),
        "SUCCESS"
    );
    assert!(
        answer
            .get("transaction_id")
            .is_some_and(|t| t.contains("tx-1"))
    );
}

#[test]
fn protobuf_is_smaller_than_json_by_exact_counts() {
    // ChargeRequest: key (1 tag + 1 length + 10) + amount 1250 (1 tag + 2
    // varint bytes) + currency (1 + 1 + 3) = 20; the empty token is not sent.
    assert_eq!(protobuf::charge_sizes(), (20, 87));
    // Each event: id ~1e6 (1 tag + 3 varint bytes) + kind (1 + 1 + 16) = 22,
    // wrapped as a repeated field: 1 tag + 1 length + 22 = 24.
    assert_eq!(protobuf::batch_sizes(1000), (24_000, 41_001));
}
