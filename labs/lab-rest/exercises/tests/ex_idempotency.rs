//! Grading tests for `rest-idempotency`.

use std::net::SocketAddr;

use lab_rest_exercises::idempotency::Charge;
use lab_rest_exercises::support;
use labkit::grade::{expect, expect_eq, expect_ok};
use labkit::wire::{Direction, Proxy};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn count(http: &reqwest::Client, server: SocketAddr) -> usize {
    http.get(format!("http://{server}/charges/count"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// POSTs `body` to `url` with the idempotency key `key`, if any; returns
/// the status and the raw body.
async fn post(
    http: &reqwest::Client,
    url: &str,
    key: Option<&str>,
    body: &Value,
) -> (StatusCode, Vec<u8>) {
    let mut post = http.post(url).json(body);
    if let Some(key) = key {
        post = post.header("Idempotency-Key", key);
    }
    let answer = post.send().await.expect("the exercise server answers");
    let status = answer.status();
    (status, answer.bytes().await.unwrap_or_default().to_vec())
}

/// The charge in an answer's body; `what` says which answer, for the
/// sentence when there is none.
fn charge(body: &[u8], what: &str) -> Charge {
    expect_ok(
        serde_json::from_slice::<Charge>(body),
        &format!("{what} carries the charge as JSON in its body"),
    )
}

/// `got` is `want`, field by field, each with its own sentence.
fn same_charge(got: &Charge, want: &Charge, what: &str) {
    expect_eq(
        got.charge_id,
        want.charge_id,
        &format!("{what} is the stored charge: the same charge_id"),
    );
    expect_eq(
        got.amount_cents,
        want.amount_cents,
        &format!("{what} is the stored charge: the same amount_cents"),
    );
    expect_eq(
        &got.currency,
        &want.currency,
        &format!("{what} is the stored charge: the same currency"),
    );
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

    let (status, retry) = post(&http, &url, Some("k-1"), &body).await;
    expect_eq(
        status,
        StatusCode::OK,
        "the retry with the same key is answered 200 (a replay, not 201)",
    );
    let charges = count(&http, server).await;
    expect_eq(charges, 1, "the card was charged once for the two attempts");
    // The client never saw the first answer: the replay is all it has.
    let stored = Charge {
        charge_id: 1,
        amount_cents: 1250,
        currency: "EUR".into(),
    };
    same_charge(
        &charge(&retry, "the replayed answer"),
        &stored,
        "the replayed answer",
    );
}

#[tokio::test]
async fn a_replay_is_the_first_answer_even_after_other_charges() {
    let server = support::serve(support::idempotency_app()).await;
    let http = reqwest::Client::new();
    let url = format!("http://{server}/charges");
    let rent = json!({"amount_cents": 90_000, "currency": "EUR"});

    let (status, first) = post(&http, &url, Some("rent-may"), &rent).await;
    expect_eq(
        status,
        StatusCode::CREATED,
        "the first use of a key charges (201)",
    );
    let first = charge(&first, "the first answer");
    // Other payments come in between.
    for (key, cents) in [(None, 350), (Some("coffee-1"), 420)] {
        let other = json!({"amount_cents": cents, "currency": "EUR"});
        let (status, _) = post(&http, &url, key, &other).await;
        expect_eq(
            status,
            StatusCode::CREATED,
            "a POST without a key, or with a new key, charges (201)",
        );
    }

    let (status, replay) = post(&http, &url, Some("rent-may"), &rent).await;
    expect_eq(
        status,
        StatusCode::OK,
        "a retry with the same key and request is answered 200 (a replay)",
    );
    same_charge(
        &charge(&replay, "the replayed answer"),
        &first,
        "the replayed answer",
    );
    let charges = count(&http, server).await;
    expect_eq(
        charges,
        3,
        "three payments made three charges, the replay none",
    );
}

#[tokio::test]
async fn the_same_key_with_another_request_is_refused() {
    let server = support::serve(support::idempotency_app()).await;
    let http = reqwest::Client::new();
    let url = format!("http://{server}/charges");
    let (status, _) = post(
        &http,
        &url,
        Some("k-2"),
        &json!({"amount_cents": 100, "currency": "EUR"}),
    )
    .await;
    expect_eq(
        status,
        StatusCode::CREATED,
        "the first use of a key charges (201)",
    );
    let (status, _) = post(
        &http,
        &url,
        Some("k-2"),
        &json!({"amount_cents": 999, "currency": "EUR"}),
    )
    .await;
    expect_eq(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reusing a key for a different request is refused with 422",
    );
    let charges = count(&http, server).await;
    expect_eq(charges, 1, "the refused request charged nothing");
}

#[tokio::test]
async fn without_a_key_or_with_new_keys_every_post_charges() {
    let server = support::serve(support::idempotency_app()).await;
    let http = reqwest::Client::new();
    let url = format!("http://{server}/charges");
    let body = json!({"amount_cents": 100, "currency": "EUR"});
    let mut ids = Vec::new();
    for key in [None, None, Some("a"), Some("b")] {
        let (status, answer) = post(&http, &url, key, &body).await;
        expect(
            status == StatusCode::CREATED,
            "a POST without a key, or with a new key, charges (201)",
            (key, status),
        );
        ids.push(charge(&answer, "a 201 answer").charge_id);
    }
    let charges = count(&http, server).await;
    expect_eq(charges, 4, "four distinct payments make four charges");
    expect_eq(
        ids,
        vec![1, 2, 3, 4],
        "each new charge gets the next charge_id",
    );
}
