//! Grading tests for `realtime-heartbeat`: a real WebSocket peer
//! (tungstenite answers pings by itself) behind labkit's proxy, which
//! turns into a black hole on request — bytes vanish, no FIN, no RST.

use std::time::Duration;

use lab_realtime_exercises::heartbeat::{Verdict, watch};
use lab_realtime_exercises::support;
use labkit::grade::expect;

const EVERY: Duration = Duration::from_millis(100);

#[tokio::test]
async fn a_peer_that_answers_stays_alive() {
    let (mut ws, _proxy) = support::echo_through_proxy().await;
    let verdict = watch(&mut ws, EVERY, 3, Duration::from_millis(1_500))
        .await
        .unwrap();
    expect(
        verdict == Verdict::Alive,
        "a peer answering every ping is alive",
        verdict,
    );
}

#[tokio::test]
async fn a_silent_peer_is_declared_dead() {
    let (mut ws, proxy) = support::echo_through_proxy().await;
    proxy.faults().set_black_hole(true);
    let verdict = tokio::time::timeout(
        Duration::from_secs(20),
        watch(&mut ws, EVERY, 3, Duration::from_secs(4)),
    )
    .await
    .expect("watch returned within 20 s")
    .unwrap();
    expect(
        verdict == Verdict::Dead { unanswered: 4 },
        "after 4 pings in a row without a pong (3 allowed), the peer is dead",
        verdict,
    );
}
