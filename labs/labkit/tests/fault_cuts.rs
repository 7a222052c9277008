//! Cuts and refusals: what each end sees, against real servers.

mod wire_support;

use std::time::Duration;

use labkit::wire::http1;
use labkit::wire::{Direction, Ending, Proxy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wire_support::{echo_server, guard, http_server, read_until_closed, talker};

#[tokio::test]
async fn cut_all_closes_every_connection_for_both_ends() {
    let mut echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();
    let mut clients = Vec::new();
    for _ in 0..2 {
        let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
        sock.write_all(b"hi").await.unwrap();
        let mut back = [0; 2];
        guard("the echo", sock.read_exact(&mut back)).await.unwrap();
        clients.push(sock);
    }
    assert_eq!(proxy.open_connections(), 2);

    proxy.faults().cut_all();
    for sock in &mut clients {
        let (got, reset) = guard("the client's end", read_until_closed(sock)).await;
        assert!(got.is_empty());
        println!("client saw {}", if reset { "a reset" } else { "EOF" });
    }
    for _ in 0..2 {
        assert_eq!(guard("the server's end", echo.ended.recv()).await, Some(2));
    }
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    assert!(
        proxy
            .recording()
            .iter()
            .all(|c| c.ending == Some(Ending::Cut))
    );

    // Not sticky: the next connection works.
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    sock.write_all(b"again").await.unwrap();
    let mut back = [0; 5];
    guard("the echo", sock.read_exact(&mut back)).await.unwrap();
}

#[tokio::test]
async fn cut_on_next_to_client_loses_the_answer_to_a_processed_post() {
    let server = http_server().await;
    let proxy = Proxy::start(server.addr).await.unwrap();
    proxy.faults().cut_on_next(Direction::ToClient);

    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    sock.write_all(b"POST /orders HTTP/1.1\r\nHost: lab\r\nContent-Length: 5\r\n\r\nhello")
        .await
        .unwrap();
    let (got, reset) = guard("the client's end", read_until_closed(&mut sock)).await;
    assert!(
        got.is_empty(),
        "the client must get no response byte, got {got:?}"
    );
    println!(
        "client saw {} and no response; the server processed {} POST",
        if reset { "a reset" } else { "EOF" },
        server.posts()
    );
    assert_eq!(server.posts(), 1, "the server processed the POST");

    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    let rec = proxy.recording();
    let conn = &rec[0];
    assert_eq!(conn.ending, Some(Ending::Cut));
    let requests = http1::parse_requests(&conn.stream(Direction::ToServer))
        .complete()
        .unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, b"hello", "the request arrived whole");
    // The response was read from the server and recorded as lost.
    let lost: Vec<_> = conn.chunks_in(Direction::ToClient).collect();
    assert!(!lost.is_empty());
    assert!(lost.iter().all(|c| c.lost == c.bytes.len()));
    let responses = http1::parse_responses(&conn.stream(Direction::ToClient));
    assert_eq!(responses.units[0].status(), Some(200));

    // One shot: the next request goes through.
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    sock.write_all(
        b"POST /orders HTTP/1.1\r\nHost: lab\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi",
    )
    .await
    .unwrap();
    let (got, _) = guard("the second answer", read_until_closed(&mut sock)).await;
    assert!(got.starts_with(b"HTTP/1.1 200"));
    assert_eq!(server.posts(), 2);
}

#[tokio::test]
async fn cut_after_bytes_lets_exactly_n_bytes_through_to_the_client() {
    let reply: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let server = talker(reply.clone()).await;
    let proxy = Proxy::start(server).await.unwrap();
    for n in [0, 1, 1_000, 9_999, 10_000] {
        proxy
            .faults()
            .cut_after_bytes(Direction::ToClient, n as u64);
        let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
        sock.write_all(b"?").await.unwrap();
        let (got, _) = guard("the cut reply", read_until_closed(&mut sock)).await;
        assert_eq!(got.len(), n, "cut after {n} bytes");
        assert_eq!(got, reply[..n]);
    }
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    assert!(
        proxy
            .recording()
            .iter()
            .all(|c| c.ending == Some(Ending::Cut))
    );
}

#[tokio::test]
async fn cut_after_bytes_lets_exactly_n_bytes_through_to_the_server() {
    let mut echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();
    for n in [0, 7, 3_000] {
        proxy.faults().cut_after_bytes(Direction::ToServer, n);
        let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
        // The write may fail once the proxy has closed: that is the point.
        let _ = sock.write_all(&[5; 5_000]).await;
        let received = guard("the server's end", echo.ended.recv()).await;
        assert_eq!(received, Some(n as usize), "cut after {n} bytes");
        let (got, _) = guard("the client's end", read_until_closed(&mut sock)).await;
        assert!(got.len() <= n as usize);
    }
}

#[tokio::test]
async fn refuse_new_closes_new_connections_only() {
    let echo = echo_server().await;
    let proxy = Proxy::start(echo.addr).await.unwrap();
    let mut old = TcpStream::connect(proxy.addr()).await.unwrap();
    old.write_all(b"a").await.unwrap();
    let mut back = [0; 1];
    guard("the echo", old.read_exact(&mut back)).await.unwrap();

    proxy.faults().refuse_new(true);
    let mut refused = TcpStream::connect(proxy.addr()).await.unwrap();
    let (got, _) = guard("the refusal", read_until_closed(&mut refused)).await;
    assert!(got.is_empty());
    assert_eq!(proxy.connections_opened(), 2);
    assert_eq!(proxy.recording()[1].ending, Some(Ending::Refused));

    // The connection opened before still works.
    old.write_all(b"b").await.unwrap();
    guard("the echo", old.read_exact(&mut back)).await.unwrap();
    assert_eq!(&back, b"b");

    proxy.faults().clear();
    let mut fresh = TcpStream::connect(proxy.addr()).await.unwrap();
    fresh.write_all(b"c").await.unwrap();
    guard("the echo", fresh.read_exact(&mut back))
        .await
        .unwrap();
    assert_eq!(&back, b"c");
}
