//! One test per row of Chapter 1's claims table: each asserts the claim
//! itself — bytes counted, connections counted, charges made — against the
//! lab's real server and a real HTTP client, through labkit's proxy.

use std::time::Duration;

use lab_rest::{Target, bytes, caching, idempotency, json, keepalive, multiplex, polling};

async fn target() -> Target {
    Target::local()
        .await
        .expect("the lab's server starts on a free port")
}

#[tokio::test]
async fn heads_outweigh_a_small_reading() {
    let exchanges = bytes::measure(&target().await).await.unwrap();
    let post = &exchanges[0];
    let get = &exchanges[1];
    // The reading is under 100 bytes of JSON; the HTTP head carrying it is bigger.
    assert!(
        post.request_body < 100,
        "reading body: {} bytes",
        post.request_body
    );
    assert!(
        post.request_head > post.request_body,
        "request head {} should exceed the body {}",
        post.request_head,
        post.request_body
    );
    assert_eq!(post.response_body, 0, "201 Created carries no body here");
    // The GET's answer: a head as large as the reading it carries.
    assert_eq!(
        get.response_body, post.request_body,
        "the same reading comes back"
    );
    assert!(get.response_head > 0 && get.request_body == 0);
    // Heads are most of the bytes of the whole POST exchange.
    assert!(
        post.head_share() > 0.5,
        "head share {:.2}",
        post.head_share()
    );
}

#[tokio::test]
async fn fresh_connections_cost_one_tcp_connection_per_request() {
    let (fresh, kept) = keepalive::compare(&target().await, 30).await.unwrap();
    assert_eq!(fresh.requests, 30);
    assert_eq!(
        fresh.connections, 30,
        "a new TCP connection for every request"
    );
    assert_eq!(kept.connections, 1, "keep-alive reuses one connection");
}

#[tokio::test]
async fn http2_carries_concurrent_requests_on_one_connection() {
    // 60 requests started together, each held 400 ms by the server: long
    // enough that all of them are in flight at once even on a busy machine.
    let (requests, hold) = (60, Duration::from_millis(400));
    let target = target().await;
    let h2 = multiplex::batch(&target, multiplex::Strategy::Http2, requests, hold)
        .await
        .unwrap();
    assert_eq!(
        h2.connections, 1,
        "HTTP/2 multiplexes on one TCP connection"
    );
    assert_eq!(
        h2.server_max_in_flight, requests,
        "the server had every request in flight at once over that one connection"
    );

    let h1 = multiplex::batch(&target, multiplex::Strategy::Http1Unbounded, requests, hold)
        .await
        .unwrap();
    assert_eq!(
        h1.connections, requests,
        "HTTP/1.1 needs a connection per request in flight"
    );
    assert_eq!(
        h1.server_max_in_flight, requests,
        "with one connection each, all were in flight at once too"
    );
}

#[tokio::test]
async fn six_http1_lanes_queue_requests_behind_each_other() {
    let delay = Duration::from_millis(40);
    let lanes = multiplex::batch(
        &target().await,
        multiplex::Strategy::Http1Lanes(6),
        60,
        delay,
    )
    .await
    .unwrap();
    assert_eq!(lanes.connections, 6);
    assert!(
        lanes.server_max_in_flight <= 6,
        "never more than six in flight"
    );
    // 60 requests over 6 lanes is 10 rounds: the last finishes no sooner than 10 delays.
    let last = Duration::from_micros(lanes.latencies.summary().max_us as u64);
    assert!(
        last >= delay * 10,
        "the last request finished after {last:?}"
    );
}

#[test]
fn json_repeats_field_names_in_every_record() {
    for records in [1, 100, 10_000] {
        let bytes = json::account(records).unwrap();
        assert!(
            bytes.field_name_share() > 0.4,
            "{records} records: field names are {:.0}% of the bytes",
            100.0 * bytes.field_name_share()
        );
    }
    // Bytes grow linearly: no compression of repeated names.
    let one = json::account(1).unwrap().per_record();
    let many = json::account(10_000).unwrap().per_record();
    assert!(
        (many - one).abs() / one < 0.15,
        "{one} vs {many} bytes per record"
    );
}

#[tokio::test]
async fn long_polling_needs_fewer_requests_than_polling() {
    let target = target().await;
    let waitings = [
        polling::Waiting::Poll {
            interval: Duration::from_millis(25),
        },
        polling::Waiting::LongPoll,
    ];
    let gaps = vec![Duration::from_millis(80); 8];
    let deliveries = polling::race(&target, &waitings, &gaps).await.unwrap();
    let (poll, long) = (&deliveries[0], &deliveries[1]);
    for d in [poll, long] {
        let ids: Vec<u64> = d.received.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(
            ids.iter().all(|&step| step == 1),
            "every event once, in order"
        );
    }
    assert!(
        long.requests <= 8,
        "one long-poll per event at most, made {}",
        long.requests
    );
    assert!(poll.empty_answers > 0, "polling asks when there is nothing");
    assert!(poll.requests > long.requests);
    assert!(poll.bytes_per_event() > long.bytes_per_event());
}

#[tokio::test]
async fn a_retried_post_charges_twice_without_a_key() {
    let retried = idempotency::charge_through_cut(&target().await, false)
        .await
        .unwrap();
    assert_eq!(
        retried.attempts, 2,
        "the first attempt lost its answer, the second got one"
    );
    assert_eq!(
        retried.charges_made, 2,
        "the server charged for both attempts"
    );
}

#[tokio::test]
async fn an_idempotency_key_makes_the_retry_charge_once() {
    let retried = idempotency::charge_through_cut(&target().await, true)
        .await
        .unwrap();
    assert_eq!(retried.attempts, 2);
    assert_eq!(
        retried.charges_made, 1,
        "the retry was recognised by its key"
    );
    assert_eq!(retried.answer.amount_cents, 4_200);
}

#[tokio::test]
async fn etag_revalidation_answers_304_without_the_body() {
    let fetches = caching::fetches(&target().await, 42).await.unwrap();
    assert_eq!(fetches[0].status, 200);
    assert!(fetches[0].response_body > 1_500, "the page is about 2 KB");
    assert_eq!(fetches[1].status, 304);
    assert_eq!(fetches[1].response_body, 0, "304 carries no body");
    assert_eq!(
        fetches[2].status, 200,
        "after an edit the old ETag no longer matches"
    );
    assert_eq!(fetches[2].response_body, fetches[0].response_body);
}

#[tokio::test]
async fn a_dead_server_url_is_one_clear_error() {
    // Bind and drop a listener to get a port where nothing listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = Target::remote(&format!("http://127.0.0.1:{port}"))
        .await
        .err()
        .expect("nothing listens there");
    let message = format!("{error:#}");
    assert!(message.contains("nothing answers"), "{message}");
    assert!(
        message.contains("cargo run -p lab-rest -- serve"),
        "says how to fix it: {message}"
    );
    assert!(!message.contains('\n'), "one line: {message}");

    let error = Target::remote("not a url").await.err().expect("rejected");
    assert!(format!("{error:#}").contains("is not a URL"));
}
