//! Delay, bandwidth caps and the black hole, against a real echo server.
//! Times are only ever checked from below ("at least the configured delay"):
//! a loaded machine may be slower, never faster.

mod wire_support;

use std::time::{Duration, Instant};

use labkit::wire::{Direction, Proxy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wire_support::{echo_server, guard};

async fn round_trip(sock: &mut TcpStream, msg: &[u8]) -> Duration {
    let start = Instant::now();
    sock.write_all(msg).await.unwrap();
    let mut back = vec![0; msg.len()];
    guard("the echo", sock.read_exact(&mut back)).await.unwrap();
    assert_eq!(back, msg);
    start.elapsed()
}

#[tokio::test]
async fn delay_adds_at_least_the_configured_latency_each_way() {
    let echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();

    let faults = proxy.faults();
    faults.set_delay(Direction::ToServer, Duration::from_millis(100));
    faults.set_delay(Direction::ToClient, Duration::from_millis(50));
    let rtt = round_trip(&mut sock, b"ping").await;
    assert!(rtt >= Duration::from_millis(150), "round trip took {rtt:?}");

    faults.clear();
    let plain = round_trip(&mut sock, b"ping").await;
    println!("round trip with 100 ms + 50 ms of delay: {rtt:?}; without: {plain:?}");
}

#[tokio::test]
async fn the_delay_line_keeps_order_when_the_delay_shrinks() {
    let echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    let faults = proxy.faults();

    faults.set_delay(Direction::ToServer, Duration::from_millis(300));
    sock.write_all(b"A").await.unwrap();
    // Wait until the proxy has read "A" (it now sits in the delay line)...
    guard("the proxy reading A", async {
        while proxy.bytes(Direction::ToServer) < 1 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await;
    // ... then send "B" with no delay: it must not overtake "A".
    faults.set_delay(Direction::ToServer, Duration::ZERO);
    sock.write_all(b"B").await.unwrap();
    let mut back = [0; 2];
    guard("the echo", sock.read_exact(&mut back)).await.unwrap();
    assert_eq!(&back, b"AB");
}

#[tokio::test]
async fn a_bandwidth_cap_makes_n_bytes_take_at_least_n_over_rate() {
    let echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();
    let rate = 100_000;
    proxy
        .faults()
        .set_bandwidth(Direction::ToServer, Some(rate));

    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    let n = 50_000;
    let took = round_trip(&mut sock, &vec![9; n]).await;
    let floor = Duration::from_secs_f64(n as f64 / rate as f64);
    assert!(
        took >= floor,
        "{n} bytes at {rate} B/s took {took:?}, less than {floor:?}"
    );
    println!("{n} bytes at {rate} B/s: {took:?} (floor {floor:?})");

    // The cap is one link that all connections share: two connections
    // sending n/2 each together still need n / rate.
    let mut a = TcpStream::connect(proxy.addr()).await.unwrap();
    let mut b = TcpStream::connect(proxy.addr()).await.unwrap();
    let start = Instant::now();
    let half = vec![1; n / 2];
    tokio::join!(round_trip(&mut a, &half), round_trip(&mut b, &half));
    let both = start.elapsed();
    assert!(
        both >= floor,
        "two connections took {both:?}, less than {floor:?}"
    );
}

#[tokio::test]
async fn a_black_hole_is_silence_without_a_close() {
    let mut echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    round_trip(&mut sock, b"1").await;

    proxy.faults().set_black_hole(true);
    assert!(proxy.faults().black_hole());
    sock.write_all(b"2").await.unwrap();
    let mut buf = [0; 16];
    let waited = tokio::time::timeout(Duration::from_millis(300), sock.read(&mut buf)).await;
    assert!(
        waited.is_err(),
        "the read must time out, not end: got {waited:?}"
    );
    assert_eq!(proxy.open_connections(), 1, "nothing is closed");
    assert!(
        echo.ended.try_recv().is_err(),
        "the server's connection is open too"
    );
    // The proxy read the "2" (it is recorded) but held it back.
    assert_eq!(proxy.recording()[0].stream(Direction::ToServer), b"12");

    // Lifted: what was held arrives, in order, as after a healed partition.
    proxy.faults().set_black_hole(false);
    let mut back = [0; 1];
    guard("the held echo", sock.read_exact(&mut back))
        .await
        .unwrap();
    assert_eq!(&back, b"2");
    round_trip(&mut sock, b"3").await;
}
