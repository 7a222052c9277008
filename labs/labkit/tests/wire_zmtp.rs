//! The ZMTP decoder, checked against the layout RFC 23/ZMTP fixes (Wireshark
//! has no built-in ZMTP dissector to compare with): the 64-byte greeting, a
//! NULL `READY` with its properties, short and long frames, multipart
//! messages; then every cut of a stream, and bytes that are not ZMTP at all.
//! Real libzmq traffic is decoded in lab-zeromq's tests.

mod wire_support;

use labkit::wire::zmtp::{self, COMMAND, Frames, Kind, MORE};
use labkit::wire::{Decoder, StopReason, Unit};

/// A NULL handshake as a REQ socket sends it: greeting, then READY with
/// the property `Socket-Type` = `REQ`.
fn req_handshake() -> Vec<u8> {
    let mut s = zmtp::greeting("NULL", false).to_vec();
    let mut ready = vec![5];
    ready.extend_from_slice(b"READY");
    ready.push(11);
    ready.extend_from_slice(b"Socket-Type");
    ready.extend_from_slice(&3u32.to_be_bytes());
    ready.extend_from_slice(b"REQ");
    s.extend(zmtp::encode(COMMAND, &ready));
    s
}

#[test]
fn the_greeting_is_64_bytes_and_names_the_mechanism() {
    let g = zmtp::greeting("CURVE", true);
    assert_eq!(&g[..1], [0xFF]);
    assert_eq!(g[9], 0x7F);
    let units = Frames.decode(&g).complete().unwrap();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].wire_len(), 64);
    assert_eq!(
        units[0].kind,
        Kind::Greeting {
            version: (3, 1),
            mechanism: "CURVE".into(),
            as_server: true
        }
    );
}

#[test]
fn a_null_ready_command_carries_the_socket_type() {
    let stream = req_handshake();
    let units = Frames.decode(&stream).complete().unwrap();
    let names: Vec<String> = units.iter().map(Unit::name).collect();
    assert_eq!(names, ["greeting", "READY"]);
    // flags 0x04, size 0x19 (25): 1+5 for the name, 1+11+4+3 for the property.
    assert_eq!(&stream[64..66], [0x04, 0x19]);
    assert_eq!(units[1].wire_len(), 27);
    assert_eq!(units[1].header_len(), 27, "a command is all overhead");
    assert_eq!(
        units[1].properties(),
        [("Socket-Type".to_string(), b"REQ".to_vec())]
    );
}

#[test]
fn short_and_long_frames_and_multipart_messages() {
    let mut stream = req_handshake();
    stream.extend(zmtp::encode(MORE, b""));
    stream.extend(zmtp::encode(0, b"hello"));
    let big = vec![b'x'; 300];
    stream.extend(zmtp::encode(0, &big));
    let units = Frames.decode(&stream).complete().unwrap();
    let frames = &units[2..];
    assert_eq!(
        frames.iter().map(Unit::name).collect::<Vec<_>>(),
        ["frame+more", "frame", "frame"]
    );
    // A short frame: 1 flags byte + 1 size byte; a long one: 1 + 8.
    assert_eq!((frames[1].header_len(), frames[1].body_len()), (2, 5));
    assert!(frames[2].long());
    assert_eq!((frames[2].header_len(), frames[2].body_len()), (9, 300));
    let messages = zmtp::messages(&units);
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0], vec![b"".to_vec(), b"hello".to_vec()]);
    let total: usize = units.iter().map(Unit::wire_len).sum();
    assert_eq!(total, stream.len(), "every byte is accounted for");
}

#[test]
fn every_cut_of_a_conversation_stops_cleanly() {
    let mut stream = req_handshake();
    stream.extend(zmtp::encode(MORE, b""));
    stream.extend(zmtp::encode(0, b"pay 42"));
    stream.extend(zmtp::encode(0, &[7; 260]));
    assert!(
        Frames.decode(&stream).is_complete(),
        "the whole stream decodes"
    );
    wire_support::assert_every_cut_stops_cleanly(&Frames, &stream);
}

#[test]
fn bytes_that_are_not_zmtp_stop_as_invalid_never_a_panic() {
    let http = Frames.decode(b"GET / HTTP/1.1\r\n\r\n");
    assert!(matches!(
        http.stop.map(|s| s.reason),
        Some(StopReason::Invalid(_))
    ));
    let mut reserved = req_handshake();
    reserved.extend([0x80, 0x00]);
    let d = Frames.decode(&reserved);
    assert_eq!(d.units.len(), 2);
    assert!(matches!(d.stop.unwrap().reason, StopReason::Invalid(_)));

    // Arbitrary bytes after a valid greeting, from a fixed-seed generator:
    // whatever they are, the decoder returns, and never claims more bytes
    // than it was given.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for round in 0..2_000 {
        let mut s = zmtp::greeting("NULL", false).to_vec();
        let len = round % 97;
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(seed as u8);
        }
        let d = Frames.decode(&s);
        let used: usize = d.units.iter().map(Unit::wire_len).sum();
        let stopped = d.stop.as_ref().map_or(0, |s| s.remaining);
        assert_eq!(used + stopped, s.len(), "round {round}");
    }
}
