//! ZMTP 3.x, ZeroMQ's wire protocol, cut from a recorded byte stream.
//!
//! Each side of a ZeroMQ TCP (or IPC) connection sends the same shape
//! (RFC 23/ZMTP §3, and RFC 37 for 3.1):
//!
//! 1. a **greeting** of exactly 64 bytes: a 10-byte signature (`0xFF`,
//!    eight padding bytes, `0x7F`), the version (major 3, minor 0 or 1), the
//!    security mechanism's name padded with zeros to 20 bytes (`NULL`,
//!    `PLAIN`, `CURVE`), one as-server byte, and 31 bytes of zero filler;
//! 2. a **handshake** of commands the mechanism defines: with `NULL`, one
//!    `READY` each way carrying properties such as `Socket-Type`; with
//!    `CURVE`, `HELLO`, `WELCOME`, `INITIATE` and `READY`;
//! 3. **traffic**: message frames, and commands (`SUBSCRIBE`, `PING`,
//!    and with CURVE every message travels inside a `MESSAGE` command).
//!
//! A frame is one flags byte (bit 0 MORE: another frame of the same message
//! follows; bit 1 LONG: the size is 8 bytes, not 1; bit 2 COMMAND; the other
//! bits must be zero), the size in network byte order, and that many bytes.
//! A command's body starts with its name: one length byte, then the name.
//!
//! Counted as header: the greeting, every command, and each frame's flags
//! and size bytes; counted as body: a message frame's bytes, which is what
//! the application sent. [`messages`] joins frames into multipart messages.

use super::decode::{Decoded, Decoder, Stop, StopReason, Unit};

/// Bytes in a ZMTP 3.x greeting.
pub const GREETING_LEN: usize = 64;

/// The flag bit saying another frame of the same message follows.
pub const MORE: u8 = 0x01;
/// The flag bit saying the size field is 8 bytes long.
pub const LONG: u8 = 0x02;
/// The flag bit saying the frame is a command, not part of a message.
pub const COMMAND: u8 = 0x04;

/// What a unit is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The 64-byte greeting that opens each direction.
    Greeting {
        /// The ZMTP version announced: (3, 0) or (3, 1).
        version: (u8, u8),
        /// The security mechanism: `NULL`, `PLAIN` or `CURVE`.
        mechanism: String,
        /// The as-server byte (meaningful for PLAIN and CURVE).
        as_server: bool,
    },
    /// A command frame: `READY`, `SUBSCRIBE`, `HELLO`, `MESSAGE`, ...
    Command {
        /// The command's name.
        name: String,
    },
    /// One frame of an application message.
    Message,
}

/// One unit on the wire: the greeting, a command or a message frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// What it is.
    pub kind: Kind,
    /// Where it starts in the stream.
    pub offset: usize,
    /// Its flags byte (0 for the greeting).
    pub flags: u8,
    /// Bytes of flags and size: 2 for a short frame, 9 for a long one.
    pub framing: usize,
    /// The frame's bytes after the size (for a command, its name and data;
    /// for the greeting, all 64 bytes).
    pub body: Vec<u8>,
}

impl Frame {
    /// Whether another frame of the same message follows.
    pub fn more(&self) -> bool {
        self.flags & MORE != 0
    }

    /// Whether the size took 8 bytes.
    pub fn long(&self) -> bool {
        self.flags & LONG != 0
    }

    /// A command's data after its name (empty for other units).
    ///
    /// The name's length is the body's first byte, not `name.len()`: a name
    /// that is not UTF-8 is shown with U+FFFD, three bytes per bad byte
    /// (found by `cargo fuzz`, kept in `tests/decoders_arbitrary.rs`).
    pub fn command_data(&self) -> &[u8] {
        match (&self.kind, self.body.first()) {
            (Kind::Command { .. }, Some(&n)) => self.body.get(1 + n as usize..).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// A `READY` (or `INITIATE`) command's properties, in order:
    /// `Socket-Type`, `Identity`, ... (empty for other units, or when the
    /// data does not parse as properties).
    pub fn properties(&self) -> Vec<(String, Vec<u8>)> {
        let mut data = self.command_data();
        let mut props = Vec::new();
        while let Some((&n, rest)) = data.split_first() {
            let n = n as usize;
            if rest.len() < n + 4 {
                return Vec::new();
            }
            let name = String::from_utf8_lossy(&rest[..n]).into_owned();
            let len = u32::from_be_bytes([rest[n], rest[n + 1], rest[n + 2], rest[n + 3]]);
            let rest = &rest[n + 4..];
            let Some(value) = rest.get(..len as usize) else {
                return Vec::new();
            };
            props.push((name, value.to_vec()));
            data = &rest[len as usize..];
        }
        props
    }
}

impl Unit for Frame {
    fn name(&self) -> String {
        match &self.kind {
            Kind::Greeting { .. } => "greeting".into(),
            Kind::Command { name } => name.clone(),
            Kind::Message if self.more() => "frame+more".into(),
            Kind::Message => "frame".into(),
        }
    }
    fn header_len(&self) -> usize {
        match self.kind {
            Kind::Message => self.framing,
            _ => self.framing + self.body.len(),
        }
    }
    fn body_len(&self) -> usize {
        match self.kind {
            Kind::Message => self.body.len(),
            _ => 0,
        }
    }
}

/// The ZMTP 3.x decoder: one direction of a connection, greeting first.
#[derive(Debug, Clone, Copy, Default)]
pub struct Frames;

impl Decoder for Frames {
    type Unit = Frame;

    fn protocol(&self) -> &'static str {
        "ZMTP 3.x"
    }

    fn decode(&self, stream: &[u8]) -> Decoded<Frame> {
        let mut units = Vec::new();
        let stop = decode_into(stream, &mut units).map(|(offset, reason)| Stop {
            offset,
            remaining: stream.len() - offset,
            reason,
        });
        Decoded {
            protocol: self.protocol(),
            units,
            stop,
        }
    }
}

/// Decodes `stream` into `units`; where and why it stopped early, if it did.
fn decode_into(stream: &[u8], units: &mut Vec<Frame>) -> Option<(usize, StopReason)> {
    let invalid = |at: usize, why: &str| Some((at, StopReason::Invalid(why.to_string())));
    // The greeting: check each field as soon as it has arrived, so that a
    // stream that is not ZMTP is called so even when it is short.
    let seen = &stream[..stream.len().min(GREETING_LEN)];
    if seen.first().is_some_and(|&b| b != 0xFF) {
        return invalid(0, "a ZMTP greeting starts with the byte 0xFF");
    }
    if seen.get(9).is_some_and(|&b| b & 0x01 != 1) {
        return invalid(0, "byte 9 of a ZMTP greeting has its low bit set (0x7F)");
    }
    if seen.get(10).is_some_and(|&v| v < 3) {
        return invalid(
            0,
            "this is ZMTP 1.0 or 2.0, which this decoder does not read",
        );
    }
    if seen.len() < GREETING_LEN {
        return Some((0, StopReason::Incomplete));
    }
    let mechanism: String = seen[12..32]
        .iter()
        .take_while(|&&b| b != 0)
        .map(|&b| b as char)
        .collect();
    units.push(Frame {
        kind: Kind::Greeting {
            version: (seen[10], seen[11]),
            mechanism,
            as_server: seen[32] == 1,
        },
        offset: 0,
        flags: 0,
        framing: 0,
        body: seen.to_vec(),
    });

    let mut at = GREETING_LEN;
    while at < stream.len() {
        let flags = stream[at];
        if flags & !(MORE | LONG | COMMAND) != 0 {
            return invalid(at, "a frame's flags byte has reserved bits set");
        }
        if flags & COMMAND != 0 && flags & MORE != 0 {
            return invalid(at, "a command frame has the MORE bit set");
        }
        let framing = if flags & LONG != 0 { 9 } else { 2 };
        let Some(size_bytes) = stream.get(at + 1..at + framing) else {
            return Some((at, StopReason::Incomplete));
        };
        let size = size_bytes
            .iter()
            .fold(0u64, |n, &b| (n << 8) | u64::from(b));
        let available = (stream.len() - at - framing) as u64;
        if size > available {
            return Some((at, StopReason::Incomplete));
        }
        let start = at + framing;
        let body = &stream[start..start + size as usize];
        let kind = if flags & COMMAND != 0 {
            let Some((&n, rest)) = body.split_first() else {
                return invalid(at, "a command frame is empty: it has no name");
            };
            let Some(name) = rest.get(..n as usize) else {
                return invalid(at, "a command's name is longer than its frame");
            };
            Kind::Command {
                name: String::from_utf8_lossy(name).into_owned(),
            }
        } else {
            Kind::Message
        };
        units.push(Frame {
            kind,
            offset: at,
            flags,
            framing,
            body: body.to_vec(),
        });
        at = start + size as usize;
    }
    None
}

/// The application messages among `frames`: message frames joined while
/// their MORE bit is set. Commands and the greeting are left out; a last
/// message whose final frame has not arrived is left out too.
pub fn messages(frames: &[Frame]) -> Vec<Vec<Vec<u8>>> {
    let mut done = Vec::new();
    let mut current: Vec<Vec<u8>> = Vec::new();
    for f in frames.iter().filter(|f| f.kind == Kind::Message) {
        current.push(f.body.clone());
        if !f.more() {
            done.push(std::mem::take(&mut current));
        }
    }
    done
}

/// One frame as a sender writes it: flags, size (short or long as the size
/// needs), bytes. For tests and lessons that build a stream by hand.
pub fn encode(flags: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 9);
    if body.len() > 255 {
        out.push(flags | LONG);
        out.extend_from_slice(&(body.len() as u64).to_be_bytes());
    } else {
        out.push(flags & !LONG);
        out.push(body.len() as u8);
    }
    out.extend_from_slice(body);
    out
}

/// A ZMTP 3.1 greeting for `mechanism`, as RFC 23 lays it out.
pub fn greeting(mechanism: &str, as_server: bool) -> [u8; GREETING_LEN] {
    let mut g = [0u8; GREETING_LEN];
    g[0] = 0xFF;
    g[9] = 0x7F;
    g[10] = 3;
    g[11] = 1;
    let name = mechanism.as_bytes();
    let n = name.len().min(20);
    g[12..12 + n].copy_from_slice(&name[..n]);
    g[32] = u8::from(as_server);
    g
}
