//! Grading tests for `rest-longpoll`.

use std::time::{Duration, Instant};

use lab_rest_exercises::support;
use labkit::grade::expect;
use reqwest::StatusCode;

#[tokio::test]
async fn a_waiting_request_is_answered_by_the_next_publish() {
    let (router, events) = support::longpoll_app();
    let server = support::serve(router).await;
    let http = reqwest::Client::new();
    let waiting = tokio::spawn({
        let http = http.clone();
        async move {
            http.get(format!(
                "http://{server}/events/wait?after=0&timeout_ms=10000"
            ))
            .send()
            .await
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    expect(
        !waiting.is_finished(),
        "with no event yet, the long-poll request is still waiting after 300 ms",
        "it had already been answered",
    );
    events.publish();
    let answer = waiting.await.unwrap().unwrap();
    expect(
        answer.status() == StatusCode::OK,
        "the publish answers the waiting request with 200",
        answer.status(),
    );
    let ids: Vec<u64> = answer.json().await.unwrap_or_default();
    expect(ids == vec![1], "the answer holds the new event", ids);
}

#[tokio::test]
async fn existing_events_are_answered_at_once_and_silence_times_out_with_204() {
    let (router, events) = support::longpoll_app();
    let server = support::serve(router).await;
    events.publish();
    events.publish();
    let http = reqwest::Client::new();
    let answer = http
        .get(format!(
            "http://{server}/events/wait?after=1&timeout_ms=10000"
        ))
        .send()
        .await
        .unwrap();
    let ids: Vec<u64> = answer.json().await.unwrap_or_default();
    expect(
        ids == vec![2],
        "events already there are answered without waiting",
        ids,
    );

    let started = Instant::now();
    let answer = http
        .get(format!(
            "http://{server}/events/wait?after=2&timeout_ms=400"
        ))
        .send()
        .await
        .unwrap();
    expect(
        answer.status() == StatusCode::NO_CONTENT,
        "no event within the timeout is answered 204 No Content",
        answer.status(),
    );
    expect(
        started.elapsed() >= Duration::from_millis(400),
        "the 204 comes only after the timeout has passed",
        started.elapsed(),
    );
}

#[tokio::test]
async fn waiting_does_not_spin() {
    let (router, events) = support::longpoll_app();
    let server = support::serve(router).await;
    let http = reqwest::Client::new();
    let answer = http
        .get(format!(
            "http://{server}/events/wait?after=0&timeout_ms=600"
        ))
        .send()
        .await
        .unwrap();
    expect(
        answer.status() == StatusCode::NO_CONTENT,
        "an idle long-poll times out with 204",
        answer.status(),
    );
    let scans = events.scans();
    expect(
        scans <= 2,
        "an idle 600 ms wait scans the event list at most twice (no sleep loop)",
        scans,
    );
}
