//! The reverse-proxy rows of the claims table, through a real private
//! nginx (Debian's nginx-light or nginx). Fails, saying what to install,
//! when nginx is missing.

use std::time::Duration;

use lab_realtime::proxies::{self, Pace, Setup};
use lab_realtime::server;

#[tokio::test]
async fn nginx_buffering_holds_sse_events_until_the_response_ends() {
    let s = server::spawn_local().await.unwrap();
    let t = proxies::sse_through(
        s.addr,
        &s.hub,
        Setup::Defaults,
        6,
        Duration::from_millis(80),
    )
    .await
    .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(t.events, 6);
    assert_eq!(
        t.arrived_before_last_publish, 0,
        "nothing arrived while events were still being sent"
    );
    assert_eq!(t.lumps, 1, "all six arrived in one read");
}

/// Each event is published only once the client holds the one before (10 s
/// of patience at most), so an event can share a read with the next only
/// if nginx held it back: what is asserted does not depend on how loaded
/// the machine is.
const LOCKSTEP: Pace = Pace::AfterArrival {
    patience: Duration::from_secs(10),
};

#[tokio::test]
async fn with_proxy_buffering_off_each_event_arrives_on_its_own() {
    let s = server::spawn_local().await.unwrap();
    let t = proxies::sse_paced(s.addr, &s.hub, Setup::NoBuffering, 6, LOCKSTEP)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(t.events, 6);
    assert_eq!(
        t.arrived_before_next_publish, 5,
        "each event reached the client before the next was published"
    );
    assert_eq!(t.lumps, 6, "no lump: each event came in a read of its own");
}

#[tokio::test]
async fn an_x_accel_buffering_no_header_from_the_server_turns_buffering_off() {
    let s = server::spawn_local().await.unwrap();
    let t = proxies::sse_paced(s.addr, &s.hub, Setup::HeaderFromServer, 6, LOCKSTEP)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(t.events, 6);
    assert_eq!(
        t.arrived_before_next_publish, 5,
        "nginx's default config, yet each event reached the client before the next was published"
    );
    assert_eq!(t.lumps, 6, "no lump: each event came in a read of its own");
}

#[tokio::test]
async fn websocket_through_nginx_needs_the_upgrade_headers_forwarded() {
    let s = server::spawn_local().await.unwrap();
    let without = proxies::websocket_through(s.addr, Setup::Defaults)
        .await
        .unwrap();
    let err = without
        .result
        .expect_err("the handshake fails without the headers");
    assert!(err.contains("400"), "{err}");
    let with = proxies::websocket_through(s.addr, Setup::WebSocketHeaders)
        .await
        .unwrap();
    assert_eq!(with.result.as_deref(), Ok("through nginx"));
}
