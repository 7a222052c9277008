//! The HTTP/1.1 decoder on real traffic: hyper's client and raw requests
//! through the proxy to an axum server.

mod wire_support;

use std::time::Duration;

use labkit::wire::http1::{self, Framing};
use labkit::wire::{self, Direction, Proxy};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use wire_support::{call, guard, http_client, http_server, read_until_closed};

#[tokio::test]
async fn three_requests_on_one_keep_alive_connection() {
    let server = http_server().await;
    let proxy = Proxy::start(server.addr).await.unwrap();

    let mut client = http_client(proxy.addr()).await;
    let a = guard("GET /fixed/10", call(&mut client, "GET", "/fixed/10", "")).await;
    let b = guard("POST /orders", call(&mut client, "POST", "/orders", "abc")).await;
    let c = guard("GET /chunked", call(&mut client, "GET", "/chunked", "")).await;
    assert_eq!((a.0, &a.1[..]), (200, &b"xxxxxxxxxx"[..]));
    assert_eq!((b.0, &b.1[..]), (200, &b"created 3"[..]));
    assert_eq!((c.0, &c.1[..]), (200, &b"first,second,third"[..]));
    drop(client);
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);

    assert_eq!(
        proxy.connections_opened(),
        1,
        "keep-alive: one TCP connection"
    );
    let rec = proxy.recording();

    let requests = wire::count(&rec, Direction::ToServer, &http1::Requests);
    let responses = wire::count(&rec, Direction::ToClient, &http1::Responses);
    println!("{requests}\n{responses}");
    assert_eq!(requests.total().count, 3);
    assert_eq!((requests.count("GET"), requests.count("POST")), (2, 1));
    assert_eq!(responses.total().count, 3);
    assert_eq!(responses.count("200"), 3);
    assert!(requests.stops.is_empty() && responses.stops.is_empty());

    // Head plus body accounts for every byte the proxy saw.
    assert_eq!(
        requests.total().wire_bytes(),
        proxy.bytes(Direction::ToServer)
    );
    assert_eq!(
        responses.total().wire_bytes(),
        proxy.bytes(Direction::ToClient)
    );
    println!(
        "requests: {} header bytes, {} body bytes; responses: {} header bytes, {} body bytes",
        requests.total().header_bytes,
        requests.total().body_bytes,
        responses.total().header_bytes,
        responses.total().body_bytes
    );

    let msgs = http1::parse_responses(&rec[0].stream(Direction::ToClient))
        .complete()
        .unwrap();
    assert_eq!(msgs[0].framing, Framing::Length(10));
    assert_eq!(msgs[0].body_len, 10);
    assert_eq!(msgs[2].framing, Framing::Chunked { chunks: 3 });
    assert_eq!(msgs[2].body, b"first,second,third");
    assert!(
        msgs[2].body_len > msgs[2].body.len(),
        "chunk sizes are on the wire too"
    );
    let reqs = http1::parse_requests(&rec[0].stream(Direction::ToServer))
        .complete()
        .unwrap();
    assert_eq!(reqs[1].target(), Some("/orders"));
    assert_eq!(reqs[1].framing, Framing::Length(3));
    assert_eq!(reqs[1].body, b"abc");
    assert_eq!(server.posts(), 1);
}

#[tokio::test]
async fn one_connection_per_request_without_keep_alive() {
    let server = http_server().await;
    let proxy = Proxy::start(server.addr).await.unwrap();
    for _ in 0..3 {
        let mut client = http_client(proxy.addr()).await;
        guard("GET", call(&mut client, "GET", "/fixed/3", "")).await;
    }
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    assert_eq!(proxy.connections_opened(), 3);
    let rec = proxy.recording();
    let requests = wire::count(&rec, Direction::ToServer, &http1::Requests);
    assert_eq!(requests.count("GET"), 3);
    for conn in &rec {
        let one = http1::parse_requests(&conn.stream(Direction::ToServer));
        assert_eq!(one.units.len(), 1);
    }
}

#[tokio::test]
async fn head_204_and_a_chunked_request_body_from_a_raw_client() {
    let server = http_server().await;
    let proxy = Proxy::start(server.addr).await.unwrap();

    // Pipelined on one connection, the last one asking the server to close.
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    sock.write_all(
        b"HEAD /fixed/100 HTTP/1.1\r\nHost: lab\r\n\r\n\
GET /empty HTTP/1.1\r\nHost: lab\r\n\r\n\
POST /orders HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n\
GET /fixed/5 HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let (raw, _) = guard("the responses", read_until_closed(&mut sock)).await;
    drop(sock);
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);

    let rec = proxy.recording();
    let requests = http1::parse_requests(&rec[0].stream(Direction::ToServer))
        .complete()
        .unwrap();
    let methods: Vec<_> = requests.iter().filter_map(|m| m.method()).collect();
    assert_eq!(methods, ["HEAD", "GET", "POST", "GET"]);
    assert_eq!(requests[2].framing, Framing::Chunked { chunks: 2 });
    assert_eq!(requests[2].body, b"abcdefg");

    // The Responses decoder reads the requests to know the HEAD one has no body.
    let responses = wire::Decoder::decode_conn(&http1::Responses, &rec[0], Direction::ToClient)
        .complete()
        .unwrap();
    let statuses: Vec<_> = responses.iter().filter_map(|m| m.status()).collect();
    assert_eq!(statuses, [200, 204, 200, 200]);
    assert_eq!(responses[0].header("content-length"), Some("100"));
    assert_eq!(responses[0].body_len, 0, "a response to HEAD has no body");
    assert_eq!(responses[2].body, b"created 7");
    assert_eq!(responses[3].body, b"xxxxx");
    let total: usize = responses.iter().map(|m| m.len()).sum();
    assert_eq!(total, raw.len());
}

#[tokio::test]
async fn a_response_cut_short_is_reported_as_incomplete() {
    let server = http_server().await;
    let proxy = Proxy::start(server.addr).await.unwrap();
    let request = b"GET /fixed/10000 HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n";

    // An uncut exchange first, to learn the size of the response's head.
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    sock.write_all(request).await.unwrap();
    let (full, _) = guard("the whole response", read_until_closed(&mut sock)).await;
    let head_len = http1::parse_responses(&full).complete().unwrap()[0].head_len;
    drop(sock);
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    proxy.reset();

    // Now let the head and 100 bytes of the body through, then cut.
    proxy
        .faults()
        .cut_after_bytes(Direction::ToClient, head_len as u64 + 100);
    let mut sock = TcpStream::connect(proxy.addr()).await.unwrap();
    sock.write_all(request).await.unwrap();
    let (got, _) = guard("the cut response", read_until_closed(&mut sock)).await;
    assert_eq!(got.len(), head_len + 100);

    let decoded = http1::parse_responses(&got);
    assert!(decoded.units.is_empty());
    let stop = decoded.stop.clone().unwrap();
    assert_eq!((stop.offset, stop.remaining), (0, head_len + 100));
    let err = decoded.complete().unwrap_err();
    println!("{err}");
}

#[tokio::test]
async fn a_response_head_read_by_hand_is_parsed_alone() {
    // A client that reads up to the blank line itself (as a WebSocket
    // handshake does) parses that head without the body that follows.
    let server = http_server().await;
    let mut sock = TcpStream::connect(server.addr).await.unwrap();
    sock.write_all(b"GET /fixed/10000 HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (full, _) = guard("the whole response", read_until_closed(&mut sock)).await;
    let end = full.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = http1::response_head(&full[..end]).expect("a response head");
    assert_eq!(head.status(), Some(200));
    assert_eq!((head.head_len, head.body_len), (end, 0));
    assert_eq!(head.framing, Framing::Length(10_000));
    assert_eq!(head.header("content-length"), Some("10000"));
    // The same bytes with a body after them: only the head is read.
    assert_eq!(http1::response_head(&full).unwrap().head_len, end);
    // Half a head, or a request, is not a response head.
    assert!(http1::response_head(&full[..end / 2]).is_none());
    assert!(http1::response_head(b"GET / HTTP/1.1\r\n\r\n").is_none());
}

#[tokio::test]
async fn an_h2c_connection_is_handed_over_not_misread() {
    let server = http_server().await;
    let proxy = Proxy::start(server.addr).await.unwrap();

    // HTTP/2 without TLS, "prior knowledge": hyper's HTTP/2 client.
    let stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let (mut h2, conn) = hyper::client::conn::http2::handshake(
        hyper_util::rt::TokioExecutor::new(),
        hyper_util::rt::TokioIo::new(stream),
    )
    .await
    .unwrap();
    tokio::spawn(conn);
    for _ in 0..3 {
        let req = hyper::Request::builder()
            .uri(format!("http://{}/fixed/4", server.addr))
            .body(http_body_util::Full::new(bytes::Bytes::new()))
            .unwrap();
        let res = guard("an h2 request", h2.send_request(req)).await.unwrap();
        assert_eq!(res.status(), 200);
    }
    drop(h2);
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    assert_eq!(proxy.connections_opened(), 1);

    let rec = proxy.recording();
    let requests = wire::count(&rec, Direction::ToServer, &http1::Requests);
    let responses = wire::count(&rec, Direction::ToClient, &http1::Responses);
    println!("{requests}\n{responses}");
    assert_eq!(requests.total().count, 0);
    assert_eq!(responses.total().count, 0);
    assert_eq!(requests.stops.len(), 1);
    assert_eq!(responses.stops.len(), 1);
    assert_eq!(
        requests.problems().count() + responses.problems().count(),
        0
    );
    assert!(
        matches!(&requests.stops[0].1.reason, wire::StopReason::Handover(to) if to.contains("HTTP/2"))
    );
}

#[test]
fn every_cut_of_a_stream_stops_cleanly() {
    let requests = b"GET /a HTTP/1.1\r\nHost: lab\r\n\r\n\
        POST /b HTTP/1.1\r\nHost: lab\r\nContent-Length: 5\r\n\r\nhello\
        POST /c HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    wire_support::assert_every_cut_stops_cleanly(&http1::Requests, requests);
    let responses = b"HTTP/1.1 204 No Content\r\n\r\n\
        HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    wire_support::assert_every_cut_stops_cleanly(&http1::Responses, responses);
}
