//! lab-zeromq: Chapter 6's lab, "ZeroMQ: messaging without a broker".
//!
//! ZeroMQ is a library, not a server: the patterns (request/reply,
//! publish/subscribe, pipelines) live in the sockets of the programs
//! themselves. This lab runs each pattern on the real libzmq, counts where
//! messages are lost and what it takes to lose none, reads ZMTP on the wire
//! with labkit's decoder, turns CURVE security on, and measures the
//! transports against raw TCP and Unix sockets.
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`reqrep`] | `reqrep` | "Request and reply, and the socket that gets stuck" |
//! | [`router`] | `router` | "DEALER and ROUTER: addressing by identity" |
//! | [`pubsub`] | `pubsub` | "Publish and subscribe: who filters?" |
//! | [`pipeline`] | `pipeline` | "Pipelines: PUSH and PULL" |
//! | [`pair`] | `pair` | "PAIR and inproc: threads" |
//! | [`loss`] | `loss` | "Where messages go missing" |
//! | [`curve`] | `curve` | "CURVE and ZAP: security is opt-in" |
//! | [`heal`] | `heal` | "Peers that come and go" |
//! | [`transports`] | `transports` | "tcp, ipc, inproc" (a benchmark) |
//!
//! Each scenario is one file named as you type it, declaring its
//! `SCENARIO` and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`;
//! the measuring functions inside are plain blocking functions (libzmq's
//! API blocks; its own I/O threads do the networking), which the tests call
//! directly. [`zsock`] holds the few helpers they share; [`reliable`] is the
//! acknowledge-and-resend layer that the `loss` scenario adds on top.

pub mod curve;
pub mod heal;
mod lab;
pub mod loss;
pub mod pair;
pub mod pipeline;
pub mod pubsub;
pub mod reliable;
pub mod reqrep;
pub mod router;
pub mod transports;
pub mod zsock;

pub use lab::Lab;

use labkit::cli::Scenario;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-zeromq";

/// Every scenario, in the order of the tour and the chapter.
pub const SCENARIOS: &[Scenario] = &[
    reqrep::SCENARIO,
    router::SCENARIO,
    pubsub::SCENARIO,
    pipeline::SCENARIO,
    pair::SCENARIO,
    loss::SCENARIO,
    curve::SCENARIO,
    heal::SCENARIO,
    transports::SCENARIO,
];
