//! AMQP 0-9-1 frames, cut from a recorded byte stream.
//!
//! Everything an AMQP 0-9-1 client and broker say to each other travels in
//! frames of one shape (spec §2.3.5 and §4.2.3): a type octet, a channel
//! number (two octets), a payload size (four octets), the payload, and the
//! end octet `0xCE`. Four types exist: a *method* (`basic.publish`,
//! `queue.declare`, ...), a *content header* (the message's properties and
//! body size), a *content body* (the message bytes, split to fit the
//! negotiated frame size) and a *heartbeat*. A client opens with the
//! eight-byte protocol header `AMQP 0 0 9 1` before any frame.
//!
//! Lessons use this decoder to show one publish as three frames, and many
//! channels sharing one TCP connection: every [`Frame`] keeps its channel.

use super::decode::{Decoded, Decoder, Stop, StopReason, Unit};

/// The protocol header a client sends first: `AMQP`, 0, 0, 9, 1.
pub const PROTOCOL_HEADER: &[u8; 8] = b"AMQP\x00\x00\x09\x01";

/// The octet that ends every frame.
pub const FRAME_END: u8 = 0xCE;

/// Bytes of framing around a payload: type, channel, size, and the end octet.
pub const FRAME_OVERHEAD: usize = 8;

/// What a frame carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameKind {
    /// The client's opening `AMQP 0 0 9 1` (not a frame, but on the wire).
    ProtocolHeader,
    /// A method: class and method ids (e.g. 60, 40 for `basic.publish`).
    Method { class: u16, method: u16 },
    /// A content header: the class (60, basic) and the announced body size.
    Header { class: u16, body_size: u64 },
    /// A piece of a message body.
    Body,
    /// A heartbeat (type 8), on channel 0, empty.
    Heartbeat,
}

/// One frame (or the protocol header) as it appeared on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// What it carries.
    pub kind: FrameKind,
    /// The channel it belongs to (0 for the connection itself).
    pub channel: u16,
    /// Payload bytes (between the size field and the end octet).
    pub payload_len: usize,
}

impl Frame {
    /// `basic.publish`, `content-header`, `content-body`, `heartbeat`.
    pub fn label(&self) -> String {
        match &self.kind {
            FrameKind::ProtocolHeader => "protocol-header".into(),
            FrameKind::Method { class, method } => method_name(*class, *method),
            FrameKind::Header { .. } => "content-header".into(),
            FrameKind::Body => "content-body".into(),
            FrameKind::Heartbeat => "heartbeat".into(),
        }
    }
}

impl Unit for Frame {
    fn name(&self) -> String {
        self.label()
    }
    fn header_len(&self) -> usize {
        match self.kind {
            FrameKind::ProtocolHeader => PROTOCOL_HEADER.len(),
            // A method's arguments and a content header's properties are
            // metadata; only content-body bytes are what the app sent.
            FrameKind::Body => FRAME_OVERHEAD,
            _ => FRAME_OVERHEAD + self.payload_len,
        }
    }
    fn body_len(&self) -> usize {
        match self.kind {
            FrameKind::Body => self.payload_len,
            _ => 0,
        }
    }
}

/// The spec's name for a class: `connection`, `channel`, `basic`, ...
pub fn class_name(class: u16) -> Option<&'static str> {
    Some(match class {
        10 => "connection",
        20 => "channel",
        40 => "exchange",
        50 => "queue",
        60 => "basic",
        85 => "confirm",
        90 => "tx",
        _ => return None,
    })
}

/// `class.method` as the spec names it, e.g. `basic.deliver` for (60, 60);
/// unknown ids come out as numbers, `class-99.method-7`.
pub fn method_name(class: u16, method: u16) -> String {
    let m = match (class, method) {
        (10, 10) => "start",
        (10, 11) => "start-ok",
        (10, 20) => "secure",
        (10, 21) => "secure-ok",
        (10, 30) => "tune",
        (10, 31) => "tune-ok",
        (10, 40) => "open",
        (10, 41) => "open-ok",
        (10, 50) => "close",
        (10, 51) => "close-ok",
        (10, 60) => "blocked",
        (10, 61) => "unblocked",
        (10, 70) => "update-secret",
        (10, 71) => "update-secret-ok",
        (20, 10) => "open",
        (20, 11) => "open-ok",
        (20, 20) => "flow",
        (20, 21) => "flow-ok",
        (20, 40) => "close",
        (20, 41) => "close-ok",
        (40, 10) | (50, 10) => "declare",
        (40, 11) | (50, 11) => "declare-ok",
        (40, 20) => "delete",
        (40, 21) => "delete-ok",
        (40, 30) => "bind",
        (40, 31) => "bind-ok",
        (40, 40) => "unbind",
        (40, 51) => "unbind-ok",
        (50, 20) => "bind",
        (50, 21) => "bind-ok",
        (50, 30) => "purge",
        (50, 31) => "purge-ok",
        (50, 40) => "delete",
        (50, 41) => "delete-ok",
        (50, 50) => "unbind",
        (50, 51) => "unbind-ok",
        (60, 10) => "qos",
        (60, 11) => "qos-ok",
        (60, 20) => "consume",
        (60, 21) => "consume-ok",
        (60, 30) => "cancel",
        (60, 31) => "cancel-ok",
        (60, 40) => "publish",
        (60, 50) => "return",
        (60, 60) => "deliver",
        (60, 70) => "get",
        (60, 71) => "get-ok",
        (60, 72) => "get-empty",
        (60, 80) => "ack",
        (60, 90) => "reject",
        (60, 100) => "recover-async",
        (60, 110) => "recover",
        (60, 111) => "recover-ok",
        (60, 120) => "nack",
        (85, 10) | (90, 10) => "select",
        (85, 11) | (90, 11) => "select-ok",
        (90, 20) => "commit",
        (90, 21) => "commit-ok",
        (90, 30) => "rollback",
        (90, 31) => "rollback-ok",
        _ => "",
    };
    match (class_name(class), m) {
        (Some(c), m) if !m.is_empty() => format!("{c}.{m}"),
        (Some(c), _) => format!("{c}.method-{method}"),
        (None, _) => format!("class-{class}.method-{method}"),
    }
}

/// The AMQP 0-9-1 frame decoder: either direction of a connection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Frames;

impl Decoder for Frames {
    type Unit = Frame;

    fn protocol(&self) -> &'static str {
        "AMQP 0-9-1 frames"
    }

    fn decode(&self, stream: &[u8]) -> Decoded<Frame> {
        let mut units = Vec::new();
        let mut at = 0;
        let stop = |at: usize, reason| {
            Some(Stop {
                offset: at,
                remaining: stream.len() - at,
                reason,
            })
        };
        if stream.starts_with(b"AMQP") {
            if stream.len() < PROTOCOL_HEADER.len() {
                return Decoded {
                    protocol: self.protocol(),
                    units,
                    stop: stop(0, StopReason::Incomplete),
                };
            }
            units.push(Frame {
                kind: FrameKind::ProtocolHeader,
                channel: 0,
                payload_len: 0,
            });
            at = PROTOCOL_HEADER.len();
        }
        while at < stream.len() {
            let rest = &stream[at..];
            if rest.len() < 7 {
                return Decoded {
                    protocol: self.protocol(),
                    units,
                    stop: stop(at, StopReason::Incomplete),
                };
            }
            let kind_octet = rest[0];
            let channel = u16::from_be_bytes([rest[1], rest[2]]);
            let size = u32::from_be_bytes([rest[3], rest[4], rest[5], rest[6]]) as usize;
            let total = 7 + size + 1;
            if rest.len() < total {
                return Decoded {
                    protocol: self.protocol(),
                    units,
                    stop: stop(at, StopReason::Incomplete),
                };
            }
            if rest[total - 1] != FRAME_END {
                let why = format!(
                    "frame end octet is {:#04x}, not 0xce (a {size}-byte payload was announced)",
                    rest[total - 1]
                );
                return Decoded {
                    protocol: self.protocol(),
                    units,
                    stop: stop(at, StopReason::Invalid(why)),
                };
            }
            let payload = &rest[7..7 + size];
            let kind = match kind_octet {
                1 if size >= 4 => FrameKind::Method {
                    class: u16::from_be_bytes([payload[0], payload[1]]),
                    method: u16::from_be_bytes([payload[2], payload[3]]),
                },
                2 if size >= 12 => FrameKind::Header {
                    class: u16::from_be_bytes([payload[0], payload[1]]),
                    body_size: u64::from_be_bytes(payload[4..12].try_into().unwrap_or([0; 8])),
                },
                3 => FrameKind::Body,
                8 => FrameKind::Heartbeat,
                other => {
                    let why = format!(
                        "frame type {other} with a {size}-byte payload is not 1, 2, 3 or 8"
                    );
                    return Decoded {
                        protocol: self.protocol(),
                        units,
                        stop: stop(at, StopReason::Invalid(why)),
                    };
                }
            };
            units.push(Frame {
                kind,
                channel,
                payload_len: size,
            });
            at += total;
        }
        Decoded {
            protocol: self.protocol(),
            units,
            stop: None,
        }
    }
}
