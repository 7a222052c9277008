//! The capture files the proxy writes are read by Wireshark's own dissectors
//! (tshark): they must find exactly the HTTP requests and responses that
//! went through the proxy, on the right TCP conversations, with no TCP
//! sequence-number complaints.

mod wire_support;

use std::path::Path;
use std::time::Duration;

use labkit::wire::{Direction, Proxy};
use wire_support::{call, guard, http_client, http_server};

/// Runs tshark on `file` and returns its output lines. Fails (never skips)
/// when tshark is missing: without it this check would prove nothing.
fn tshark(file: &Path, args: &[&str]) -> Vec<String> {
    labkit::wire::tshark::run(file, args).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn tshark_finds_exactly_the_requests_that_went_through() {
    let server = http_server().await;
    let proxy = Proxy::start(server.addr).await.unwrap();

    // Connection 1: three requests kept alive, one response > 65 000 bytes
    // (split over several made-up segments). Connection 2: one more.
    let mut client = http_client(proxy.addr()).await;
    guard("GET", call(&mut client, "GET", "/fixed/10", "")).await;
    guard("POST", call(&mut client, "POST", "/orders", "hello")).await;
    let (_, big) = guard("GET big", call(&mut client, "GET", "/fixed/150000", "")).await;
    assert_eq!(big.len(), 150_000);
    drop(client);
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    let mut client = http_client(proxy.addr()).await;
    let (status, _) = guard("PUT", call(&mut client, "PUT", "/orders", "x")).await;
    assert_eq!(status, 405);
    drop(client);
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("run.pcap");
    proxy.write_pcap(&file).unwrap();
    let port = proxy.upstream().port();
    let as_http = format!("tcp.port=={port},http");

    let methods = tshark(
        &file,
        &[
            "-d",
            &as_http,
            "-Y",
            "http.request",
            "-T",
            "fields",
            "-e",
            "http.request.method",
        ],
    );
    assert_eq!(methods, ["GET", "POST", "GET", "PUT"]);

    let codes = tshark(
        &file,
        &[
            "-d",
            &as_http,
            "-Y",
            "http.response",
            "-T",
            "fields",
            "-e",
            "http.response.code",
        ],
    );
    assert_eq!(codes, ["200", "200", "200", "405"]);

    // The 150 000-byte body, reassembled by tshark from our segments.
    let lengths = tshark(
        &file,
        &[
            "-d",
            &as_http,
            "-Y",
            "http.response",
            "-T",
            "fields",
            "-e",
            "http.content_length",
        ],
    );
    assert!(lengths.contains(&"150000".to_string()), "{lengths:?}");

    let mut streams = tshark(&file, &["-T", "fields", "-e", "tcp.stream"]);
    streams.dedup();
    assert_eq!(streams, ["0", "1"], "one TCP conversation per connection");

    let syns = tshark(&file, &["-Y", "tcp.flags.syn==1 && tcp.flags.ack==0"]);
    assert_eq!(syns.len(), proxy.connections_opened());

    // Decoded as HTTP on the server's port: otherwise tshark picks a dissector
    // by the client's port, and an ephemeral port that happens to be another
    // protocol's (48898 is AMS's) makes HTTP look like a malformed packet.
    let complaints = tshark(
        &file,
        &[
            "-d",
            &as_http,
            "-Y",
            "tcp.analysis.flags || _ws.malformed || _ws.expert.severity >= warning",
        ],
    );
    assert!(complaints.is_empty(), "tshark complains: {complaints:#?}");

    // Checksums verified (Wireshark leaves the checks off by default): every
    // packet's IPv4 and TCP checksums are "good" (status 1).
    let all = tshark(&file, &[]).len();
    let good = tshark(
        &file,
        &[
            "-o",
            "ip.check_checksum:TRUE",
            "-o",
            "tcp.check_checksum:TRUE",
            "-Y",
            "ip.checksum.status == 1 && tcp.checksum.status == 1",
        ],
    );
    assert_eq!(good.len(), all);

    // Every payload byte is in the file, and nothing else.
    let payload: u64 = tshark(&file, &["-T", "fields", "-e", "tcp.len"])
        .iter()
        .map(|l| l.parse::<u64>().unwrap())
        .sum();
    assert_eq!(
        payload,
        proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient)
    );
    println!(
        "tshark read {} requests, {} responses, {payload} payload bytes over {} connections",
        methods.len(),
        codes.len(),
        streams.len()
    );
}

#[tokio::test]
async fn a_cut_shows_as_resets_after_what_each_end_sent() {
    let server = http_server().await;
    let proxy = Proxy::start(server.addr).await.unwrap();
    proxy.faults().cut_on_next(Direction::ToClient);
    let mut sock = tokio::net::TcpStream::connect(proxy.addr()).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(
        &mut sock,
        b"POST /orders HTTP/1.1\r\nHost: lab\r\nContent-Length: 2\r\n\r\nhi",
    )
    .await
    .unwrap();
    let (got, _) = guard("the cut", wire_support::read_until_closed(&mut sock)).await;
    assert!(got.is_empty());
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cut.pcap");
    proxy.write_pcap(&file).unwrap();
    let as_http = format!("tcp.port=={},http", proxy.upstream().port());

    // The file shows what each end sent: the POST, the server's answer
    // (which the client never got), then the connection reset both ways.
    let info = tshark(
        &file,
        &[
            "-d",
            &as_http,
            "-Y",
            "http",
            "-T",
            "fields",
            "-e",
            "http.request.method",
            "-e",
            "http.response.code",
        ],
    );
    assert_eq!(info, ["POST\t", "\t200"]);
    let resets = tshark(&file, &["-Y", "tcp.flags.reset==1"]);
    assert_eq!(resets.len(), 2);
}
