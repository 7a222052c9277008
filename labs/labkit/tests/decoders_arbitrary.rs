//! Every wire decoder survives hostile bytes: random streams, real streams
//! cut and mutated, and length fields that announce gigabytes. No panic,
//! no huge allocation, every problem a [`Stop`](labkit::wire::Stop) value
//! whose offset and remaining bytes add up to the stream.
//!
//! A small seeded generator (xorshift) instead of a property-testing crate:
//! the same inputs on every run. Any input `cargo fuzz` finds that breaks a
//! decoder (see `fuzz/README.md`) is kept here in `fuzz_findings`; the
//! chunk size that overflowed `end + 2` in the HTTP/1.1 decoder is in
//! `hostile_lengths`. The address-space limit there turns "a
//! length field of 2^32 allocated 4 GiB" into a failed allocation, so the
//! test process aborts instead of quietly overcommitting.

use labkit::wire::{
    Decoded, Decoder, Unit, amqp, capnp, http1, http2, mqtt, nats, tls, websocket, zmtp,
};

/// xorshift64*: enough randomness to shake a parser, and reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// The promise every decoder keeps, checked on one stream.
fn check<U: Unit>(what: &str, decoded: &Decoded<U>, stream: &[u8]) {
    let used: usize = decoded.units.iter().map(Unit::wire_len).sum();
    match &decoded.stop {
        Some(stop) => {
            assert_eq!(
                stop.offset + stop.remaining,
                stream.len(),
                "{what}: the stop lies inside the stream {stream:02x?}"
            );
            assert!(used <= stop.offset, "{what}: units end before the stop");
        }
        None => assert!(used <= stream.len(), "{what}: units within the stream"),
    }
    for u in &decoded.units {
        let _ = u.name();
    }
}

/// Run every decoder (and the helpers that read decoded units) on `stream`.
fn decode_all(stream: &[u8]) {
    check("http1 requests", &http1::Requests.decode(stream), stream);
    check("http1 responses", &http1::Responses.decode(stream), stream);
    check(
        "http1 after HEAD",
        &http1::parse_responses_to(stream, &["HEAD", "GET"]),
        stream,
    );
    let _ = http1::response_head(stream);
    let h2 = http2::Frames.decode(stream);
    check("http2", &h2, stream);
    let _ = (
        http2::streams(&h2.units),
        http2::max_concurrent_streams(&h2.units),
    );
    for f in &h2.units {
        let _ = (f.settings(), f.error_code(), f.header(":path"));
    }
    let ws = websocket::Frames.decode(stream);
    let _ = websocket::messages(&ws.units);
    for f in &ws.units {
        let _ = (f.close_code(), f.close_reason());
    }
    if let Some(stop) = &ws.stop {
        assert_eq!(stop.offset + stop.remaining, stream.len(), "websocket");
    }
    for d in [
        mqtt::Packets::auto(),
        mqtt::Packets::v311(),
        mqtt::Packets::v5(),
    ] {
        check("mqtt", &d.decode(stream), stream);
    }
    check("amqp", &amqp::Frames.decode(stream), stream);
    check("capnp", &capnp::Messages.decode(stream), stream);
    check("tls", &tls::Records.decode(stream), stream);
    // ZMTP twice: as it comes, and behind a valid greeting so that random
    // bytes reach the frame parser.
    let mut greeted = zmtp::greeting("NULL", false).to_vec();
    greeted.extend_from_slice(stream);
    for s in [stream, &greeted[..]] {
        let z = zmtp::Frames.decode(s);
        check("zmtp", &z, s);
        let _ = zmtp::messages(&z.units);
        for f in &z.units {
            let _ = (f.command_data(), f.properties());
        }
    }
    let ops = nats::Ops.decode(stream);
    check("nats", &ops, stream);
    for op in &ops.units {
        let _ = (
            op.argument(),
            op.json(),
            op.status(),
            op.header("Nats-Msg-Id"),
        );
    }
}

/// Real streams, one or more units each, to cut and mutate.
fn real_streams() -> Vec<Vec<u8>> {
    let mut ws_upgrade =
        b"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".to_vec();
    ws_upgrade.extend(websocket::encode(
        true,
        websocket::Opcode::Text,
        b"hello",
        Some([1, 2, 3, 4]),
    ));
    let mut ws_frames = websocket::encode(false, websocket::Opcode::Binary, &[7; 300], None);
    ws_frames.extend(websocket::encode(
        true,
        websocket::Opcode::Continuation,
        b"end",
        None,
    ));
    ws_frames.extend(websocket::encode(
        true,
        websocket::Opcode::Close,
        b"\x03\xe8bye",
        None,
    ));
    vec![
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\nPOST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcPUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX: y\r\n\r\nHTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x02hi".to_vec(),
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x64\x00\x00\x05\x01\x04\x00\x00\x00\x01\x82\x86\x84\x41\x8a\x00\x00\x02\x00\x01\x00\x00\x00\x01hi\x00\x00\x08\x07\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00".to_vec(),
        ws_upgrade,
        ws_frames,
        b"\x10\x18\x00\x04MQTT\x04\x02\x00\x3c\x00\x0clabkit-probe\x20\x02\x00\x00\x30\x07\x00\x03a/bhi\x32\x09\x00\x03a/b\x00\x01hi\x82\x08\x00\x01\x00\x03a/b\x01\xc0\x00\xe0\x00".to_vec(),
        b"\x10\x11\x00\x04MQTT\x05\x02\x00\x3c\x03\x21\x00\x0a\x00\x01c\x30\x08\x00\x03a/b\x00hi\x20\x03\x00\x00\x00\xe0\x00".to_vec(),
        b"INFO {\"version\":\"2.9.10\"}\r\nMSG pay.charge 2 _INBOX.q7 5\r\nhello\r\nHMSG _INBOX.q7 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n-ERR 'x'\r\nPING\r\n".to_vec(),
        b"CONNECT {}\r\nSUB pay.* workers 2\r\nPUB pay.charge _INBOX.q7 5\r\nhello\r\nHPUB pay.charge 28 33\r\nNATS/1.0\r\nNats-Msg-Id: 1\r\n\r\nhello\r\nUNSUB 1 1\r\n".to_vec(),
        b"AMQP\x00\x00\x09\x01\x01\x00\x00\x00\x00\x00\x04\x00\x0a\x00\x0a\xce\x08\x00\x00\x00\x00\x00\x00\xce\x01\x00\x01\x00\x00\x00\x04\x00\x3c\x00\x28\xce\x02\x00\x01\x00\x00\x00\x0e\x00\x3c\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\xce\x03\x00\x01\x00\x00\x00\x02hi\xce".to_vec(),
        [
            &zmtp::greeting("NULL", false)[..],
            b"\x04\x19\x05READY\x0bSocket-Type\x00\x00\x00\x03REQ\x01\x00\x00\x05hello",
        ]
        .concat(),
        // TLS: a handshake record, change_cipher_spec, two application_data, an alert.
        b"\x16\x03\x01\x00\x07\x01\x00\x00\x03\x03\x03\x00\x14\x03\x03\x00\x01\x01\x17\x03\x03\x00\x04abcd\x17\x03\x03\x00\x02ef\x15\x03\x03\x00\x02\x02\x28".to_vec(),
        // Cap'n Proto: a Bootstrap (question 0), one segment of 5 words.
        b"\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec(),
    ]
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x5EED_0001);
    for _ in 0..30_000 {
        let len = rng.below(600);
        let stream = rng.bytes(len);
        decode_all(&stream);
    }
}

#[test]
fn cut_and_mutated_real_streams_never_panic() {
    let mut rng = Rng(0x5EED_0002);
    for real in real_streams() {
        for cut in 0..=real.len() {
            decode_all(&real[..cut]);
        }
        for _ in 0..3_000 {
            let mut s = real.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(s.len());
                match rng.below(4) {
                    0 => s[at] = rng.next() as u8,
                    1 => s[at] ^= 1 << rng.below(8),
                    2 => s.insert(at, rng.next() as u8),
                    _ => {
                        s.remove(at);
                    }
                }
                if s.is_empty() {
                    break;
                }
            }
            let cut = rng.below(s.len() + 1);
            decode_all(&s);
            decode_all(&s[..cut]);
        }
    }
}

/// Length fields at their maximum, with almost nothing behind them.
#[test]
fn hostile_lengths_allocate_nothing_big() {
    limit_address_space();
    let hostile: Vec<Vec<u8>> = vec![
        // AMQP: a 4 GiB frame announced.
        b"\x03\x00\x01\xff\xff\xff\xffhi".to_vec(),
        // MQTT: the largest remaining length, 256 MiB.
        b"\x30\xff\xff\xff\x7f\x00\x03a/b".to_vec(),
        // HTTP/2: a 16 MiB frame.
        b"\xff\xff\xff\x00\x00\x00\x00\x00\x01data".to_vec(),
        // WebSocket: a 2^63-byte payload.
        b"\x82\x7f\x7f\xff\xff\xff\xff\xff\xff\xffdata".to_vec(),
        b"\x82\xff\x7f\xff\xff\xff\xff\xff\xff\xff\x01\x02\x03\x04data".to_vec(),
        // NATS: the largest byte counts a control line can hold.
        b"PUB a 18446744073709551615\r\nhi".to_vec(),
        b"HMSG a 1 18446744073709551615 18446744073709551615\r\nNATS/1.0\r\n".to_vec(),
        // HTTP/1.1: the largest Content-Length and chunk sizes.
        b"POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\nabc".to_vec(),
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nab".to_vec(),
        // A chunk that ends at usize::MAX - 1: `end + 2` must not overflow.
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffec\r\nab".to_vec(),
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffd\r\n".to_vec(),
        // Cap'n Proto: 512 segments of 2^32 - 1 words each announced.
        [&511u32.to_le_bytes()[..], &[0xff; 4 * 512]].concat(),
        // ZMTP: a long frame of 2^64 - 1 bytes after the greeting.
        [
            &zmtp::greeting("NULL", false)[..],
            b"\x02\xff\xff\xff\xff\xff\xff\xff\xffab",
        ]
        .concat(),
    ];
    for stream in &hostile {
        decode_all(stream);
        let mut with_preface = http2::PREFACE.to_vec();
        with_preface.extend_from_slice(stream);
        decode_all(&with_preface);
    }
}

/// Inputs `cargo fuzz` found that once broke a decoder, each kept for good.
#[test]
fn fuzz_findings() {
    let findings: &[&[u8]] = &[
        // ZMTP: a READY whose name holds a byte that is not UTF-8 (0xb0).
        // `command_data` skipped `name.len()` bytes of the lossy name, where
        // U+FFFD takes three, and sliced past the frame's end.
        b"\xff\x00\x00\x00\x00\x00\x00\x00\x00\x7f\x03\x01NULL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00z\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04\x06\x05RE\xb0ADY|\rS\x7fcket-Type\x00xxx~xxxx2222222xx\xff\x00\x00\x00\x00\x00\x00\x00\x00",
    ];
    for stream in findings {
        decode_all(stream);
    }
}

/// Cap this process's address space at what it uses now plus 1 GiB, so an
/// allocation of gigabytes fails (and aborts the test) instead of being
/// quietly overcommitted. nextest runs each test in its own process.
fn limit_address_space() {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let Some(vm_kb) = status
        .lines()
        .find_map(|l| l.strip_prefix("VmSize:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    else {
        return; // not Linux: the check is skipped, the rest still runs
    };
    let limit = vm_kb * 1024 + (1 << 30);
    let (_, hard) = getrlimit(Resource::RLIMIT_AS).unwrap();
    let _ = setrlimit(Resource::RLIMIT_AS, limit.min(hard), hard);
}
