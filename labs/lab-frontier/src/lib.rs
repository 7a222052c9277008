//! lab-frontier: Chapter 9's lab, "What nobody has tried yet".
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`hol`] | `hol` | "QUIC: streams without a queue" — head-of-line blocking |
//! | [`handshakes`] | `handshakes` | "QUIC: streams without a queue" — round trips before the first byte |
//! | [`replay`] | `replay` | "QUIC: streams without a queue" — the replay caveat of 0-RTT |
//! | [`migration`] | `migration` | "QUIC: streams without a queue" — connection migration |
//! | [`http3`] | `http3` | "HTTP/3 and WebTransport" — one stream per request, QPACK headers |
//! | [`webtransport`] | `webtransport` | "HTTP/3 and WebTransport" — streams and datagrams in a session |
//! | [`sync`] | `sync` | "Local-first sync" — two replicas edited apart, synced over TCP |
//! | [`reactive`] | `reactive` | "Reactive queries" — a live query from logical decoding, against polling |
//! | [`batching`] | `batching` | "Batching as an effect" — N lookups, one request |
//! | [`p2p`] | `p2p` | "Peer to peer" — two libp2p nodes call each other by address |
//! | [`columnar`] | `columnar` | "Columnar compression" — payments as rows and as columns |
//!
//! Each scenario is one file named as you type it, declaring its `SCENARIO`
//! and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`; the tests
//! and the book call the same functions. [`quic`] sets up the QUIC and TLS
//! ends the QUIC scenarios share; [`packets`] reads what the proxies saw
//! (QUIC packet headers and TLS records, both visible without any key).
//! [`p2p_node`] is one libp2p node of `p2p`, and [`p2p_wire`] reads what
//! the proxy saw of its connection.

pub mod batching;
pub mod columnar;
pub mod handshakes;
pub mod hol;
pub mod http3;
mod lab;
pub mod live_query;
pub mod migration;
pub mod p2p;
pub mod p2p_node;
pub mod p2p_wire;
pub mod packets;
pub mod pgwire;
pub mod quic;
pub mod reactive;
pub mod replay;
pub mod served;
pub mod sync;
pub mod webtransport;

pub use lab::Lab;

use labkit::cli::Scenario;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-frontier";

/// Every scenario, in the order of the tour and the chapter.
pub const SCENARIOS: &[Scenario] = &[
    hol::SCENARIO,
    handshakes::SCENARIO,
    replay::SCENARIO,
    migration::SCENARIO,
    http3::SCENARIO,
    webtransport::SCENARIO,
    sync::SCENARIO,
    reactive::SCENARIO,
    batching::SCENARIO,
    p2p::SCENARIO,
    columnar::SCENARIO,
];
