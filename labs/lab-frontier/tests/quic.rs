//! Claims of "QUIC: streams without a queue", checked against quinn, h2,
//! rustls and labkit's proxies on loopback.

use lab_frontier::quic::Tickets;
use lab_frontier::{handshakes, hol, migration, replay};
use labkit::tls::Throwaway;

fn certs() -> Throwaway {
    Throwaway::new("lab-frontier test CA", &["localhost", "127.0.0.1"]).expect("certificates")
}

/// Over QUIC, in 3 runs, at least 8 of the 9 streams that lost nothing are
/// read to their end before the stream whose datagram the proxy dropped
/// (by half a one-way delay or more; one may lose to a busy machine).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quic_streams_that_lost_nothing_do_not_wait() {
    let certs = certs();
    let mut runs = Vec::new();
    for _ in 0..3 {
        runs.push(hol::quic_run(&certs).await.expect("a QUIC run"));
    }
    let ahead: usize = runs.iter().map(hol::Run::unaffected_before_lossy).sum();
    assert!(
        ahead >= 8,
        "over QUIC the streams that lost nothing should finish before the lossy one: {runs:?}"
    );
}

/// Over HTTP/2 on one TCP connection, in 3 runs, none of the 9 streams that
/// lost nothing is read to its end before the one held back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h2_streams_wait_behind_the_lost_segment() {
    let mut runs = Vec::new();
    for _ in 0..3 {
        runs.push(hol::h2_run().await.expect("an HTTP/2 run"));
    }
    let ahead: usize = runs.iter().map(hol::Run::unaffected_before_lossy).sum();
    assert_eq!(
        ahead, 0,
        "over TCP no stream should overtake the held one: {runs:?}"
    );
}

/// Counted on the proxies: TCP + TLS 1.3 sends its request after 2 round
/// trips, a fresh QUIC connection after 1, a resumed one with 0-RTT after 0
/// (and the server accepted the early data).
#[tokio::test]
async fn round_trips_before_the_first_byte() {
    let certs = certs();
    let tcp = handshakes::tcp_tls(&certs).await.expect("TCP + TLS");
    let (fresh, resumed) = handshakes::quic_fresh_and_resumed(&certs)
        .await
        .expect("QUIC");
    assert_eq!(tcp.round_trips, 2, "TCP + TLS 1.3: {tcp:?}");
    assert_eq!(fresh.round_trips, 1, "fresh QUIC: {fresh:?}");
    assert_eq!(resumed.round_trips, 0, "resumed QUIC: {resumed:?}");
    assert_eq!(resumed.early_data_accepted, Some(true), "{resumed:?}");
    for c in [&tcp, &fresh, &resumed] {
        assert_eq!(c.answer, format!("done: {}", handshakes::REQUEST), "{c:?}");
    }
}

/// A replayed 0-RTT flight makes a server with reusable tickets carry out
/// the same payment twice; with single-use tickets, once.
#[tokio::test]
async fn replayed_early_data_runs_twice_unless_tickets_are_single_use() {
    let certs = certs();
    let open = replay::replay(&certs, Tickets::Reusable)
        .await
        .expect("replay");
    assert!(open.early_accepted, "{open:?}");
    assert_eq!(open.carried_out, 2, "reusable tickets: {open:?}");
    let guarded = replay::replay(&certs, Tickets::SingleUse)
        .await
        .expect("replay");
    assert!(guarded.early_accepted, "{guarded:?}");
    assert_eq!(guarded.carried_out, 1, "single-use tickets: {guarded:?}");
}

/// After the client rebinds mid-upload, the upload completes on the same
/// connection, the server sees it from a new address, and the client sends
/// no Initial or Handshake packet from its new port.
#[tokio::test]
async fn a_moved_client_keeps_its_connection() {
    let moved = migration::migrate(&certs()).await.expect("migration");
    assert_eq!(
        moved.before.connection, moved.upload.connection,
        "{moved:?}"
    );
    assert_ne!(moved.before.from, moved.upload.from, "{moved:?}");
    assert_eq!(moved.client_addresses, 2, "{moved:?}");
    assert!(moved.datagrams_after_move > 0, "{moved:?}");
    assert_eq!(moved.handshake_packets_after_move, 0, "{moved:?}");
    assert_eq!(
        moved.answer,
        format!("done: {} bytes", migration::PIECES * migration::PIECE)
    );
}
