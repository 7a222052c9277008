//! Writes a recording as a classic libpcap file that Wireshark and tshark open.
//!
//! The proxy never sees packets, only the byte streams the kernel hands it, so
//! the packets here are made up: each recorded connection becomes one TCP
//! conversation between the client's real port and the server's port, with a
//! three-way handshake when the proxy accepted it, one segment per chunk (split
//! below 65 000 bytes, the IPv4 limit), sequence and acknowledgment numbers
//! that add up, and FINs (or resets, for a cut) when it closed. That is enough
//! for Wireshark's "Follow TCP stream" and for its protocol dissectors, which
//! is the point: a decoder we wrote can be checked against one we did not.
//!
//! The proxy itself is invisible in the file, as if the capture were taken on
//! a wire between client and server. The file shows what each end *sent*:
//! bytes a fault then kept from arriving are in it too, followed by a reset
//! each way where a fault cut the connection (Wireshark shows the server's
//! answer, then `[RST]`: the answer that never arrived). Tell tshark which dissector to use when
//! the server's port is not the protocol's usual one:
//!
//! ```text
//! tshark -r run.pcap -d tcp.port==PORT,http -Y http.request -T fields -e http.request.method
//! ```
//!
//! Format: <https://wiki.wireshark.org/Development/LibpcapFileFormat>. The
//! link type is Ethernet with made-up MAC addresses; IPv4 and TCP checksums
//! are computed so that nothing is flagged even with checksum checks on.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Direction;
use super::record::{ConnRecord, Ending};

/// The largest TCP payload put in one packet.
pub const MAX_SEGMENT: usize = 65_000;

const LINKTYPE_ETHERNET: u32 = 1;
const SNAPLEN: u32 = 262_144;
const ETH_LEN: usize = 14;
const IP_LEN: usize = 20;
const TCP_LEN: usize = 20;

const FIN: u8 = 0x01;
const SYN: u8 = 0x02;
const RST: u8 = 0x04;
const PSH: u8 = 0x08;
const ACK: u8 = 0x10;

/// Writes `conns` to a new file at `path`; `started` is the wall-clock time
/// the recording's durations count from.
pub fn write_file(path: &Path, conns: &[ConnRecord], started: SystemTime) -> io::Result<()> {
    let file = File::create(path).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot create the capture file {}: {e}", path.display()),
        )
    })?;
    let mut out = BufWriter::new(file);
    write(&mut out, conns, started)?;
    out.flush()
}

/// Writes `conns` as a pcap stream to `out`; `started` is the wall-clock time
/// the recording's durations count from.
pub fn write<W: Write>(mut out: W, conns: &[ConnRecord], started: SystemTime) -> io::Result<()> {
    let mut packets = Vec::new();
    for conn in conns {
        synthesize(conn, &mut packets);
    }
    // Interleave the connections by time; a stable sort keeps each
    // connection's own packets in the order they were made.
    packets.sort_by_key(|p| p.at);

    out.write_all(&global_header())?;
    let mut ip_id: u16 = 0;
    for p in &packets {
        ip_id = ip_id.wrapping_add(1);
        let frame = p.frame(ip_id);
        let ts = started + p.at;
        let since_epoch = ts.duration_since(UNIX_EPOCH).unwrap_or_default();
        let len = frame.len() as u32;
        out.write_all(&(since_epoch.as_secs() as u32).to_le_bytes())?;
        out.write_all(&since_epoch.subsec_micros().to_le_bytes())?;
        out.write_all(&len.to_le_bytes())?;
        out.write_all(&len.to_le_bytes())?;
        out.write_all(&frame)?;
    }
    Ok(())
}

/// The 24-byte file header: magic, version 2.4, UTC, snap length, link type.
fn global_header() -> Vec<u8> {
    let mut h = Vec::with_capacity(24);
    h.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    h.extend_from_slice(&2u16.to_le_bytes());
    h.extend_from_slice(&4u16.to_le_bytes());
    h.extend_from_slice(&0i32.to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes());
    h.extend_from_slice(&SNAPLEN.to_le_bytes());
    h.extend_from_slice(&LINKTYPE_ETHERNET.to_le_bytes());
    h
}

/// One made-up TCP segment.
struct Packet<'a> {
    at: Duration,
    src: (Ipv4Addr, u16),
    dst: (Ipv4Addr, u16),
    /// Which end sent it: picks the made-up MAC addresses.
    from_client: bool,
    seq: u32,
    ack: u32,
    flags: u8,
    payload: &'a [u8],
}

/// The two ends of one conversation and where each one's sequence numbers are.
struct Tcp {
    ends: [(Ipv4Addr, u16); 2],
    next_seq: [u32; 2],
}

const CLIENT: usize = 0;
const SERVER: usize = 1;

impl Tcp {
    fn segment<'a>(
        &mut self,
        at: Duration,
        from: usize,
        flags: u8,
        payload: &'a [u8],
    ) -> Packet<'a> {
        let to = 1 - from;
        let seq = self.next_seq[from];
        let mut advance = payload.len() as u32;
        if flags & (SYN | FIN) != 0 {
            advance += 1;
        }
        self.next_seq[from] = seq.wrapping_add(advance);
        Packet {
            at,
            src: self.ends[from],
            dst: self.ends[to],
            from_client: from == CLIENT,
            seq,
            ack: if flags & ACK != 0 {
                self.next_seq[to]
            } else {
                0
            },
            flags,
            payload,
        }
    }
}

/// Makes the packets of one connection.
fn synthesize<'a>(conn: &'a ConnRecord, out: &mut Vec<Packet<'a>>) {
    let id = conn.id as u32;
    let mut tcp = Tcp {
        ends: [endpoint(conn.client), endpoint(conn.server)],
        // Distinct initial sequence numbers per connection and side, as a
        // real stack would pick; Wireshark shows them relative anyway.
        next_seq: [
            0x1000_0000u32.wrapping_add(id.wrapping_mul(0x0001_0000)),
            0x8000_0000u32.wrapping_add(id.wrapping_mul(0x0001_0000)),
        ],
    };
    let open = conn.opened_at;
    out.push(tcp.segment(open, CLIENT, SYN, &[]));
    out.push(tcp.segment(open, SERVER, SYN | ACK, &[]));
    out.push(tcp.segment(open, CLIENT, ACK, &[]));

    for chunk in &conn.chunks {
        let from = match chunk.dir {
            Direction::ToServer => CLIENT,
            Direction::ToClient => SERVER,
        };
        for piece in chunk.bytes.chunks(MAX_SEGMENT) {
            out.push(tcp.segment(chunk.at, from, PSH | ACK, piece));
        }
    }

    let (Some(at), Some(ending)) = (conn.closed_at, conn.ending) else {
        return; // still open when the recording was taken
    };
    match ending {
        Ending::Cut => {
            out.push(tcp.segment(at, SERVER, RST | ACK, &[]));
            out.push(tcp.segment(at, CLIENT, RST | ACK, &[]));
        }
        _ => {
            let first = if ending == Ending::Client {
                CLIENT
            } else {
                SERVER
            };
            out.push(tcp.segment(at, first, FIN | ACK, &[]));
            out.push(tcp.segment(at, 1 - first, FIN | ACK, &[]));
            out.push(tcp.segment(at, first, ACK, &[]));
        }
    }
}

/// An IPv4 address and port for the file; IPv6 ends are shown as 127.0.0.1
/// (only the ports matter to tell the conversations apart).
fn endpoint(addr: SocketAddr) -> (Ipv4Addr, u16) {
    let ip = match addr.ip() {
        IpAddr::V4(v4) => v4,
        IpAddr::V6(v6) => v6.to_ipv4_mapped().unwrap_or(Ipv4Addr::LOCALHOST),
    };
    (ip, addr.port())
}

impl Packet<'_> {
    /// Ethernet + IPv4 + TCP headers, then the payload.
    fn frame(&self, ip_id: u16) -> Vec<u8> {
        let tcp_len = TCP_LEN + self.payload.len();
        let ip_total = IP_LEN + tcp_len;
        let mut f = Vec::with_capacity(ETH_LEN + ip_total);

        // Ethernet: locally administered MACs, 02:..:01 the client, 02:..:02 the server.
        let (src_mac, dst_mac) = if self.from_client { (1, 2) } else { (2, 1) };
        f.extend_from_slice(&[2, 0, 0, 0, 0, dst_mac]);
        f.extend_from_slice(&[2, 0, 0, 0, 0, src_mac]);
        f.extend_from_slice(&0x0800u16.to_be_bytes());

        // IPv4, no options, don't fragment, TTL 64, protocol 6 (TCP).
        let ip_start = f.len();
        f.push(0x45);
        f.push(0);
        f.extend_from_slice(&(ip_total as u16).to_be_bytes());
        f.extend_from_slice(&ip_id.to_be_bytes());
        f.extend_from_slice(&0x4000u16.to_be_bytes());
        f.push(64);
        f.push(6);
        f.extend_from_slice(&[0, 0]);
        f.extend_from_slice(&self.src.0.octets());
        f.extend_from_slice(&self.dst.0.octets());
        let ip_sum = checksum(&[&f[ip_start..]]);
        f[ip_start + 10..ip_start + 12].copy_from_slice(&ip_sum.to_be_bytes());

        // TCP, no options, a window that never closes.
        let tcp_start = f.len();
        f.extend_from_slice(&self.src.1.to_be_bytes());
        f.extend_from_slice(&self.dst.1.to_be_bytes());
        f.extend_from_slice(&self.seq.to_be_bytes());
        f.extend_from_slice(&self.ack.to_be_bytes());
        f.push((TCP_LEN as u8 / 4) << 4);
        f.push(self.flags);
        f.extend_from_slice(&0xffffu16.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 0]);
        f.extend_from_slice(self.payload);
        let mut pseudo = Vec::with_capacity(12);
        pseudo.extend_from_slice(&self.src.0.octets());
        pseudo.extend_from_slice(&self.dst.0.octets());
        pseudo.extend_from_slice(&[0, 6]);
        pseudo.extend_from_slice(&(tcp_len as u16).to_be_bytes());
        let tcp_sum = checksum(&[&pseudo, &f[tcp_start..]]);
        f[tcp_start + 16..tcp_start + 18].copy_from_slice(&tcp_sum.to_be_bytes());
        f
    }
}

/// The Internet checksum (RFC 1071) over the concatenation of `parts`.
/// Each part but the last must have an even length.
fn checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u64 = 0;
    for part in parts {
        let mut words = part.chunks_exact(2);
        for w in &mut words {
            sum += u64::from(u16::from_be_bytes([w[0], w[1]]));
        }
        if let [last] = words.remainder() {
            sum += u64::from(*last) << 8;
        }
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

#[cfg(test)]
mod tests {
    use super::checksum;

    #[test]
    fn checksum_matches_the_rfc_1071_example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(checksum(&[&data]), !0xddf2);
    }
}
