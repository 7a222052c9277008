//! The AMQP 0-9-1 frame decoder against frames assembled by hand from the
//! specification (§4.2.3): one publish is a method, a header and a body
//! frame; channels are kept; a cut or foreign stream stops, never panics —
//! and against Wireshark's AMQP dissector (tshark), reading what a client
//! we did not write (`amqp-publish`, from librabbitmq) said to a real
//! RabbitMQ through the proxy.

mod wire_support;

use std::time::Duration;

use labkit::broker;
use labkit::wire::amqp::{FRAME_END, FrameKind, Frames, PROTOCOL_HEADER, method_name};
use labkit::wire::{Decoder, Direction, Proxy, tshark};

fn frame(kind: u8, channel: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![kind];
    f.extend_from_slice(&channel.to_be_bytes());
    f.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    f.extend_from_slice(payload);
    f.push(FRAME_END);
    f
}

/// basic.publish (60, 40) on `channel`: reserved short, exchange "", routing key "q", flags 0.
fn publish(channel: u16) -> Vec<u8> {
    let payload = [0, 60, 0, 40, 0, 0, 0, 1, b'q', 0];
    frame(1, channel, &payload)
}

fn header(channel: u16, body: u64) -> Vec<u8> {
    let mut p = vec![0, 60, 0, 0];
    p.extend_from_slice(&body.to_be_bytes());
    p.extend_from_slice(&[0x10, 0x00, 2]); // delivery-mode present, persistent
    frame(2, channel, &p)
}

#[test]
fn one_publish_is_a_method_a_header_and_a_body_frame() {
    let mut stream = PROTOCOL_HEADER.to_vec();
    stream.extend(publish(1));
    stream.extend(header(1, 5));
    stream.extend(frame(3, 1, b"hello"));
    stream.extend(frame(8, 0, &[]));
    let frames = Frames.decode(&stream).complete().unwrap();
    let names: Vec<String> = frames.iter().map(|f| f.label()).collect();
    assert_eq!(
        names,
        [
            "protocol-header",
            "basic.publish",
            "content-header",
            "content-body",
            "heartbeat"
        ]
    );
    assert_eq!(
        frames[2].kind,
        FrameKind::Header {
            class: 60,
            body_size: 5
        }
    );
    use labkit::wire::Unit;
    assert_eq!(
        frames[3].body_len(),
        5,
        "only the body frame's payload is body"
    );
    assert_eq!(
        frames[3].header_len(),
        8,
        "7 bytes before the payload, 1 after"
    );
    let total: usize = frames.iter().map(|f| f.wire_len()).sum();
    assert_eq!(total, stream.len(), "every byte is accounted for");
}

#[test]
fn frames_keep_their_channel() {
    let mut stream = publish(1);
    stream.extend(publish(2));
    stream.extend(publish(7));
    let channels: Vec<u16> = Frames
        .decode(&stream)
        .complete()
        .unwrap()
        .iter()
        .map(|f| f.channel)
        .collect();
    assert_eq!(channels, [1, 2, 7]);
}

#[test]
fn method_names_follow_the_specification() {
    assert_eq!(method_name(10, 10), "connection.start");
    assert_eq!(method_name(60, 60), "basic.deliver");
    assert_eq!(method_name(60, 120), "basic.nack");
    assert_eq!(method_name(85, 10), "confirm.select");
    assert_eq!(method_name(50, 10), "queue.declare");
    assert_eq!(method_name(99, 7), "class-99.method-7");
}

#[test]
fn a_cut_stream_stops_as_incomplete_after_the_whole_frames() {
    let mut stream = publish(1);
    let whole = stream.len();
    stream.extend(&publish(1)[..5]);
    let decoded = Frames.decode(&stream);
    assert_eq!(decoded.units.len(), 1);
    let stop = decoded.stop.clone().expect("stops early");
    assert_eq!(stop.offset, whole);
    let err = decoded.complete().unwrap_err().to_string();
    assert!(err.contains("middle of a unit"), "{err}");
}

#[test]
fn a_wrong_end_octet_or_frame_type_is_invalid_not_a_panic() {
    let mut bad_end = publish(1);
    *bad_end.last_mut().unwrap() = 0x00;
    let err = Frames.decode(&bad_end).complete().unwrap_err().to_string();
    assert!(err.contains("0xce"), "{err}");

    let bad_type = frame(5, 0, &[1, 2, 3]);
    let err = Frames.decode(&bad_type).complete().unwrap_err().to_string();
    assert!(err.contains("frame type 5"), "{err}");

    let http = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    assert!(!Frames.decode(http).is_complete());
}

#[test]
fn every_cut_of_a_publish_stops_cleanly() {
    let mut stream = PROTOCOL_HEADER.to_vec();
    stream.extend(publish(1));
    stream.extend(header(1, 5));
    stream.extend(frame(3, 1, b"hello"));
    wire_support::assert_every_cut_stops_cleanly(&Frames, &stream);
}

/// One row per AMQP frame tshark saw going `dir`: type, channel, payload
/// length, and `class.method` for method frames.
fn tshark_frames(file: &std::path::Path, port: u16, dir: Direction) -> Vec<String> {
    let side = match dir {
        Direction::ToServer => "tcp.dstport",
        Direction::ToClient => "tcp.srcport",
    };
    let filter = format!("amqp && {side}=={port}");
    let split = |v: &String| v.split(',').map(str::to_string).collect::<Vec<_>>();
    let rows = tshark::fields(
        file,
        port,
        "amqp",
        &filter,
        &["amqp.type", "amqp.channel", "amqp.length"],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let methods = tshark::fields(
        file,
        port,
        "amqp",
        &format!("{filter} && amqp.type==1"),
        &["amqp.method.class", "amqp.method.method"],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut methods = methods.iter().flat_map(|row| {
        let (classes, ids) = (split(&row[0]), split(&row[1]));
        classes
            .into_iter()
            .zip(ids)
            .map(|(c, m)| format!("{c}.{m}"))
            .collect::<Vec<_>>()
    });
    rows.iter()
        .filter(|row| row.len() == 3) // the protocol header has no frame fields
        .flat_map(|row| {
            let (types, channels, lengths) = (split(&row[0]), split(&row[1]), split(&row[2]));
            (0..types.len())
                .map(|i| (types[i].clone(), channels[i].clone(), lengths[i].clone()))
                .collect::<Vec<_>>()
        })
        .map(|(t, c, l)| {
            let method = if t == "1" {
                methods.next().unwrap_or_default()
            } else {
                String::new()
            };
            format!("type {t} channel {c} length {l} {method}")
        })
        .collect()
}

#[tokio::test]
async fn tshark_reads_the_same_frames_we_do() {
    let broker = broker::rabbitmq()
        .await
        .unwrap_or_else(|e| panic!("an AMQP broker is needed: {e}"));
    let proxy = Proxy::start(broker.addr()).await.unwrap();
    let url = format!("amqp://guest:guest@{}", proxy.addr());
    let out = wire_support::guard(
        "amqp-publish",
        tokio::process::Command::new("amqp-publish")
            .args(["--url", &url, "-r", "labkit.tshark", "-b", "hello"])
            .output(),
    )
    .await
    .unwrap_or_else(|e| {
        panic!("cannot run amqp-publish ({e}); install it with `sudo apt-get install amqp-tools`")
    });
    assert!(
        out.status.success(),
        "amqp-publish failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("amqp.pcap");
    proxy.write_pcap(&file).unwrap();
    let port = proxy.upstream().port();

    let conns = proxy.recording();
    assert_eq!(conns.len(), 1, "amqp-publish opens one connection");
    for dir in Direction::BOTH {
        let ours: Vec<String> = Frames
            .decode_conn(&conns[0], dir)
            .complete()
            .unwrap()
            .iter()
            .filter(|f| f.kind != FrameKind::ProtocolHeader)
            .map(|f| {
                let (t, method) = match f.kind {
                    FrameKind::Method { class, method } => (1, format!("{class}.{method}")),
                    FrameKind::Header { .. } => (2, String::new()),
                    FrameKind::Body => (3, String::new()),
                    FrameKind::Heartbeat => (8, String::new()),
                    FrameKind::ProtocolHeader => unreachable!("filtered out"),
                };
                format!(
                    "type {t} channel {} length {} {method}",
                    f.channel, f.payload_len
                )
            })
            .collect();
        let theirs = tshark_frames(&file, port, dir);
        assert!(ours.len() >= 5, "{dir}: a login and a publish: {ours:?}");
        assert_eq!(ours, theirs, "{dir}: frames in order, ours then tshark's");
    }
    // The publish itself: basic.publish, a header announcing 5 bytes, the body.
    let sent = Frames.decode_conn(&conns[0], Direction::ToServer).units;
    let labels: Vec<String> = sent.iter().map(|f| f.label()).collect();
    let at = labels.iter().position(|l| l == "basic.publish").unwrap();
    assert_eq!(labels[at + 1..at + 3], ["content-header", "content-body"]);
}
