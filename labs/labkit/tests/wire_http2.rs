//! The HTTP/2 decoder, checked three ways: against frames built by hand from
//! RFC 9113's layout, against what curl (which we did not write) and a real
//! HTTP/2 server (hyper, under axum) exchange through the proxy, and against
//! Wireshark's HTTP/2 dissector (tshark) reading the same connection from a
//! pcap file.

mod wire_support;

use std::process::Command;
use std::time::Duration;

use labkit::wire::http2::{self, FrameType, flags, settings};
use labkit::wire::{Decoder, Direction, Proxy, StopReason, Unit};

/// Builds one frame: the 9-byte header, then the payload.
fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let len = (payload.len() as u32).to_be_bytes();
    let mut f = vec![len[1], len[2], len[3], kind, flags];
    f.extend_from_slice(&stream.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

fn hand_made_client_stream() -> Vec<u8> {
    let mut s = http2::PREFACE.to_vec();
    // SETTINGS: MAX_CONCURRENT_STREAMS = 7, INITIAL_WINDOW_SIZE = 65535.
    s.extend(frame(
        0x4,
        0,
        0,
        &[0, 3, 0, 0, 0, 7, 0, 4, 0, 0, 0xff, 0xff],
    ));
    let mut encoder = loona_hpack::Encoder::new();
    let block = encoder.encode([
        (&b":method"[..], &b"POST"[..]),
        (b":path", b"/payments.PaymentService/Charge"),
        (b"content-type", b"application/grpc"),
    ]);
    // The block split over HEADERS and one CONTINUATION.
    let (a, b) = block.split_at(block.len() / 2);
    s.extend(frame(0x1, 0, 1, a));
    s.extend(frame(0x9, flags::END_HEADERS, 1, b));
    // DATA with padding: pad length 3, data "hello", 3 zero bytes.
    s.extend(frame(
        0x0,
        flags::END_STREAM | flags::PADDED,
        1,
        b"\x03hello\0\0\0",
    ));
    s
}

#[test]
fn hand_made_frames_decode_with_types_flags_streams_and_headers() {
    let stream = hand_made_client_stream();
    let frames = http2::parse(&stream).complete().unwrap();
    let kinds: Vec<_> = frames.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FrameType::Preface,
            FrameType::Settings,
            FrameType::Headers,
            FrameType::Continuation,
            FrameType::Data
        ]
    );
    assert_eq!(frames[1].setting(settings::MAX_CONCURRENT_STREAMS), Some(7));
    assert_eq!(http2::max_concurrent_streams(&frames), Some(7));
    assert_eq!(frames[2].stream_id, 1);
    assert_eq!(
        frames[2].header(":path"),
        Some("/payments.PaymentService/Charge")
    );
    assert_eq!(frames[2].header("content-type"), Some("application/grpc"));
    assert_eq!(frames[4].data(), b"hello");
    assert!(frames[4].ends_stream());
    // Every byte is accounted for: 24 + 9 per frame + payloads.
    let total: usize = frames.iter().map(|f| f.wire_len()).sum();
    assert_eq!(total, stream.len());
    assert_eq!(frames[0].header_len(), 24);
}

#[test]
fn a_cut_stream_is_incomplete_and_bad_frames_are_invalid() {
    let stream = hand_made_client_stream();
    for cut in 1..stream.len() {
        let d = http2::parse(&stream[..cut]);
        if let Some(stop) = d.stop {
            assert_eq!(stop.reason, StopReason::Incomplete, "cut at {cut}");
        }
    }
    // SETTINGS must be on stream 0.
    let bad = frame(0x4, 0, 3, &[]);
    let d = http2::parse(&bad);
    assert!(matches!(d.stop.unwrap().reason, StopReason::Invalid(_)));
    // DATA on stream 0 is not allowed either.
    let d = http2::parse(&frame(0x0, 0, 0, b"x"));
    assert!(matches!(d.stop.unwrap().reason, StopReason::Invalid(_)));
    // A header block that is not HPACK.
    let d = http2::parse(&frame(
        0x1,
        flags::END_HEADERS,
        1,
        &[0xff, 0xff, 0xff, 0xff],
    ));
    let err = d.complete().unwrap_err().to_string();
    assert!(err.contains("HPACK"), "{err}");
}

fn run(program: &str, args: &[&str], install: &str) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}); install it with `{install}`"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_and_hyper_frames_match_tshark() {
    let app = axum::Router::new().route("/hello", axum::routing::get(|| async { "hello, h2" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let proxy = Proxy::start(server).await.unwrap();
    let url = format!("http://{}/hello", proxy.addr());
    let body = tokio::task::spawn_blocking(move || {
        run(
            "curl",
            &["-sS", "--http2-prior-knowledge", &url],
            "apt-get install curl",
        )
    })
    .await
    .unwrap();
    assert_eq!(body, "hello, h2");
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);

    let conns = proxy.recording();
    assert_eq!(conns.len(), 1);
    let up = http2::Frames
        .decode_conn(&conns[0], Direction::ToServer)
        .complete()
        .unwrap();
    let down = http2::Frames
        .decode_conn(&conns[0], Direction::ToClient)
        .complete()
        .unwrap();
    assert_eq!(up[0].kind, FrameType::Preface);
    // One request on stream 1: a GET to /hello.
    assert_eq!(http2::streams(&up), [1]);
    for f in up.iter().filter(|f| f.kind == FrameType::Headers) {
        assert_eq!(f.header(":method"), Some("GET"));
        assert_eq!(f.header(":path"), Some("/hello"));
    }
    // The response: status 200, the body in DATA frames.
    let statuses: Vec<_> = down.iter().filter_map(|f| f.header(":status")).collect();
    assert_eq!(statuses, ["200"]);
    let data: Vec<u8> = down.iter().flat_map(|f| f.data().to_vec()).collect();
    assert_eq!(data, b"hello, h2");
    // hyper's server announces a stream limit in its first SETTINGS frame.
    assert!(http2::max_concurrent_streams(&down).is_some());

    // tshark, which we did not write, sees the same frame types in the same order.
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("h2.pcap");
    proxy.write_pcap(&pcap).unwrap();
    let port = format!("tcp.port=={},http2", server.port());
    let out = labkit::wire::tshark::run(
        &pcap,
        &[
            "-d",
            &port,
            "-T",
            "fields",
            "-e",
            "tcp.dstport",
            "-e",
            "http2.type",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut theirs = (Vec::new(), Vec::new());
    for line in &out {
        let mut cols = line.split('\t');
        let dst: u16 = cols.next().unwrap_or_default().parse().unwrap_or(0);
        let types = cols.next().unwrap_or_default();
        let side = if dst == server.port() {
            &mut theirs.0
        } else {
            &mut theirs.1
        };
        side.extend(
            types
                .split(',')
                .filter(|t| !t.is_empty())
                .map(|t| t.parse::<u8>().unwrap()),
        );
    }
    let ours = |frames: &[http2::Frame]| -> Vec<u8> {
        frames.iter().filter_map(|f| f.kind.byte()).collect()
    };
    assert_eq!(ours(&up), theirs.0, "client → server frame types");
    assert_eq!(ours(&down), theirs.1, "server → client frame types");
}

#[test]
fn every_cut_of_a_stream_stops_cleanly() {
    wire_support::assert_every_cut_stops_cleanly(&http2::Frames, &hand_made_client_stream());
}
