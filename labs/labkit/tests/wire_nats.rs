//! The NATS decoder, checked against the client protocol's own examples
//! (docs.nats.io, "Client protocol"): every verb, a reply inbox, a queue
//! group, a header block with a status; then every cut of a conversation,
//! and bytes that are not NATS. Wireshark 4.0 has no NATS dissector, so the
//! independent check is the server's own trace: real traffic from
//! async-nats is decoded in lab-contenders' tests next to what
//! `nats-server` logged it received.

mod wire_support;

use labkit::wire::nats::{Ops, Verb};
use labkit::wire::{Decoder, StopReason, Unit};

/// What a client sends for a request with a header, on one connection.
const CLIENT: &[u8] =
    b"CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"protocol\":1}\r\n\
PING\r\n\
SUB _INBOX.q7 1\r\n\
SUB pay.* workers 2\r\n\
UNSUB 1 1\r\n\
PUB pay.charge _INBOX.q7 11\r\nHello\r\nNATS\r\n\
HPUB pay.charge 28 33\r\nNATS/1.0\r\nNats-Msg-Id: 1\r\n\r\nhello\r\n\
pub lower 0\r\n\r\n\
PONG\r\n";

/// What a server sends back.
const SERVER: &[u8] = b"INFO {\"server_id\":\"x\",\"version\":\"2.9.10\",\"headers\":true,\"max_payload\":1048576}\r\n\
+OK\r\n\
PONG\r\n\
MSG pay.charge 2 _INBOX.q7 5\r\nhello\r\n\
HMSG _INBOX.q7 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n\
-ERR 'Unknown Protocol Operation'\r\n\
PING\r\n";

#[test]
fn every_client_operation_with_its_fields() {
    let ops = Ops.decode(CLIENT).complete().unwrap();
    let names: Vec<String> = ops.iter().map(Unit::name).collect();
    assert_eq!(
        names,
        [
            "CONNECT", "PING", "SUB", "SUB", "UNSUB", "PUB", "HPUB", "PUB", "PONG"
        ]
    );
    assert_eq!(ops[0].json().unwrap()["headers"], true);
    assert_eq!(ops[3].subject.as_deref(), Some("pay.*"));
    assert_eq!(ops[3].queue_group.as_deref(), Some("workers"));
    assert_eq!(ops[3].sid.as_deref(), Some("2"));
    assert_eq!(ops[4].max_msgs, Some(1));
    // The reply inbox travels on the PUB's control line.
    assert_eq!(ops[5].reply_to.as_deref(), Some("_INBOX.q7"));
    assert_eq!(ops[5].payload, b"Hello\r\nNATS", "a payload may hold CRLF");
    // "PUB pay.charge _INBOX.q7 11\r\n" is 29 bytes, plus CRLF after the payload.
    assert_eq!((ops[5].header_len(), ops[5].body_len()), (29 + 2, 11));
    // HPUB: 28 header bytes are metadata, 5 of 33 are payload.
    assert_eq!(ops[6].header("nats-msg-id").as_deref(), Some("1"));
    assert_eq!((ops[6].header_len(), ops[6].body_len()), (23 + 28 + 2, 5));
    assert_eq!(ops[7].verb, Verb::Pub, "verbs are case-insensitive");
    let total: usize = ops.iter().map(Unit::wire_len).sum();
    assert_eq!(total, CLIENT.len(), "every byte is accounted for");
}

#[test]
fn every_server_operation_with_its_fields() {
    let ops = Ops.decode(SERVER).complete().unwrap();
    let names: Vec<String> = ops.iter().map(Unit::name).collect();
    assert_eq!(
        names,
        ["INFO", "+OK", "PONG", "MSG", "HMSG", "-ERR", "PING"]
    );
    assert_eq!(ops[0].json().unwrap()["version"], "2.9.10");
    assert_eq!(ops[0].body_len(), 0, "INFO is all overhead");
    assert_eq!(ops[3].sid.as_deref(), Some("2"));
    assert_eq!(ops[3].reply_to.as_deref(), Some("_INBOX.q7"));
    assert_eq!(ops[3].payload, b"hello");
    // No responders: a header block with status 503 and no payload.
    assert_eq!(ops[4].status(), Some(503));
    assert_eq!(ops[4].body_len(), 0);
    assert_eq!(ops[5].argument(), "'Unknown Protocol Operation'");
    let total: usize = ops.iter().map(Unit::wire_len).sum();
    assert_eq!(total, SERVER.len());
}

#[test]
fn every_cut_of_a_conversation_stops_cleanly() {
    wire_support::assert_every_cut_stops_cleanly(&Ops, CLIENT);
    wire_support::assert_every_cut_stops_cleanly(&Ops, SERVER);
}

#[test]
fn bytes_that_are_not_nats_stop_as_invalid_never_a_panic() {
    let invalid = |s: &[u8]| {
        matches!(
            Ops.decode(s).stop.map(|s| s.reason),
            Some(StopReason::Invalid(_))
        )
    };
    assert!(invalid(b"GET / HTTP/1.1\r\n\r\n"));
    assert!(invalid(b"\x10\x18\x00\x04MQTT"));
    assert!(invalid(b"PUB a 5\r\nhelloXX"), "content without CRLF");
    assert!(
        invalid(b"PUB a five\r\nhello\r\n"),
        "a size that is no number"
    );
    assert!(invalid(b"HPUB a 9 5\r\n"), "headers larger than the total");
    assert!(
        invalid(b"HPUB a 5 5\r\nhello\r\n"),
        "headers without NATS/1.0"
    );
    assert!(invalid(b"SUB\r\n"), "SUB without a subject");
    // A size announcing far more than arrived is only a cut stream.
    let big = Ops.decode(b"PUB a 18446744073709551615\r\nhi");
    assert_eq!(big.stop.unwrap().reason, StopReason::Incomplete);

    // Arbitrary bytes after a valid INFO, from a fixed-seed generator:
    // the decoder returns, and never claims more bytes than it was given.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for round in 0..2_000 {
        let mut s = SERVER[..SERVER.len() / 2].to_vec();
        for _ in 0..round % 97 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(b" \r\nPUBMSG0123456789ab"[(seed % 20) as usize]);
        }
        let d = Ops.decode(&s);
        let used: usize = d.units.iter().map(Unit::wire_len).sum();
        let stopped = d.stop.as_ref().map_or(0, |s| s.remaining);
        assert_eq!(used + stopped, s.len(), "round {round}");
    }
}
