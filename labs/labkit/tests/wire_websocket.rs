//! The WebSocket frame decoder on real traffic: tokio-tungstenite's client
//! and server talking through the proxy, checked against the frame sizes
//! RFC 6455 fixes and against Wireshark's own WebSocket dissector (tshark).

mod wire_support;

use std::process::Command;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use labkit::wire::websocket::{self, Frames, Opcode};
use labkit::wire::{self, Decoder, Direction, Proxy, StopReason, Unit, http1};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// A WebSocket echo server (tungstenite's own), on a free port.
async fn echo_server() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(sock).await else {
                    return;
                };
                while let Some(Ok(msg)) = ws.next().await {
                    if msg.is_text() || msg.is_binary() {
                        let _ = ws.send(msg).await;
                    }
                }
            });
        }
    });
    addr
}

/// One connection: texts of 10, 200 and 70 000 bytes, a ping, a close.
async fn talk(proxy: &Proxy) {
    let url = format!("ws://{}/echo", proxy.addr());
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    for n in [10, 200, 70_000] {
        ws.send(Message::text("x".repeat(n))).await.unwrap();
        let back = ws.next().await.unwrap().unwrap();
        assert_eq!(back.len(), n);
    }
    ws.send(Message::Ping(b"hi".to_vec().into())).await.unwrap();
    let pong = ws.next().await.unwrap().unwrap();
    assert!(pong.is_pong(), "{pong:?}");
    ws.close(Some(CloseFrame {
        code: CloseCode::Normal,
        reason: "bye".into(),
    }))
    .await
    .unwrap();
    while let Some(Ok(_)) = ws.next().await {}
}

#[tokio::test]
async fn frame_headers_grow_with_the_payload_and_only_clients_mask() {
    let proxy = Proxy::start(echo_server().await).await.unwrap();
    tokio::time::timeout(Duration::from_secs(20), talk(&proxy))
        .await
        .expect("the WebSocket conversation finished within 20 s");
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    let conns = proxy.recording();
    assert_eq!(conns.len(), 1);

    let sent = Frames.decode_conn(&conns[0], Direction::ToServer);
    let got = Frames.decode_conn(&conns[0], Direction::ToClient);
    assert!(sent.is_complete(), "{:?}", sent.stop);
    assert!(got.is_complete(), "{:?}", got.stop);
    let names = |fs: &[websocket::Frame]| fs.iter().map(|f| f.opcode).collect::<Vec<_>>();
    use Opcode::*;
    assert_eq!(names(&sent.units), [Text, Text, Text, Ping, Close]);
    assert_eq!(names(&got.units), [Text, Text, Text, Pong, Close]);

    // Client frames: 2 bytes + 0/2/8 bytes of length + 4 bytes of mask key.
    let client: Vec<usize> = sent.units.iter().map(|f| f.header_len).collect();
    assert_eq!(client[..3], [6, 8, 14]);
    assert!(sent.units.iter().all(|f| f.is_masked()));
    // Server frames: the same without the mask key.
    let server: Vec<usize> = got.units.iter().map(|f| f.header_len).collect();
    assert_eq!(server[..3], [2, 4, 10]);
    assert!(got.units.iter().all(|f| !f.is_masked()));

    // The decoder unmasked the payloads: what the client sent is readable.
    assert_eq!(sent.units[0].payload, b"xxxxxxxxxx");
    assert_eq!(sent.units[3].payload, b"hi");
    assert_eq!(got.units[3].payload, b"hi", "a pong echoes the ping's data");
    assert_eq!(sent.units[4].close_code(), Some(1000));
    assert_eq!(sent.units[4].close_reason().as_deref(), Some("bye"));

    // The counts agree with every byte the proxy saw after the handshake.
    let counts = wire::count(&conns, Direction::ToServer, &Frames);
    let handshake: usize = http1::Requests
        .decode(&conns[0].stream(Direction::ToServer))
        .units
        .iter()
        .map(Unit::wire_len)
        .sum();
    assert_eq!(
        counts.total().wire_bytes() + handshake as u64,
        proxy.bytes(Direction::ToServer)
    );
    println!("{counts}");
}

#[test]
fn encoded_frames_decode_to_the_same_frame() {
    for (len, header) in [(0, 2), (125, 2), (126, 4), (65_535, 4), (65_536, 10)] {
        let payload = vec![7u8; len];
        let bytes = websocket::encode(true, Opcode::Binary, &payload, Some([1, 2, 3, 4]));
        let decoded = Frames.decode(&bytes);
        let frame = &decoded.units[0];
        assert_eq!(frame.header_len, header + 4, "{len}-byte payload, masked");
        assert_eq!(frame.payload, payload);
        let plain = websocket::encode(true, Opcode::Binary, &payload, None);
        assert_eq!(Frames.decode(&plain).units[0].header_len, header);
    }
}

#[test]
fn fragments_reassemble_around_a_ping() {
    let mut bytes = websocket::encode(false, Opcode::Text, b"hel", None);
    bytes.extend(websocket::encode(true, Opcode::Ping, b"", None));
    bytes.extend(websocket::encode(false, Opcode::Continuation, b"lo ", None));
    bytes.extend(websocket::encode(
        true,
        Opcode::Continuation,
        b"world",
        None,
    ));
    let frames = Frames.decode(&bytes).complete().unwrap();
    assert_eq!(frames.len(), 4);
    let messages = websocket::messages(&frames).unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].payload, b"hello world");
    assert_eq!(messages[0].frames, 3);
    // A continuation with nothing to continue is a protocol error.
    assert!(websocket::messages(&frames[2..]).is_err());
}

#[test]
fn bad_frames_stop_the_decoder_with_a_reason() {
    // Opcode 3 is reserved.
    let d = Frames.decode(&[0x83, 0x00]);
    assert!(matches!(d.stop.unwrap().reason, StopReason::Invalid(r) if r.contains("reserved")));
    // A ping of 126 bytes breaks the 125-byte limit for control frames.
    let d = Frames.decode(&websocket::encode(true, Opcode::Ping, &[0; 126], None));
    assert!(matches!(d.stop.unwrap().reason, StopReason::Invalid(_)));
    // A frame cut short after one good frame.
    let mut bytes = websocket::encode(true, Opcode::Text, b"ok", None);
    bytes.extend_from_slice(&[0x81, 0x05, b'a']);
    let d = Frames.decode(&bytes);
    assert_eq!(d.units.len(), 1);
    let stop = d.stop.unwrap();
    assert_eq!(
        (stop.offset, stop.remaining, stop.reason),
        (4, 3, StopReason::Incomplete)
    );
}

#[tokio::test]
async fn tshark_reads_the_same_frames() {
    let proxy = Proxy::start(echo_server().await).await.unwrap();
    tokio::time::timeout(Duration::from_secs(20), talk(&proxy))
        .await
        .expect("the WebSocket conversation finished within 20 s");
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ws.pcap");
    proxy.write_pcap(&file).unwrap();

    let as_http = format!("tcp.port=={},http", proxy.upstream().port());
    let out = Command::new("tshark")
        .arg("-r")
        .arg(&file)
        .args(["-d", &as_http, "-Y", "websocket", "-T", "fields"])
        .args(["-e", "websocket.opcode", "-e", "websocket.mask"])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run tshark ({e}); install it with `apt-get install tshark`")
        });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .flat_map(|l| {
            // One line per packet; a packet may hold several frames, comma-separated.
            let mut cols = l.split('\t');
            let ops: Vec<String> = cols
                .next()
                .unwrap_or("")
                .split(',')
                .map(str::to_string)
                .collect();
            let masks: Vec<String> = cols
                .next()
                .unwrap_or("")
                .split(',')
                .map(str::to_string)
                .collect();
            ops.into_iter()
                .zip(masks)
                .map(|(o, m)| format!("{o}/{m}"))
                .collect::<Vec<_>>()
        })
        .collect();

    let conns = proxy.recording();
    let mut ours = Vec::new();
    // tshark lists packets in time order; both directions alternate here
    // (each client frame is answered before the next is sent).
    let sent = Frames.decode_conn(&conns[0], Direction::ToServer).units;
    let got = Frames.decode_conn(&conns[0], Direction::ToClient).units;
    for (s, g) in sent.iter().zip(&got) {
        for f in [s, g] {
            let mask = if f.is_masked() { "1" } else { "0" };
            ours.push(format!("{}/{mask}", f.opcode.bits()));
        }
    }
    assert_eq!(theirs, ours);
}

#[test]
fn every_cut_of_a_stream_stops_cleanly() {
    let mut bytes = websocket::encode(false, Opcode::Text, b"hel", Some([1, 2, 3, 4]));
    bytes.extend(websocket::encode(true, Opcode::Ping, b"", None));
    bytes.extend(websocket::encode(true, Opcode::Binary, &[7; 300], None));
    wire_support::assert_every_cut_stops_cleanly(&Frames, &bytes);
}
