//! How a protocol decoder cuts a recorded byte stream into units, and how to
//! count them.
//!
//! Every chapter adds a decoder the same way: a type that implements
//! [`Decoder`], whose units (HTTP messages, MQTT packets, AMQP frames,
//! HTTP/2 frames, WebSocket frames) implement [`Unit`]. A unit has a name to
//! count it by and a size split into header (framing, metadata) and body
//! (what the application asked to send), because "how much of the wire is
//! overhead" is the question most chapters ask.
//!
//! A decoder never panics on what it is given: a stream that stops in the
//! middle of a unit (the connection was cut, or the snapshot was taken
//! mid-transfer) or that stops being this protocol is reported in
//! [`Decoded::stop`], after every unit decoded before that point.
//!
//! One entry shape for all of them: `Decoder::decode(&self, &[u8]) ->
//! Decoded<Unit>` on every byte one side sent, `.complete()` for a
//! `Result`, [`count`] over a whole recording.
//!
//! | module | decoder | unit | what else it offers |
//! |---|---|---|---|
//! | [`http1`](super::http1) | `Requests`, `Responses` | `Message` | `parse_requests`/`parse_responses` shorthands, `response_head` |
//! | [`http2`](super::http2) | `Frames` | `Frame` (HPACK decoded) | `parse` shorthand, stream helpers |
//! | [`websocket`](super::websocket) | `Frames` (skips the HTTP upgrade) | `Frame` (unmasked) | `encode`, `messages` |
//! | [`mqtt`](super::mqtt) | `Packets::auto()`, `v311()`, `v5()` | `Packet` | the variable-length integer |
//! | [`amqp`](super::amqp) | `Frames` | `Frame` | class and method names |
//! | [`zmtp`](super::zmtp) | `Frames` (greeting, commands, message frames) | `Frame` | `messages`, `encode`, `greeting` |
//! | [`capnp`](super::capnp) | `Messages` (Cap'n Proto RPC) | `Message` | `tag_name`, `Message::is_pipelined` |
//! | [`nats`](super::nats) | `Ops` (the NATS client protocol) | `Op` | subject, reply inbox, sid, queue group, `header`, `status` |
//! | [`tls`](super::tls) | `Records` (the TLS record layer) | `Record` | content type names |
//!
//! ```
//! use labkit::wire::{Decoder, amqp};
//! let heartbeat = [8, 0, 0, 0, 0, 0, 0, 0xCE];
//! let frames = amqp::Frames.decode(&heartbeat).complete().unwrap();
//! assert_eq!(frames[0].label(), "heartbeat");
//! ```
//!
//! ## How to add a decoder (ZMTP, NATS, Cap'n Proto, ...)
//!
//! 1. A file `wire/<protocol>.rs` whose `//!` describes the framing as the
//!    specification does (with section numbers) and says what counts as
//!    header and what as body.
//! 2. A unit type implementing [`Unit`] (`#[derive(Debug, Clone,
//!    PartialEq, Eq)]`, with its `offset` in the stream when a lesson needs
//!    to place it), and a decoder type named for its units, plural
//!    (`Frames`, `Packets`, `Messages`), implementing [`Decoder`].
//!    Override [`Decoder::decode_conn`] only when one direction cannot be
//!    read without the other. No free `parse` function: the trait is the
//!    entry.
//! 3. Every byte is accounted for: the units' `wire_len` adds up to the
//!    stream up to [`Decoded::stop`]; a cut stream stops `Incomplete` right
//!    after the last whole unit, foreign bytes stop `Invalid` with a reason,
//!    a protocol switch stops `Handover`. Never a panic.
//! 4. `tests/wire_<protocol>.rs`, with
//!    - hand-made units from the specification (the sizes it fixes);
//!    - the property test: `wire_support::assert_every_cut_stops_cleanly`
//!      on a stream of several units (checks point 3 at every cut);
//!    - **agreement with tshark**: real traffic from a client we did not
//!      write, through a [`Proxy`](super::Proxy), saved with
//!      `write_pcap`, read back with [`tshark::fields`](super::tshark::fields)
//!      (`-d tcp.port==PORT,<dissector>`), the same units in the same order
//!      (see `tests/wire_amqp.rs`, `wire_mqtt.rs`).
//! 5. A line in the table above and in [`super`]'s list.

use std::collections::BTreeMap;
use std::fmt;

use super::Direction;
use super::record::ConnRecord;

/// One unit of a protocol on the wire: a message, a packet, a frame.
pub trait Unit {
    /// What to count it as: `"GET"`, `"200"`, `"PUBLISH"`, `"DATA"`.
    fn name(&self) -> String;
    /// Bytes of framing and metadata: a start line and headers, a fixed header.
    fn header_len(&self) -> usize;
    /// Bytes of body on the wire (including any framing inside the body, such
    /// as HTTP/1.1's chunk sizes; the unit type says).
    fn body_len(&self) -> usize;
    /// Bytes on the wire in all.
    fn wire_len(&self) -> usize {
        self.header_len() + self.body_len()
    }
}

/// Cuts one direction of a connection into units.
pub trait Decoder {
    /// What the stream is cut into.
    type Unit: Unit;

    /// Names the protocol in messages, e.g. `"HTTP/1.1 requests"`.
    fn protocol(&self) -> &'static str;

    /// Decodes a whole stream: every byte one side sent, in order.
    fn decode(&self, stream: &[u8]) -> Decoded<Self::Unit>;

    /// Decodes direction `dir` of a recorded connection. Override it when
    /// one direction can only be read knowing the other (an HTTP response
    /// to `HEAD` has no body, whatever its headers say).
    fn decode_conn(&self, conn: &ConnRecord, dir: Direction) -> Decoded<Self::Unit> {
        self.decode(&conn.stream(dir))
    }
}

/// What a decoder made of a stream.
#[derive(Debug, Clone)]
pub struct Decoded<U> {
    /// The protocol, as [`Decoder::protocol`] names it.
    pub protocol: &'static str,
    /// Every complete unit, in order.
    pub units: Vec<U>,
    /// Where and why decoding stopped before the end of the stream, if it did.
    pub stop: Option<Stop>,
}

/// Where a decoder stopped before the end of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    /// Offset in the stream of the first byte not decoded.
    pub offset: usize,
    /// Bytes from `offset` to the end of the stream.
    pub remaining: usize,
    /// Why decoding stopped there.
    pub reason: StopReason,
}

/// Why a decoder stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The stream ends in the middle of a unit.
    Incomplete,
    /// The bytes at `offset` are not this protocol; the text says what was wrong.
    Invalid(String),
    /// The connection switched to another protocol there (an HTTP upgrade,
    /// the HTTP/2 preface); the text names it. Not an error: hand the rest of
    /// the stream to that protocol's decoder.
    Handover(String),
}

/// A stream that could not be decoded to its end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// See [`StopReason::Incomplete`].
    #[error(
        "{protocol}: the stream ends in the middle of a unit at byte {offset} ({remaining} bytes left over); was the connection cut, or the recording taken before the transfer ended?"
    )]
    Incomplete {
        protocol: &'static str,
        offset: usize,
        remaining: usize,
    },
    /// See [`StopReason::Invalid`].
    #[error(
        "{protocol}: the bytes at offset {offset} are not valid ({reason}); is this the right decoder for this connection?"
    )]
    Invalid {
        protocol: &'static str,
        offset: usize,
        reason: String,
    },
}

impl<U> Decoded<U> {
    /// Whether every byte was decoded (or handed over to another protocol).
    pub fn is_complete(&self) -> bool {
        matches!(
            self.stop,
            None | Some(Stop {
                reason: StopReason::Handover(_),
                ..
            })
        )
    }

    /// The units, or an error if the stream did not decode to its end (a
    /// handover to another protocol is fine).
    pub fn complete(self) -> Result<Vec<U>, DecodeError> {
        match self.stop {
            None => Ok(self.units),
            Some(stop) => match stop.reason {
                StopReason::Handover(_) => Ok(self.units),
                StopReason::Incomplete => Err(DecodeError::Incomplete {
                    protocol: self.protocol,
                    offset: stop.offset,
                    remaining: stop.remaining,
                }),
                StopReason::Invalid(reason) => Err(DecodeError::Invalid {
                    protocol: self.protocol,
                    offset: stop.offset,
                    reason,
                }),
            },
        }
    }
}

/// How many units of one name, and their bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many units.
    pub count: u64,
    /// Their header bytes, summed.
    pub header_bytes: u64,
    /// Their body bytes, summed.
    pub body_bytes: u64,
}

impl Tally {
    fn add(&mut self, unit: &impl Unit) {
        self.count += 1;
        self.header_bytes += unit.header_len() as u64;
        self.body_bytes += unit.body_len() as u64;
    }

    fn merge(&mut self, other: &Tally) {
        self.count += other.count;
        self.header_bytes += other.header_bytes;
        self.body_bytes += other.body_bytes;
    }

    /// Header and body bytes together.
    pub fn wire_bytes(&self) -> u64 {
        self.header_bytes + self.body_bytes
    }
}

/// Units counted by name over many connections.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// The protocol, as the decoder names it.
    pub protocol: &'static str,
    /// Per unit name, in name order.
    pub by_name: BTreeMap<String, Tally>,
    /// Connections whose stream stopped early: (connection id, where and why).
    pub stops: Vec<(usize, Stop)>,
}

impl Counts {
    /// How many units named `name` were seen.
    pub fn count(&self, name: &str) -> u64 {
        self.by_name.get(name).map_or(0, |t| t.count)
    }

    /// All units together.
    pub fn total(&self) -> Tally {
        let mut total = Tally::default();
        for t in self.by_name.values() {
            total.merge(t);
        }
        total
    }

    /// Stops other than handovers: streams that ended mid-unit or were not
    /// this protocol.
    pub fn problems(&self) -> impl Iterator<Item = &(usize, Stop)> {
        self.stops
            .iter()
            .filter(|(_, s)| !matches!(s.reason, StopReason::Handover(_)))
    }
}

impl fmt::Display for Counts {
    /// One line: `7 HTTP/1.1 requests: 6 GET, 1 POST (1 stream stopped early)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.total().count, self.protocol)?;
        let mut sep = ": ";
        for (name, t) in &self.by_name {
            write!(f, "{sep}{} {name}", t.count)?;
            sep = ", ";
        }
        let handovers = self.stops.len() - self.problems().count();
        match handovers {
            0 => {}
            1 => write!(f, " (1 connection switched to another protocol)")?,
            n => write!(f, " ({n} connections switched to another protocol)")?,
        }
        match self.problems().count() {
            0 => Ok(()),
            1 => write!(f, " (1 stream stopped early)"),
            n => write!(f, " ({n} streams stopped early)"),
        }
    }
}

/// Decodes direction `dir` of every connection in `conns` and counts the
/// units by name. Streams that stop early are counted up to that point and
/// listed in [`Counts::stops`].
pub fn count<D: Decoder>(conns: &[ConnRecord], dir: Direction, decoder: &D) -> Counts {
    let mut counts = Counts {
        protocol: decoder.protocol(),
        ..Counts::default()
    };
    for conn in conns {
        let decoded = decoder.decode_conn(conn, dir);
        for unit in &decoded.units {
            counts.by_name.entry(unit.name()).or_default().add(unit);
        }
        if let Some(stop) = decoded.stop {
            counts.stops.push((conn.id, stop));
        }
    }
    counts
}
