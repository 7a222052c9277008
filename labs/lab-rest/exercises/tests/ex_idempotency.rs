//! Grading tests for `rest-idempotency`.

use lab_rest_exercises::support;
use labkit::grade::expect;
use labkit::wire::{Direction, Proxy};
use reqwest::StatusCode;
use serde_json::json;

async fn count(http: &reqwest::Client, server: std::net::SocketAddr) -> usize {
    http.get(format!("http://{server}/charges/count"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_retry_after_a_lost_answer_charges_once() {
    let server = support::serve(support::idempotency_app()).await;
    let proxy = Proxy::start(server).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("http://{}/charges", proxy.addr());
    let body = json!({"amount_cents": 1250, "currency": "EUR"});

    // The server charges, then the proxy cuts the connection before the answer.
    proxy.faults().cut_on_next(Direction::ToClient);
    let first = http
        .post(&url)
        .header("Idempotency-Key", "k-1")
        .json(&body)
        .send()
        .await;
    expect(
        first.is_err(),
        "the proxy's cut makes the first attempt fail",
        first.is_ok(),
    );

    let retry = http
        .post(&url)
        .header("Idempotency-Key", "k-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    expect(
        retry.status() == StatusCode::OK,
        "the retry with the same key is answered 200 (a replay, not 201)",
        retry.status(),
    );
    let charges = count(&http, server).await;
    expect(
        charges == 1,
        "the card was charged once for the two attempts",
        charges,
    );
}

#[tokio::test]
async fn the_same_key_with_another_request_is_refused() {
    let server = support::serve(support::idempotency_app()).await;
    let http = reqwest::Client::new();
    let url = format!("http://{server}/charges");
    let first = http
        .post(&url)
        .header("Idempotency-Key", "k-2")
        .json(&json!({"amount_cents": 100, "currency": "EUR"}))
        .send()
        .await
        .unwrap();
    expect(
        first.status() == StatusCode::CREATED,
        "the first use of a key charges (201)",
        first.status(),
    );
    let other = http
        .post(&url)
        .header("Idempotency-Key", "k-2")
        .json(&json!({"amount_cents": 999, "currency": "EUR"}))
        .send()
        .await
        .unwrap();
    expect(
        other.status() == StatusCode::UNPROCESSABLE_ENTITY,
        "reusing a key for a different request is refused with 422",
        other.status(),
    );
    let charges = count(&http, server).await;
    expect(charges == 1, "the refused request charged nothing", charges);
}

#[tokio::test]
async fn without_a_key_or_with_new_keys_every_post_charges() {
    let server = support::serve(support::idempotency_app()).await;
    let http = reqwest::Client::new();
    let url = format!("http://{server}/charges");
    let body = json!({"amount_cents": 100, "currency": "EUR"});
    for key in [None, None, Some("a"), Some("b")] {
        let mut post = http.post(&url).json(&body);
        if let Some(key) = key {
            post = post.header("Idempotency-Key", key);
        }
        let status = post.send().await.unwrap().status();
        expect(
            status == StatusCode::CREATED,
            "a POST without a key, or with a new key, charges (201)",
            (key, status),
        );
    }
    let charges = count(&http, server).await;
    expect(
        charges == 4,
        "four distinct payments make four charges",
        charges,
    );
}
