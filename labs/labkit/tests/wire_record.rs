//! The proxy records every chunk both ways, counts connections and says how
//! each one ended, against a real TCP echo server.

mod wire_support;

use std::time::Duration;

use labkit::wire::{Direction, Ending, Proxy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wire_support::{echo_server, guard, read_until_closed, talker};

#[tokio::test]
async fn every_byte_is_recorded_both_ways_in_order() {
    let mut echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();

    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    let messages: [&[u8]; 3] = [b"hello", &[7u8; 1000], &[42u8; 200_000]];
    let mut sent = Vec::new();
    for m in messages {
        sock.write_all(m).await.unwrap();
        let mut back = vec![0; m.len()];
        guard("the echo", sock.read_exact(&mut back)).await.unwrap();
        assert_eq!(back, m, "the proxy must forward bytes unchanged");
        sent.extend_from_slice(m);
    }
    drop(sock);
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    assert_eq!(
        guard("the server's close", echo.ended.recv()).await,
        Some(sent.len())
    );

    assert_eq!(proxy.connections_opened(), 1);
    assert_eq!(proxy.open_connections(), 0);
    assert_eq!(proxy.bytes(Direction::ToServer), sent.len() as u64);
    assert_eq!(proxy.bytes(Direction::ToClient), sent.len() as u64);

    let rec = proxy.recording();
    assert_eq!(rec.len(), 1);
    let conn = &rec[0];
    assert_eq!(conn.stream(Direction::ToServer), sent);
    assert_eq!(conn.stream(Direction::ToClient), sent);
    assert_eq!(conn.ending, Some(Ending::Client));
    assert!(conn.chunks.iter().all(|c| c.lost == 0));
    assert!(
        conn.chunks.windows(2).all(|w| w[0].at <= w[1].at),
        "chunks are in time order"
    );
    let closed = conn.closed_at.unwrap();
    assert!(conn.opened_at <= conn.chunks[0].at && conn.chunks.last().unwrap().at <= closed);
    // Each echo comes after the message it echoes.
    let first_back = conn.chunks_in(Direction::ToClient).next().unwrap();
    assert!(conn.chunks[0].dir == Direction::ToServer && conn.chunks[0].at <= first_back.at);
    println!(
        "1 connection, {} chunks for 3 messages of {} bytes each way",
        conn.chunks.len(),
        sent.len()
    );
}

#[tokio::test]
async fn fresh_connections_are_counted_and_reset_forgets_them() {
    let echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();

    for i in 0..3u8 {
        let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
        sock.write_all(&[i; 10]).await.unwrap();
        let mut back = [0; 10];
        guard("the echo", sock.read_exact(&mut back)).await.unwrap();
    }
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    assert_eq!(proxy.connections_opened(), 3);
    assert_eq!(proxy.recording().len(), 3);
    assert_eq!(proxy.bytes(Direction::ToServer), 30);

    // A connection open across the reset keeps being recorded, from zero.
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    sock.write_all(b"before").await.unwrap();
    let mut back = [0; 6];
    guard("the echo", sock.read_exact(&mut back)).await.unwrap();
    proxy.reset();
    assert_eq!(proxy.connections_opened(), 0);
    assert_eq!(proxy.bytes(Direction::ToServer), 0);
    assert_eq!(proxy.open_connections(), 1);
    sock.write_all(b"after").await.unwrap();
    let mut back = [0; 5];
    guard("the echo", sock.read_exact(&mut back)).await.unwrap();
    let rec = proxy.recording();
    assert_eq!(rec.len(), 1);
    assert_eq!(rec[0].stream(Direction::ToServer), b"after");
}

#[tokio::test]
async fn the_side_that_closes_first_is_recorded() {
    // The server speaks first and waits; the client closes.
    let server = talker(b"greeting".to_vec()).await;
    let proxy = Proxy::start(server).await.unwrap();
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    sock.write_all(b"?").await.unwrap();
    let mut got = [0; 8];
    guard("the greeting", sock.read_exact(&mut got))
        .await
        .unwrap();
    drop(sock);
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    assert_eq!(proxy.recording()[0].ending, Some(Ending::Client));

    // A server that closes on its own (an idle timeout, say).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = Proxy::start(listener.local_addr().unwrap()).await.unwrap();
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    let (accepted, _) = listener.accept().await.unwrap();
    drop(accepted);
    let (got, _) = guard("the server's close", read_until_closed(&mut sock)).await;
    assert!(got.is_empty());
    drop(sock); // as a client does when it sees the server's FIN
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    assert_eq!(proxy.recording()[0].ending, Some(Ending::Server));
}

#[tokio::test]
async fn nothing_listening_upstream_closes_the_client() {
    let gone = {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap()
    };
    let proxy = Proxy::start(gone).await.unwrap();
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    let (got, _) = guard("the close", read_until_closed(&mut sock)).await;
    assert!(got.is_empty());
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    assert_eq!(proxy.recording()[0].ending, Some(Ending::Unreachable));
}

#[tokio::test]
async fn dropping_the_proxy_closes_its_connections() {
    let mut echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    sock.write_all(b"x").await.unwrap();
    let mut back = [0; 1];
    guard("the echo", sock.read_exact(&mut back)).await.unwrap();
    let addr = proxy.addr();
    drop(proxy);
    let (got, _) = guard("the close after drop", read_until_closed(&mut sock)).await;
    assert!(got.is_empty());
    assert_eq!(
        guard("the server's close", echo.ended.recv()).await,
        Some(1)
    );
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "the listener is closed too"
    );
}

#[tokio::test]
async fn recording_does_not_change_what_arrives_only_how_long_a_hop_takes() {
    // Not a timed assertion: prints the cost of the extra hop, checks counts.
    let echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();
    let rounds = 500;
    let mut median = Vec::new();
    for addr in [echo.addr, proxy.addr()] {
        let mut sock = TcpStream::connect(addr).await.unwrap();
        sock.set_nodelay(true).unwrap();
        let mut times = Vec::with_capacity(rounds);
        for i in 0..rounds {
            let msg = (i as u32).to_be_bytes();
            let start = std::time::Instant::now();
            sock.write_all(&msg).await.unwrap();
            let mut back = [0; 4];
            guard("the echo", sock.read_exact(&mut back)).await.unwrap();
            times.push(start.elapsed());
            assert_eq!(back, msg);
        }
        times.sort();
        median.push(times[rounds / 2]);
    }
    println!(
        "echo round trip, median of {rounds}: direct {:?}, through the recording proxy {:?}",
        median[0], median[1]
    );
    assert_eq!(proxy.bytes(Direction::ToServer), 4 * rounds as u64);
    assert_eq!(
        proxy.recording()[0].chunks.len(),
        2 * rounds,
        "one chunk per message each way"
    );
}
