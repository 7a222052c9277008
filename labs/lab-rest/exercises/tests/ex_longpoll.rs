//! Grading tests for `rest-longpoll`.
//!
//! Over HTTP: a waiting request is answered by the next publish, events
//! already there are answered at once, silence ends in 204. And, calling
//! `Events::wait_after` directly with a waker that only records being woken:
//! the wait is woken by `publish` itself, not by a loop that looks again
//! later (which no count of scans can see if it reads the list directly).

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use lab_rest_exercises::support;
use labkit::grade::{expect, expect_eq, expect_ok};
use reqwest::StatusCode;

/// Only a guard against a wait that never ends; each request below is
/// answered well within it when the exercise is right.
const GUARD: Duration = Duration::from_secs(20);

/// GETs `url`, failing with a sentence if no answer comes within [`GUARD`].
async fn answered(http: &reqwest::Client, url: String, what: &str) -> reqwest::Response {
    let answer = expect_ok(
        tokio::time::timeout(GUARD, http.get(url).send()).await,
        &format!("{what} is answered (within {} s)", GUARD.as_secs()),
    );
    answer.expect("the exercise server answers")
}

/// A waker that only records that it was woken.
#[derive(Default)]
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Flag {
    fn woken(&self) -> bool {
        self.0.swap(false, Ordering::SeqCst)
    }
}

#[tokio::test]
async fn a_waiting_request_is_answered_by_the_next_publish() {
    let (router, events) = support::longpoll_app();
    let server = support::serve(router).await;
    let http = reqwest::Client::new();
    let waiting = tokio::spawn({
        let http = http.clone();
        async move {
            let url = format!("http://{server}/events/wait?after=0&timeout_ms=10000");
            answered(&http, url, "a long-poll with a 10 s timeout").await
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    expect(
        !waiting.is_finished(),
        "with no event yet, the long-poll request is still waiting after 300 ms",
        "it had already been answered",
    );
    events.publish();
    let answer = waiting.await.unwrap();
    expect_eq(
        answer.status(),
        StatusCode::OK,
        "the publish answers the waiting request with 200",
    );
    let ids: Vec<u64> = answer.json().await.unwrap_or_default();
    expect_eq(ids, vec![1], "the answer holds the new event");
}

#[tokio::test]
async fn a_publish_wakes_the_waiting_request_itself() {
    let (_, events) = support::longpoll_app();
    let flag = Arc::new(Flag::default());
    let waker = Waker::from(flag.clone());
    let mut cx = Context::from_waker(&waker);
    let mut waiting = pin!(events.wait_after(0, Duration::from_secs(30)));

    let first = waiting.as_mut().poll(&mut cx);
    expect(
        first.is_pending(),
        "with no event yet, wait_after waits",
        &first,
    );
    expect(
        !flag.woken(),
        "while nothing happens, a waiting request is left asleep (it does not ask to run again at once)",
        "it woke itself straight away: a busy loop",
    );
    events.publish();
    expect(
        flag.woken(),
        "publish() itself wakes the waiting request, rather than a loop that sleeps and looks again",
        "nothing woke it: it will only notice the event when its own timer fires",
    );
    let second = waiting.as_mut().poll(&mut cx);
    expect(
        matches!(&second, Poll::Ready(ids) if *ids == [1]),
        "once woken, wait_after returns the new event",
        &second,
    );
}

#[tokio::test]
async fn events_already_there_are_answered_at_the_first_look() {
    let (_, events) = support::longpoll_app();
    events.publish();
    events.publish();
    let waker = Waker::from(Arc::new(Flag::default()));
    let mut cx = Context::from_waker(&waker);
    let mut waiting = pin!(events.wait_after(1, Duration::from_secs(30)));
    let first = waiting.as_mut().poll(&mut cx);
    expect(
        matches!(&first, Poll::Ready(ids) if *ids == [2]),
        "events already there are returned at once, without waiting for the next publish",
        &first,
    );
}

#[tokio::test]
async fn existing_events_are_answered_at_once_and_silence_times_out_with_204() {
    let (router, events) = support::longpoll_app();
    let server = support::serve(router).await;
    events.publish();
    events.publish();
    let http = reqwest::Client::new();
    let url = format!("http://{server}/events/wait?after=1&timeout_ms=10000");
    let answer = answered(&http, url, "a long-poll after event 1 of 2").await;
    let ids: Vec<u64> = answer.json().await.unwrap_or_default();
    expect_eq(
        ids,
        vec![2],
        "events already there are answered without waiting",
    );

    let started = Instant::now();
    let url = format!("http://{server}/events/wait?after=2&timeout_ms=400");
    let answer = answered(&http, url, "a long-poll with a 400 ms timeout").await;
    expect_eq(
        answer.status(),
        StatusCode::NO_CONTENT,
        "no event within the timeout is answered 204 No Content",
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
    let url = format!("http://{server}/events/wait?after=0&timeout_ms=600");
    let answer = answered(&http, url, "a long-poll with a 600 ms timeout").await;
    expect_eq(
        answer.status(),
        StatusCode::NO_CONTENT,
        "an idle long-poll times out with 204",
    );
    let scans = events.scans();
    expect(
        scans <= 2,
        "an idle 600 ms wait scans the event list at most twice (no sleep loop)",
        scans,
    );
}
