//! The Cap'n Proto RPC decoder, checked against messages built by hand from
//! the encoding specification and the offsets `capnp compile -ocapnp
//! rpc.capnp` prints; then every cut of a stream, and bytes that are not
//! Cap'n Proto. (Wireshark has no Cap'n Proto dissector to compare with;
//! real capnp-rpc traffic is decoded in lab-capnp's tests.)

mod wire_support;

use labkit::wire::capnp::{Messages, Target};
use labkit::wire::{Decoder, StopReason, Unit};

/// A struct pointer: `offset` words from the end of the pointer, then
/// `data` words of data and `ptrs` pointers.
fn struct_ptr(offset: i32, data: u16, ptrs: u16) -> u64 {
    u64::from((offset as u32) << 2) | u64::from(data) << 32 | u64::from(ptrs) << 48
}

/// One single-segment message: the segment table, then the words.
fn message(words: &[u64]) -> Vec<u8> {
    let mut out = 0u32.to_le_bytes().to_vec();
    out.extend((words.len() as u32).to_le_bytes());
    for w in words {
        out.extend(w.to_le_bytes());
    }
    out
}

/// `Message.bootstrap` with question id 0.
fn bootstrap() -> Vec<u8> {
    message(&[
        struct_ptr(0, 1, 1), // root: Message, 1 data word, 1 pointer
        8,                   // union tag 8 = bootstrap
        struct_ptr(0, 1, 1), // -> Bootstrap
        0,                   // questionId 0
        0,                   // deprecatedObjectId: null
    ])
}

/// `Message.call`, question 1, method 2 of interface 0xABCD, aimed at the
/// answer to question 0: a pipelined call.
fn pipelined_call() -> Vec<u8> {
    message(&[
        struct_ptr(0, 1, 1),
        2,                   // union tag 2 = call
        struct_ptr(0, 3, 3), // -> Call at word 3
        1 | 2 << 32,         // questionId 1, methodId 2
        0xABCD,              // interfaceId
        0,                   // flags
        struct_ptr(2, 1, 1), // target -> MessageTarget at word 9
        0,                   // params: null
        0,                   // sendResultsTo.thirdParty: null
        1 << 32,             // MessageTarget tag 1 = promisedAnswer
        struct_ptr(0, 1, 1), // -> PromisedAnswer at word 11
        0,                   // its questionId 0
        0,                   // transform: null
    ])
}

#[test]
fn the_segment_table_is_the_header_and_the_tag_names_the_message() {
    let stream = bootstrap();
    let units = Messages.decode(&stream).complete().unwrap();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].name(), "Bootstrap");
    assert_eq!(
        units[0].header_len(),
        8,
        "one segment: 4 + 4 bytes, no padding"
    );
    assert_eq!(units[0].body_len(), 5 * 8);
    assert_eq!(units[0].id, Some(0));
    assert_eq!(units[0].target, None);
}

#[test]
fn a_pipelined_call_is_aimed_at_an_unanswered_question() {
    let mut stream = bootstrap();
    stream.extend(pipelined_call());
    let units = Messages.decode(&stream).complete().unwrap();
    let names: Vec<String> = units.iter().map(Unit::name).collect();
    assert_eq!(names, ["Bootstrap", "Call"]);
    let call = &units[1];
    assert_eq!(call.offset, 48);
    assert_eq!(call.id, Some(1));
    assert_eq!(call.method, Some((0xABCD, 2)));
    assert_eq!(call.target, Some(Target::PromisedAnswer(0)));
    assert!(call.is_pipelined());
}

#[test]
fn two_segments_pad_the_table_to_a_whole_word() {
    let mut stream = 1u32.to_le_bytes().to_vec(); // two segments
    stream.extend(3u32.to_le_bytes());
    stream.extend(1u32.to_le_bytes());
    stream.extend([0; 4]); // padding
    for w in [struct_ptr(0, 1, 1), 4, 0, 0] {
        stream.extend(u64::to_le_bytes(w));
    }
    let units = Messages.decode(&stream).complete().unwrap();
    assert_eq!(units[0].name(), "Finish");
    assert_eq!(units[0].header_len(), 16);
    assert_eq!(units[0].body_len(), 32);
}

#[test]
fn every_cut_of_a_stream_stops_cleanly() {
    let mut stream = bootstrap();
    stream.extend(pipelined_call());
    stream.extend(bootstrap());
    wire_support::assert_every_cut_stops_cleanly(&Messages, &stream);
}

#[test]
fn bytes_that_are_not_capnp_stop_as_invalid() {
    let stream = b"GET / HTTP/1.1\r\n\r\n";
    let decoded = Messages.decode(stream);
    assert!(decoded.units.is_empty());
    let stop = decoded.stop.unwrap();
    assert_eq!(stop.offset, 0);
    assert!(matches!(stop.reason, StopReason::Invalid(_)), "{stop:?}");
}
