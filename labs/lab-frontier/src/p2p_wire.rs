//! What labkit's proxy can read of a libp2p connection over TCP, for
//! scenario `p2p`.
//!
//! In clear: the first multistream-select exchange, which agrees on the
//! security protocol (`/multistream/1.0.0`, then `/noise`), each message a
//! varint length and a line ending in `\n`; then the noise handshake's
//! three messages, each a two-byte big-endian length and its body.
//! Everything after that is noise transport frames (the same two-byte
//! length, then ciphertext): the multistream-select that picks yamux,
//! yamux's own frames, and each stream's negotiation and request are all
//! inside, and the proxy sees only their lengths.

use std::time::Duration;

use labkit::wire::{ConnRecord, Direction};

/// One unit of a libp2p connection, as the proxy saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub dir: Direction,
    /// When the proxy read its first byte, from the proxy's start.
    pub at: Duration,
    /// Its size on the wire, length prefix included.
    pub bytes: usize,
    pub what: What,
}

/// What a unit is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A multistream-select message, in clear: `/multistream/1.0.0`,
    /// `/noise`, or `na` for a refusal.
    Multistream(String),
    /// Noise XX handshake message 1, 2 or 3.
    Handshake(u8),
    /// A noise transport frame: ciphertext.
    Encrypted,
}

impl What {
    /// How a table shows it.
    pub fn label(&self) -> String {
        match self {
            What::Multistream(m) => format!("multistream-select {m}"),
            What::Handshake(1) => "noise handshake 1: -> e".into(),
            What::Handshake(2) => "noise handshake 2: <- e, ee, s, es + identity".into(),
            What::Handshake(n) => format!("noise handshake {n}: -> s, se + identity"),
            What::Encrypted => "noise frame (encrypted)".into(),
        }
    }
}

/// The units of one direction of `conn`; `dialer` says whether this
/// direction is the dialer's (its noise frames 1 and 2 are handshake
/// messages 1 and 3; the listener's first is message 2). A unit cut off
/// at the end of the recording is left out.
pub fn units_one_way(conn: &ConnRecord, dir: Direction, dialer: bool) -> Vec<Unit> {
    let stream = conn.stream(dir);
    // Where each chunk starts in the stream, and when it was read.
    let mut starts = Vec::new();
    let mut offset = 0;
    for chunk in conn.chunks_in(dir) {
        starts.push((offset, chunk.at));
        offset += chunk.bytes.len();
    }
    let at = |pos: usize| {
        starts
            .iter()
            .rev()
            .find(|(start, _)| *start <= pos)
            .map_or(Duration::ZERO, |(_, at)| *at)
    };
    let mut units = Vec::new();
    let mut pos = 0;
    let mut secured = false;
    let mut frames = 0u8;
    while pos < stream.len() {
        let rest = &stream[pos..];
        let (len, what) = if !secured {
            let Some((body, prefix)) = varint(rest) else {
                break;
            };
            let Some(message) = rest.get(prefix..prefix + body) else {
                break;
            };
            let text = String::from_utf8_lossy(message).trim_end().to_string();
            secured = text == "/noise";
            (prefix + body, What::Multistream(text))
        } else {
            let [hi, lo, ..] = rest else { break };
            let len = 2 + usize::from(u16::from_be_bytes([*hi, *lo]));
            if rest.len() < len {
                break;
            }
            frames = frames.saturating_add(1);
            let what = match (dialer, frames) {
                (true, 1) => What::Handshake(1),
                (true, 2) => What::Handshake(3),
                (false, 1) => What::Handshake(2),
                _ => What::Encrypted,
            };
            (len, what)
        };
        units.push(Unit {
            dir,
            at: at(pos),
            bytes: len,
            what,
        });
        pos += len;
    }
    units
}

/// Both directions of a connection the client side of the proxy dialled,
/// in the order the proxy read them.
pub fn units(conn: &ConnRecord) -> Vec<Unit> {
    let mut all = units_one_way(conn, Direction::ToServer, true);
    all.extend(units_one_way(conn, Direction::ToClient, false));
    all.sort_by_key(|u| u.at);
    all
}

/// An unsigned varint (LEB128, as multistream-select frames its
/// messages): its value and how many bytes it took.
fn varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value = 0usize;
    for (i, b) in bytes.iter().enumerate().take(9) {
        value |= usize::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// The listener's flights (runs of its units) that came before the
/// dialer's first encrypted frame: what the dialer waited for before it
/// could send anything over the secured connection. Its first request can
/// follow that frame at once, since libp2p proposes yamux without waiting
/// for the answer.
pub fn flights_before_first_encrypted(units: &[Unit]) -> Option<usize> {
    let mut flights = 0;
    let mut last = None;
    for u in units {
        if u.dir == Direction::ToServer && u.what == What::Encrypted {
            return Some(flights);
        }
        if u.dir == Direction::ToClient && last != Some(Direction::ToClient) {
            flights += 1;
        }
        last = Some(u.dir);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_little_endian_groups_of_seven_bits() {
        assert_eq!(varint(&[0x13]), Some((19, 1)));
        assert_eq!(varint(&[0xac, 0x02]), Some((300, 2)));
        assert_eq!(varint(&[0x80]), None);
    }
}
