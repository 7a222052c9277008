//! Watching the wire: what a protocol really sends, byte by byte.
//!
//! A chapter's claims ("HTTP/2 needs one connection where HTTP/1.1 needs six",
//! "MQTT's PUBLISH header is two bytes") are claims about bytes on a TCP
//! connection. This module lets a lab see those bytes without root, without
//! `tcpdump`, and without trusting the client or server libraries to tell the
//! truth about themselves:
//!
//! - [`Proxy`] sits between a client and a server on loopback, forwards every
//!   byte unchanged and records each chunk it reads, with a timestamp. The
//!   same proxy is where [`crate::fault`] breaks the network on purpose.
//! - [`decode`] defines how a protocol's decoder cuts one direction of a
//!   recorded connection into units (messages, packets, frames) and how to
//!   count them; [`http1`], [`http2`], [`websocket`], [`mqtt`], [`amqp`]
//!   and [`nats`] are among the decoders, all with that one shape (its docs say how to add one);
//!   [`tls`] reads the record layer under any of them, and [`fields`] names
//!   every byte of one unit, for the book's byte-layout figures.
//! - [`pcap`] writes a recording as a capture file that Wireshark and tshark
//!   open, so a decoder we wrote can be checked against one we did not;
//!   [`tshark`] reads it back. `--pcap DIR` on a lab's command line makes
//!   every proxy write one when it drops (`capture.rs`, used by [`crate::cli`]).
//!
//! The proxy is a user-space relay, not a packet capture: it sees the byte
//! stream each side wrote, in the chunks it happened to read them, and no
//! TCP segments, retransmissions or window sizes — which is what the
//! lessons count, and why the pcap files it writes invent their TCP headers.
//!
//! ```no_run
//! # async fn demo(server: std::net::SocketAddr) -> anyhow::Result<()> {
//! use labkit::wire::{self, Direction, Proxy};
//!
//! let proxy = Proxy::start(server).await?;
//! // ... point the client at proxy.addr() and run it ...
//! let conns = proxy.recording();
//! let requests = wire::count(&conns, Direction::ToServer, &wire::http1::Requests);
//! println!("{} TCP connections, {requests}", proxy.connections_opened());
//! proxy.write_pcap("run.pcap".as_ref())?;
//! # Ok(()) }
//! ```

pub mod amqp;
pub mod capnp;
pub(crate) mod capture;
pub mod decode;
pub mod fields;
pub mod http1;
pub mod http2;
pub mod mqtt;
pub mod nats;
pub mod pcap;
mod proxy;
mod record;
pub mod tls;
pub mod tshark;
mod udp_proxy;
pub mod websocket;
pub mod zmtp;

pub use decode::{Counts, DecodeError, Decoded, Decoder, Stop, StopReason, Tally, Unit, count};
pub use proxy::Proxy;
pub use record::{Chunk, ConnRecord, Ending};
pub use udp_proxy::{Datagram, UdpProxy};

use std::fmt;

/// Which way bytes travel through the proxy.
///
/// "Client" is whoever connected to the proxy, "server" is the upstream the
/// proxy connects to for it. Faults are set per direction because real
/// networks are asymmetric, and lessons often need to lose only the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// From the client to the server: requests, PUBLISH from a publisher.
    ToServer,
    /// From the server to the client: responses, deliveries to a subscriber.
    ToClient,
}

impl Direction {
    /// Both directions, in a fixed order, for loops.
    pub const BOTH: [Direction; 2] = [Direction::ToServer, Direction::ToClient];

    /// The other direction: where the answers to this one travel.
    pub fn reverse(self) -> Direction {
        match self {
            Direction::ToServer => Direction::ToClient,
            Direction::ToClient => Direction::ToServer,
        }
    }

    /// 0 for [`Direction::ToServer`], 1 for [`Direction::ToClient`]: an index
    /// for per-direction arrays.
    pub(crate) fn index(self) -> usize {
        match self {
            Direction::ToServer => 0,
            Direction::ToClient => 1,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::ToServer => "client → server",
            Direction::ToClient => "server → client",
        })
    }
}
