//! What a proxy can read of an encrypted handshake without any key: the
//! type of each QUIC packet (RFC 9000 §17) and of each TLS record (RFC 8446
//! §5.1). That is enough to count round trips on the wire instead of timing
//! them.
//!
//! A real analyser (Wireshark, qlog) decrypts with the session's secrets and
//! shows every frame; the lab needs only what travels in clear.

use labkit::wire::Direction;

/// The kind of one QUIC packet, from its first byte (RFC 9000 §17.2, §17.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketType {
    Initial,
    ZeroRtt,
    Handshake,
    Retry,
    /// A short-header packet: 1-RTT keys, application data and its ACKs.
    OneRtt,
    VersionNegotiation,
}

impl PacketType {
    /// Whether a packet of this type can carry application data: 0-RTT and
    /// 1-RTT packets can, Initial and Handshake packets carry only the TLS
    /// handshake and ACKs (RFC 9000 §12.4, Table 3).
    pub fn carries_app_data(self) -> bool {
        matches!(self, PacketType::ZeroRtt | PacketType::OneRtt)
    }
}

/// The packets coalesced in one UDP datagram, in order (RFC 9000 §12.2). A
/// short-header packet has no length and always runs to the datagram's end.
pub fn quic_packets(datagram: &[u8]) -> Vec<PacketType> {
    let mut out = Vec::new();
    let mut rest = datagram;
    while let Some(&first) = rest.first() {
        if first & 0x80 == 0 {
            out.push(PacketType::OneRtt);
            break;
        }
        let Some(len) = long_header_len(rest) else {
            break;
        };
        let version = u32::from_be_bytes([rest[1], rest[2], rest[3], rest[4]]);
        out.push(match (version, (first >> 4) & 0x03) {
            (0, _) => PacketType::VersionNegotiation,
            (_, 0) => PacketType::Initial,
            (_, 1) => PacketType::ZeroRtt,
            (_, 2) => PacketType::Handshake,
            _ => PacketType::Retry,
        });
        rest = &rest[len.min(rest.len())..];
    }
    out
}

/// The whole length of the long-header packet at the start of `p`, or
/// `None` when it is cut short. Retry and Version Negotiation run to the
/// datagram's end.
fn long_header_len(p: &[u8]) -> Option<usize> {
    let version = u32::from_be_bytes(p.get(1..5)?.try_into().ok()?);
    let kind = (p[0] >> 4) & 0x03;
    if version == 0 || kind == 3 {
        return Some(p.len());
    }
    let mut at = 5;
    let dcid = *p.get(at)? as usize;
    at += 1 + dcid;
    let scid = *p.get(at)? as usize;
    at += 1 + scid;
    if kind == 0 {
        let (token, n) = varint(p.get(at..)?)?;
        at += n + token as usize;
    }
    let (length, n) = varint(p.get(at..)?)?;
    Some(at + n + length as usize)
}

/// A QUIC variable-length integer (RFC 9000 §16): its value and its size.
fn varint(b: &[u8]) -> Option<(u64, usize)> {
    let first = *b.first()?;
    let len = 1usize << (first >> 6);
    let bytes = b.get(..len)?;
    let mut v = u64::from(first & 0x3f);
    for &byte in &bytes[1..] {
        v = (v << 8) | u64::from(byte);
    }
    Some((v, len))
}

/// The content types of the TLS records in one direction of a TCP stream,
/// each with the offset where the record ends. In TLS 1.3 everything after
/// the hellos is sent as type 23, "application data" (RFC 8446 §5.2).
pub fn tls_records(stream: &[u8]) -> Vec<(u8, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(header) = stream.get(at..at + 5) {
        let len = u16::from_be_bytes([header[3], header[4]]) as usize;
        at += 5 + len;
        out.push((header[0], at));
    }
    out
}

/// One thing the proxy saw, in the order it saw them: which way it went and
/// whether it carried (or could carry) the first application bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub dir: Direction,
    pub app_data: bool,
}

/// How many times the client had to hear from the server before its first
/// application data left: the server's flights (runs of server-to-client
/// datagrams or chunks) seen before the client's first `app_data` one.
/// `None` if the client never sent application data.
pub fn flights_before_app_data(seen: &[Seen]) -> Option<usize> {
    let first = seen
        .iter()
        .position(|s| s.dir == Direction::ToServer && s.app_data)?;
    let mut flights = 0;
    let mut previous = Direction::ToServer;
    for s in &seen[..first] {
        if s.dir == Direction::ToClient && previous == Direction::ToServer {
            flights += 1;
        }
        previous = s.dir;
    }
    Some(flights)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coalesced_initial_and_handshake_then_short() {
        // Initial: first byte 0xc0, version 1, dcid 1 byte, scid 0, token 0, length 2.
        let mut d = vec![0xc0, 0, 0, 0, 1, 1, 0xaa, 0, 0, 2, 0x11, 0x22];
        // Handshake: 0xe0, version 1, dcid 0, scid 0, length 1.
        d.extend([0xe0, 0, 0, 0, 1, 0, 0, 1, 0x33]);
        d.extend([0x40, 1, 2, 3]);
        assert_eq!(
            quic_packets(&d),
            [
                PacketType::Initial,
                PacketType::Handshake,
                PacketType::OneRtt
            ]
        );
    }

    #[test]
    fn flights_count_server_runs_before_app_data() {
        use Direction::*;
        let s = |dir, app_data| Seen { dir, app_data };
        let seen = [
            s(ToServer, false),
            s(ToClient, false),
            s(ToClient, false),
            s(ToServer, true),
        ];
        assert_eq!(flights_before_app_data(&seen), Some(1));
        assert_eq!(flights_before_app_data(&[s(ToServer, true)]), Some(0));
    }
}
