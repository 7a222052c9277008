//! WebSocket frames (RFC 6455 section 5) cut out of a recorded connection.
//!
//! A WebSocket connection starts as HTTP/1.1: a `GET` with `Upgrade:
//! websocket`, answered by `101 Switching Protocols`. After the blank line
//! that ends those heads, both directions carry frames: a 2-byte header,
//! 0, 2 or 8 more bytes of payload length (for payloads of 126 bytes or
//! more, and of 65,536 or more), a 4-byte masking key on frames a client
//! sent, then the payload. This decoder skips the HTTP handshake (using the
//! [`http1`] decoder, which stops with a handover at the
//! `101`) and reads the frames that follow, unmasking client payloads so a
//! lesson can show what was sent.
//!
//! [`encode`] builds a frame by hand, for lessons that send what a
//! well-behaved library never would (an unmasked client frame, a message in
//! fragments).

use super::decode::{Decoded, Decoder, Stop, StopReason, Unit};
use super::record::ConnRecord;
use super::{Direction, http1};

/// The decoder: every frame of one direction of a WebSocket connection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Frames;

/// What a frame carries (RFC 6455 section 5.2, the 4-bit opcode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opcode {
    /// 0x0: the next piece of a fragmented message.
    Continuation,
    /// 0x1: UTF-8 text (or its first fragment).
    Text,
    /// 0x2: binary data (or its first fragment).
    Binary,
    /// 0x8: the closing handshake, with an optional status code and reason.
    Close,
    /// 0x9: "are you there?"; the peer must answer with a pong.
    Ping,
    /// 0xA: the answer to a ping (or an unsolicited heartbeat).
    Pong,
}

impl Opcode {
    /// The opcode for the 4 low bits of the first header byte, if it is one
    /// RFC 6455 defines.
    pub fn from_bits(bits: u8) -> Option<Opcode> {
        Some(match bits {
            0x0 => Opcode::Continuation,
            0x1 => Opcode::Text,
            0x2 => Opcode::Binary,
            0x8 => Opcode::Close,
            0x9 => Opcode::Ping,
            0xA => Opcode::Pong,
            _ => return None,
        })
    }

    /// The 4 bits on the wire.
    pub fn bits(self) -> u8 {
        match self {
            Opcode::Continuation => 0x0,
            Opcode::Text => 0x1,
            Opcode::Binary => 0x2,
            Opcode::Close => 0x8,
            Opcode::Ping => 0x9,
            Opcode::Pong => 0xA,
        }
    }

    /// Control frames (close, ping, pong) may not be fragmented and carry at
    /// most 125 bytes, so they can be sent between the fragments of a message.
    pub fn is_control(self) -> bool {
        matches!(self, Opcode::Close | Opcode::Ping | Opcode::Pong)
    }

    /// Upper-case name, as counts show it: `TEXT`, `PING`, ...
    pub fn name(self) -> &'static str {
        match self {
            Opcode::Continuation => "CONTINUATION",
            Opcode::Text => "TEXT",
            Opcode::Binary => "BINARY",
            Opcode::Close => "CLOSE",
            Opcode::Ping => "PING",
            Opcode::Pong => "PONG",
        }
    }
}

/// One frame as it was on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Whether this is the last frame of its message.
    pub fin: bool,
    pub opcode: Opcode,
    /// The masking key, present on every frame a client sends.
    pub mask: Option<[u8; 4]>,
    /// Header bytes: 2, plus 2 or 8 of extended length, plus 4 of mask key.
    pub header_len: usize,
    /// The payload, already unmasked.
    pub payload: Vec<u8>,
}

impl Frame {
    /// Whether the sender masked the payload (clients must, servers must not).
    pub fn is_masked(&self) -> bool {
        self.mask.is_some()
    }

    /// A close frame's status code (1000 normal, 1001 going away, 1002
    /// protocol error, ...), if it carries one.
    pub fn close_code(&self) -> Option<u16> {
        (self.opcode == Opcode::Close && self.payload.len() >= 2)
            .then(|| u16::from_be_bytes([self.payload[0], self.payload[1]]))
    }

    /// A close frame's reason text after the code (may be empty).
    pub fn close_reason(&self) -> Option<String> {
        (self.opcode == Opcode::Close && self.payload.len() >= 2)
            .then(|| String::from_utf8_lossy(&self.payload[2..]).into_owned())
    }
}

impl Unit for Frame {
    fn name(&self) -> String {
        self.opcode.name().to_string()
    }
    fn header_len(&self) -> usize {
        self.header_len
    }
    fn body_len(&self) -> usize {
        self.payload.len()
    }
}

impl Decoder for Frames {
    type Unit = Frame;

    fn protocol(&self) -> &'static str {
        "WebSocket frames"
    }

    /// Decodes a stream of frames (no HTTP handshake in front).
    fn decode(&self, stream: &[u8]) -> Decoded<Frame> {
        parse_frames(stream, 0)
    }

    /// Skips the HTTP/1.1 upgrade handshake, then decodes the frames.
    fn decode_conn(&self, conn: &ConnRecord, dir: Direction) -> Decoded<Frame> {
        let stream = conn.stream(dir);
        match handshake_len(&stream, dir) {
            Ok(start) => parse_frames(&stream[start..], start),
            Err(stop) => Decoded {
                protocol: self.protocol(),
                units: Vec::new(),
                stop: Some(stop),
            },
        }
    }
}

/// The length of the HTTP handshake at the start of one direction of a
/// WebSocket connection: where its frames begin.
///
/// An error when the stream holds no complete upgrade: the server answered
/// something other than `101` (then nothing after it is WebSocket), or the
/// recording stops inside the heads.
fn handshake_len(stream: &[u8], dir: Direction) -> Result<usize, Stop> {
    let decoded = match dir {
        Direction::ToServer => http1::parse_requests(stream),
        Direction::ToClient => http1::parse_responses(stream),
    };
    match decoded.stop {
        Some(Stop {
            offset,
            reason: StopReason::Handover(_),
            ..
        }) => Ok(offset),
        Some(stop) => Err(stop),
        None => Err(Stop {
            offset: stream.len(),
            remaining: 0,
            reason: StopReason::Invalid(
                "the HTTP exchange never switched to WebSocket (no 101 Switching Protocols)".into(),
            ),
        }),
    }
}

/// Decodes frames from `stream`; offsets in a [`Stop`] are reported from
/// `base`, the position of `stream` in the whole connection.
fn parse_frames(stream: &[u8], base: usize) -> Decoded<Frame> {
    let mut units = Vec::new();
    let mut pos = 0;
    while pos < stream.len() {
        match parse_one(&stream[pos..]) {
            Ok(frame) => {
                pos += frame.header_len + frame.payload.len();
                units.push(frame);
            }
            Err(reason) => {
                return Decoded {
                    protocol: "WebSocket frames",
                    units,
                    stop: Some(Stop {
                        offset: base + pos,
                        remaining: stream.len() - pos,
                        reason,
                    }),
                };
            }
        }
    }
    Decoded {
        protocol: "WebSocket frames",
        units,
        stop: None,
    }
}

// ANCHOR: parse_one
/// Reads one frame from the start of `bytes`.
fn parse_one(bytes: &[u8]) -> Result<Frame, StopReason> {
    let need = |n: usize| {
        if bytes.len() < n {
            Err(StopReason::Incomplete)
        } else {
            Ok(())
        }
    };
    need(2)?;
    // ANCHOR: ws_fin
    let (b0, b1) = (bytes[0], bytes[1]);
    let fin = b0 & 0x80 != 0;
    // ANCHOR_END: ws_fin
    if b0 & 0x70 != 0 {
        return Err(StopReason::Invalid(format!(
            "reserved bits set ({:#04x}) without a negotiated extension",
            b0 & 0x70
        )));
    }
    // ANCHOR: ws_opcode_len
    let opcode = Opcode::from_bits(b0 & 0x0F)
        .ok_or_else(|| StopReason::Invalid(format!("opcode {:#x} is reserved", b0 & 0x0F)))?;
    let masked = b1 & 0x80 != 0;
    // ANCHOR_END: ws_opcode_len
    // 7 bits of length; 126 means "the next 2 bytes", 127 "the next 8".
    let (len, mut header_len) = match b1 & 0x7F {
        126 => {
            need(4)?;
            (u16::from_be_bytes([bytes[2], bytes[3]]) as u64, 4)
        }
        127 => {
            need(10)?;
            let mut be = [0u8; 8];
            be.copy_from_slice(&bytes[2..10]);
            let len = u64::from_be_bytes(be);
            if len >> 63 != 0 {
                return Err(StopReason::Invalid(
                    "64-bit length with its most significant bit set".into(),
                ));
            }
            (len, 10)
        }
        short => (short as u64, 2),
    };
    if opcode.is_control() && (len > 125 || !fin) {
        return Err(StopReason::Invalid(format!(
            "{} frame fragmented or longer than 125 bytes",
            opcode.name()
        )));
    }
    let mask = if masked {
        need(header_len + 4)?;
        let key = [
            bytes[header_len],
            bytes[header_len + 1],
            bytes[header_len + 2],
            bytes[header_len + 3],
        ];
        header_len += 4;
        Some(key)
    } else {
        None
    };
    let len = usize::try_from(len).map_err(|_| StopReason::Incomplete)?;
    need(header_len.saturating_add(len))?;
    let mut payload = bytes[header_len..header_len + len].to_vec();
    // ANCHOR: ws_unmask
    if let Some(key) = mask {
        // Unmasking is the same XOR as masking: byte i with key[i % 4].
        for (i, b) in payload.iter_mut().enumerate() {
            *b ^= key[i % 4];
        }
    }
    // ANCHOR_END: ws_unmask
    Ok(Frame {
        fin,
        opcode,
        mask,
        header_len,
        payload,
    })
}
// ANCHOR_END: parse_one

/// Builds one frame: the header for `payload`'s length, the mask key if
/// given (a client must give one), and the payload, masked.
pub fn encode(fin: bool, opcode: Opcode, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 14);
    out.push(if fin { 0x80 } else { 0 } | opcode.bits());
    let mask_bit = if mask.is_some() { 0x80 } else { 0 };
    match payload.len() {
        n if n < 126 => out.push(mask_bit | n as u8),
        n if n <= u16::MAX as usize => {
            out.push(mask_bit | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(mask_bit | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    match mask {
        Some(key) => {
            out.extend_from_slice(&key);
            out.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
        }
        None => out.extend_from_slice(payload),
    }
    out
}

/// A whole message put back together from its frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Text or binary: the first frame's opcode.
    pub opcode: Opcode,
    pub payload: Vec<u8>,
    /// How many frames carried it (1 when not fragmented).
    pub frames: usize,
}

/// Reassembles data messages from frames (control frames interleaved
/// between fragments are skipped). An error names a continuation frame
/// without a start, or a new message started before the last one finished.
pub fn messages(frames: &[Frame]) -> Result<Vec<Message>, String> {
    let mut out = Vec::new();
    let mut open: Option<Message> = None;
    for (i, frame) in frames.iter().enumerate() {
        if frame.opcode.is_control() {
            continue;
        }
        match (frame.opcode, open.as_mut()) {
            (Opcode::Continuation, Some(msg)) => {
                msg.payload.extend_from_slice(&frame.payload);
                msg.frames += 1;
            }
            (Opcode::Continuation, None) => {
                return Err(format!(
                    "frame {i}: a continuation with no message to continue"
                ));
            }
            (_, Some(_)) => {
                return Err(format!(
                    "frame {i}: a new message before the last one ended"
                ));
            }
            (opcode, None) => {
                open = Some(Message {
                    opcode,
                    payload: frame.payload.clone(),
                    frames: 1,
                });
            }
        }
        if frame.fin
            && let Some(msg) = open.take()
        {
            out.push(msg);
        }
    }
    Ok(out)
}
