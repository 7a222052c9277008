//! Grading tests for `realtime-heartbeat`: the lab's echo endpoint
//! (tungstenite answers pings by itself) behind labkit's proxy, which
//! turns into a black hole on request — bytes vanish, no FIN, no RST.

use std::time::Duration;

use lab_realtime_exercises::heartbeat::{Verdict, watch};
use lab_realtime_exercises::support;
use labkit::grade::{expect, expect_ok};

const EVERY: Duration = Duration::from_millis(100);

#[tokio::test]
async fn a_peer_that_answers_stays_alive() {
    let mut echo = support::echo_through_proxy().await;
    let verdict = expect_ok(
        watch(&mut echo.ws, EVERY, 3, Duration::from_millis(1_500)).await,
        "watch returns a verdict, not an error",
    );
    expect(
        verdict == Verdict::Alive,
        "a peer answering every ping is alive",
        verdict,
    );
}

#[tokio::test]
async fn a_silent_peer_is_declared_dead() {
    let mut echo = support::echo_through_proxy().await;
    echo.proxy.faults().set_black_hole(true);
    let verdict = expect_ok(
        tokio::time::timeout(
            Duration::from_secs(20),
            watch(&mut echo.ws, EVERY, 3, Duration::from_secs(4)),
        )
        .await,
        "watch returns within 20 s",
    );
    let verdict = expect_ok(verdict, "watch returns a verdict, not an error");
    expect(
        verdict == Verdict::Dead { unanswered: 4 },
        "after 4 pings in a row without a pong (3 allowed), the peer is dead",
        verdict,
    );
}
