//! The AMQP 0-9-1 frame decoder against frames assembled by hand from the
//! specification (§4.2.3): one publish is a method, a header and a body
//! frame; channels are kept; a cut or foreign stream stops, never panics.

use labkit::wire::Decoder;
use labkit::wire::amqp::{FRAME_END, FrameKind, Frames, PROTOCOL_HEADER, method_name};

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
