//! HTTP/2 on the wire: cuts a recorded stream into frames (RFC 9113).
//!
//! gRPC is HTTP/2, so Chapter 2 reads gRPC calls at this level: a call is a
//! HEADERS frame, DATA frames and a last HEADERS frame (the trailers) on one
//! stream. Every frame starts with the same 9-byte header:
//!
//! ```text
//! length (24 bits) | type (8) | flags (8) | R (1) + stream id (31)
//! ```
//!
//! followed by `length` bytes of payload. The client's side begins with the
//! 24-byte connection preface (`PRI * HTTP/2.0...`), reported here as a unit
//! of its own so that every byte of the stream is accounted for.
//!
//! Header blocks (HEADERS, PUSH_PROMISE and their CONTINUATION frames) are
//! HPACK-compressed (RFC 7541) against a table that both ends keep for the
//! whole connection, so they must be decoded in order with one decoder per
//! direction: [`parse`] does that with the `loona-hpack` crate and attaches
//! the header list to the frame that opened the block. SETTINGS payloads are
//! parsed into (identifier, value) pairs, so a lab can read a server's
//! `SETTINGS_MAX_CONCURRENT_STREAMS` off the wire.
//!
//! ```
//! use labkit::wire::http2::{self, FrameType};
//! // A SETTINGS frame on stream 0 with one setting: MAX_CONCURRENT_STREAMS = 100.
//! let stream = [0, 0, 6, 0x4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100];
//! let frames = http2::parse(&stream).complete().unwrap();
//! assert_eq!(frames[0].kind, FrameType::Settings);
//! assert_eq!(http2::max_concurrent_streams(&frames), Some(100));
//! ```

use std::fmt;

use super::decode::{Decoded, Decoder, Stop, StopReason, Unit};

/// What an HTTP/2 client sends before its first frame (RFC 9113 §3.4).
pub const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Bytes in every frame's header.
pub const FRAME_HEADER_LEN: usize = 9;

/// SETTINGS identifiers (RFC 9113 §6.5.2), for [`Frame::setting`].
pub mod settings {
    pub const HEADER_TABLE_SIZE: u16 = 0x1;
    pub const ENABLE_PUSH: u16 = 0x2;
    pub const MAX_CONCURRENT_STREAMS: u16 = 0x3;
    pub const INITIAL_WINDOW_SIZE: u16 = 0x4;
    pub const MAX_FRAME_SIZE: u16 = 0x5;
    pub const MAX_HEADER_LIST_SIZE: u16 = 0x6;
}

/// Frame flags (RFC 9113 §6): which bits mean what depends on the type.
pub mod flags {
    /// DATA, HEADERS: the sender's last frame on this stream.
    pub const END_STREAM: u8 = 0x1;
    /// SETTINGS, PING: an acknowledgment.
    pub const ACK: u8 = 0x1;
    /// HEADERS, PUSH_PROMISE, CONTINUATION: the header block ends here.
    pub const END_HEADERS: u8 = 0x4;
    /// DATA, HEADERS, PUSH_PROMISE: a pad length byte and padding follow.
    pub const PADDED: u8 = 0x8;
    /// HEADERS: a priority block (5 bytes) precedes the header block.
    pub const PRIORITY: u8 = 0x20;
}

/// The type of a frame (RFC 9113 §6), plus the client's preface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameType {
    Data,
    Headers,
    Priority,
    RstStream,
    Settings,
    PushPromise,
    Ping,
    GoAway,
    WindowUpdate,
    Continuation,
    /// A type this decoder does not know (extensions); skipped by its length.
    Unknown(u8),
    /// The 24-byte connection preface: not a frame, but bytes on the wire.
    Preface,
}

impl FrameType {
    /// The type for a frame header's type byte.
    pub fn from_byte(b: u8) -> FrameType {
        match b {
            0x0 => FrameType::Data,
            0x1 => FrameType::Headers,
            0x2 => FrameType::Priority,
            0x3 => FrameType::RstStream,
            0x4 => FrameType::Settings,
            0x5 => FrameType::PushPromise,
            0x6 => FrameType::Ping,
            0x7 => FrameType::GoAway,
            0x8 => FrameType::WindowUpdate,
            0x9 => FrameType::Continuation,
            other => FrameType::Unknown(other),
        }
    }

    /// The type byte, as tshark's `http2.type` field shows it (`None` for the preface).
    pub fn byte(self) -> Option<u8> {
        Some(match self {
            FrameType::Data => 0x0,
            FrameType::Headers => 0x1,
            FrameType::Priority => 0x2,
            FrameType::RstStream => 0x3,
            FrameType::Settings => 0x4,
            FrameType::PushPromise => 0x5,
            FrameType::Ping => 0x6,
            FrameType::GoAway => 0x7,
            FrameType::WindowUpdate => 0x8,
            FrameType::Continuation => 0x9,
            FrameType::Unknown(b) => b,
            FrameType::Preface => return None,
        })
    }

    /// The name the RFC uses: `"DATA"`, `"WINDOW_UPDATE"`.
    pub fn name(self) -> String {
        match self {
            FrameType::Data => "DATA".into(),
            FrameType::Headers => "HEADERS".into(),
            FrameType::Priority => "PRIORITY".into(),
            FrameType::RstStream => "RST_STREAM".into(),
            FrameType::Settings => "SETTINGS".into(),
            FrameType::PushPromise => "PUSH_PROMISE".into(),
            FrameType::Ping => "PING".into(),
            FrameType::GoAway => "GOAWAY".into(),
            FrameType::WindowUpdate => "WINDOW_UPDATE".into(),
            FrameType::Continuation => "CONTINUATION".into(),
            FrameType::Unknown(b) => format!("UNKNOWN(0x{b:02x})"),
            FrameType::Preface => "PREFACE".into(),
        }
    }
}

impl fmt::Display for FrameType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// One HTTP/2 frame as it crossed the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Where the frame starts in the stream.
    pub offset: usize,
    pub kind: FrameType,
    pub flags: u8,
    /// 0 for frames about the whole connection (SETTINGS, PING, GOAWAY).
    pub stream_id: u32,
    /// The payload, padding included, exactly as sent.
    pub payload: Vec<u8>,
    /// For a HEADERS or PUSH_PROMISE frame: the decoded header list of the
    /// whole block (its CONTINUATION frames included), names lowercase.
    pub headers: Option<Vec<(String, String)>>,
}

impl Frame {
    /// Whether `flag` (see [`flags`]) is set.
    pub fn has_flag(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// DATA or HEADERS with END_STREAM: the sender is done with this stream.
    pub fn ends_stream(&self) -> bool {
        matches!(self.kind, FrameType::Data | FrameType::Headers)
            && self.has_flag(flags::END_STREAM)
    }

    /// For a SETTINGS frame: its (identifier, value) pairs, in order.
    pub fn settings(&self) -> Vec<(u16, u32)> {
        if self.kind != FrameType::Settings {
            return Vec::new();
        }
        self.payload
            .chunks_exact(6)
            .map(|c| {
                (
                    u16::from_be_bytes([c[0], c[1]]),
                    u32::from_be_bytes([c[2], c[3], c[4], c[5]]),
                )
            })
            .collect()
    }

    /// For a SETTINGS frame: the value of setting `id` (see [`settings`]).
    pub fn setting(&self, id: u16) -> Option<u32> {
        self.settings()
            .into_iter()
            .rev()
            .find(|(i, _)| *i == id)
            .map(|(_, v)| v)
    }

    /// The first decoded header named `name` (lowercase), for HEADERS frames.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .as_ref()?
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// For a DATA frame: the data without padding.
    pub fn data(&self) -> &[u8] {
        if self.kind != FrameType::Data {
            return &[];
        }
        strip_padding(&self.payload, self.flags).unwrap_or(&[])
    }

    /// For RST_STREAM and GOAWAY: the error code (RFC 9113 §7; 0x8 is CANCEL).
    pub fn error_code(&self) -> Option<u32> {
        let at = match self.kind {
            FrameType::RstStream => 0,
            FrameType::GoAway => 4,
            _ => return None,
        };
        let b = self.payload.get(at..at + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

impl Unit for Frame {
    /// The frame type's name: `"HEADERS"`, `"DATA"`.
    fn name(&self) -> String {
        self.kind.name()
    }
    /// 9, the frame header (24 for the preface, which is all header).
    fn header_len(&self) -> usize {
        match self.kind {
            FrameType::Preface => PREFACE.len(),
            _ => FRAME_HEADER_LEN,
        }
    }
    fn body_len(&self) -> usize {
        match self.kind {
            FrameType::Preface => 0,
            _ => self.payload.len(),
        }
    }
}

/// Decodes either side of an HTTP/2 connection into frames.
#[derive(Debug, Clone, Copy, Default)]
pub struct Frames;

impl Decoder for Frames {
    type Unit = Frame;
    fn protocol(&self) -> &'static str {
        "HTTP/2 frames"
    }
    fn decode(&self, stream: &[u8]) -> Decoded<Frame> {
        parse(stream)
    }
}

/// Cuts everything one side of a connection sent into frames (shorthand
/// for `Frames.decode(stream)`), decoding header blocks with HPACK along
/// the way. A client's stream may start with
/// the preface; a server's does not.
pub fn parse(stream: &[u8]) -> Decoded<Frame> {
    let mut decoded = Decoded {
        protocol: Frames.protocol(),
        units: Vec::new(),
        stop: None,
    };
    let stop = |offset: usize, reason| Stop {
        offset,
        remaining: stream.len() - offset,
        reason,
    };
    let mut pos = 0;
    if stream.starts_with(PREFACE) {
        decoded.units.push(Frame {
            offset: 0,
            kind: FrameType::Preface,
            flags: 0,
            stream_id: 0,
            payload: Vec::new(),
            headers: None,
        });
        pos = PREFACE.len();
    } else if !stream.is_empty() && PREFACE.starts_with(stream) {
        decoded.stop = Some(stop(0, StopReason::Incomplete));
        return decoded;
    }

    let mut hpack = loona_hpack::Decoder::new();
    // A header block still waiting for its CONTINUATION frames: the index of
    // the frame that opened it, and the block so far.
    let mut open_block: Option<(usize, Vec<u8>)> = None;

    while pos < stream.len() {
        let rest = &stream[pos..];
        if rest.len() < FRAME_HEADER_LEN {
            decoded.stop = Some(stop(pos, StopReason::Incomplete));
            return decoded;
        }
        let length = u32::from_be_bytes([0, rest[0], rest[1], rest[2]]) as usize;
        let kind = FrameType::from_byte(rest[3]);
        let flags = rest[4];
        let stream_id = u32::from_be_bytes([rest[5], rest[6], rest[7], rest[8]]) & 0x7fff_ffff;
        if rest.len() < FRAME_HEADER_LEN + length {
            decoded.stop = Some(stop(pos, StopReason::Incomplete));
            return decoded;
        }
        let payload = rest[FRAME_HEADER_LEN..FRAME_HEADER_LEN + length].to_vec();
        if let Err(why) = check(kind, flags, stream_id, &payload, open_block.is_some()) {
            decoded.stop = Some(stop(pos, StopReason::Invalid(why)));
            return decoded;
        }

        let mut frame = Frame {
            offset: pos,
            kind,
            flags,
            stream_id,
            payload,
            headers: None,
        };
        let fragment = match kind {
            FrameType::Headers | FrameType::PushPromise => {
                header_fragment(&frame.payload, kind, flags).map(|f| f.to_vec())
            }
            FrameType::Continuation => Some(frame.payload.clone()),
            _ => None,
        };
        if let Some(fragment) = fragment {
            let index = decoded.units.len();
            let (opener, mut block) = open_block.take().unwrap_or((index, Vec::new()));
            block.extend_from_slice(&fragment);
            if frame.has_flag(flags::END_HEADERS) {
                match hpack.decode(&block) {
                    Ok(list) => {
                        let list = list
                            .into_iter()
                            .map(|(n, v)| {
                                (
                                    String::from_utf8_lossy(&n).into_owned(),
                                    String::from_utf8_lossy(&v).into_owned(),
                                )
                            })
                            .collect();
                        if opener == index {
                            frame.headers = Some(list);
                        } else {
                            decoded.units[opener].headers = Some(list);
                        }
                    }
                    Err(e) => {
                        decoded.stop = Some(stop(
                            pos,
                            StopReason::Invalid(format!("HPACK block does not decode: {e:?}")),
                        ));
                        return decoded;
                    }
                }
            } else {
                open_block = Some((opener, block));
            }
        }
        decoded.units.push(frame);
        pos += FRAME_HEADER_LEN + length;
    }
    decoded
}

/// Checks what RFC 9113 requires of a frame that a decoder relies on.
fn check(
    kind: FrameType,
    flags: u8,
    stream_id: u32,
    payload: &[u8],
    in_block: bool,
) -> Result<(), String> {
    if in_block && kind != FrameType::Continuation {
        return Err(format!(
            "a header block was not finished, but a {kind} frame came instead of CONTINUATION"
        ));
    }
    if !in_block && kind == FrameType::Continuation {
        return Err("CONTINUATION frame without an open header block".into());
    }
    let connection_level = matches!(
        kind,
        FrameType::Settings | FrameType::Ping | FrameType::GoAway
    );
    let stream_level = matches!(
        kind,
        FrameType::Data
            | FrameType::Headers
            | FrameType::Priority
            | FrameType::RstStream
            | FrameType::PushPromise
            | FrameType::Continuation
    );
    if connection_level && stream_id != 0 {
        return Err(format!(
            "{kind} frame on stream {stream_id}, must be stream 0"
        ));
    }
    if stream_level && stream_id == 0 {
        return Err(format!("{kind} frame on stream 0, must be on a stream"));
    }
    if kind == FrameType::Settings && !payload.len().is_multiple_of(6) {
        return Err(format!(
            "SETTINGS payload of {} bytes is not a multiple of 6",
            payload.len()
        ));
    }
    if kind == FrameType::Settings && flags & flags::ACK != 0 && !payload.is_empty() {
        return Err("SETTINGS ACK with a payload".into());
    }
    if matches!(
        kind,
        FrameType::Data | FrameType::Headers | FrameType::PushPromise
    ) && strip_padding(payload, flags).is_none()
    {
        return Err(format!("{kind} frame's padding is longer than its payload"));
    }
    Ok(())
}

/// The payload without the pad length byte and the padding, if PADDED.
fn strip_padding(payload: &[u8], flags: u8) -> Option<&[u8]> {
    if flags & flags::PADDED == 0 {
        return Some(payload);
    }
    let (&pad, rest) = payload.split_first()?;
    rest.len().checked_sub(pad as usize).map(|end| &rest[..end])
}

/// The header block fragment inside a HEADERS or PUSH_PROMISE payload.
fn header_fragment(payload: &[u8], kind: FrameType, flags: u8) -> Option<&[u8]> {
    let unpadded = strip_padding(payload, flags)?;
    let skip = match kind {
        FrameType::Headers if flags & flags::PRIORITY != 0 => 5,
        FrameType::PushPromise => 4,
        _ => 0,
    };
    unpadded.get(skip..)
}

/// The last `SETTINGS_MAX_CONCURRENT_STREAMS` announced in `frames` (one
/// side's stream), if any: how many streams that side lets the other open.
pub fn max_concurrent_streams(frames: &[Frame]) -> Option<u32> {
    frames
        .iter()
        .filter(|f| f.kind == FrameType::Settings)
        .filter_map(|f| f.setting(settings::MAX_CONCURRENT_STREAMS))
        .next_back()
}

/// The frames of one stream, in order.
pub fn on_stream(frames: &[Frame], stream_id: u32) -> Vec<&Frame> {
    frames.iter().filter(|f| f.stream_id == stream_id).collect()
}

/// The ids of the streams that carry a HEADERS frame, in the order opened.
pub fn streams(frames: &[Frame]) -> Vec<u32> {
    let mut ids = Vec::new();
    for f in frames {
        if f.kind == FrameType::Headers && !ids.contains(&f.stream_id) {
            ids.push(f.stream_id);
        }
    }
    ids
}
