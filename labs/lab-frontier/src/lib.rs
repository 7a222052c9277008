//! lab-frontier: Chapter 9's lab, "What nobody has tried yet".
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`hol`] | `hol` | "QUIC: streams without a queue" — head-of-line blocking |
//! | [`handshakes`] | `handshakes` | "QUIC: streams without a queue" — round trips before the first byte |
//! | [`replay`] | `replay` | "QUIC: streams without a queue" — the replay caveat of 0-RTT |
//! | [`migration`] | `migration` | "QUIC: streams without a queue" — connection migration |
//! | [`sync`] | `sync` | "Local-first sync" — two replicas edited apart, synced over TCP |
//! | [`reactive`] | `reactive` | "Reactive queries" — a live query from logical decoding, against polling |
//! | [`batching`] | `batching` | "Batching as an effect" — N lookups, one request |
//! | [`columnar`] | `columnar` | "Columnar compression" — payments as rows and as columns |
//!
//! Each scenario is one file named as you type it, declaring its `SCENARIO`
//! and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`; the tests
//! and the book call the same functions. [`quic`] sets up the QUIC and TLS
//! ends the QUIC scenarios share; [`packets`] reads what the proxies saw
//! (QUIC packet headers and TLS records, both visible without any key).

pub mod batching;
pub mod columnar;
pub mod handshakes;
pub mod hol;
mod lab;
pub mod live_query;
pub mod migration;
pub mod packets;
pub mod pgwire;
pub mod quic;
pub mod reactive;
pub mod replay;
pub mod served;
pub mod sync;

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
    sync::SCENARIO,
    reactive::SCENARIO,
    batching::SCENARIO,
    columnar::SCENARIO,
];
