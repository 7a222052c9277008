//! lab-realtime: Chapter 3's lab, "WebSockets and server-sent events".
//!
//! Chapter 1 waited for news by polling and long-polling. This lab keeps
//! that event log and pushes it instead — as server-sent events and over
//! WebSocket — and looks at what that costs and what breaks: the handshake
//! and frames on the wire, a real browser reconnecting by itself, a real
//! nginx buffering the stream, two servers that must share a broker, and
//! thousands of idle connections.
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`handshake`] | `handshake` | "From HTTP to WebSocket: the handshake" |
//! | [`frames`] | `frames` | "Frames" |
//! | [`push`] | `push` | "Push without polling" |
//! | [`sse`] | `sse` | "Server-sent events" |
//! | [`browser`] | `browser` | "Reconnecting, in a real browser" |
//! | [`proxies`] | `proxies` | "Through a reverse proxy" |
//! | [`scaleout`] | `scaleout` | "Two servers, one room" |
//! | [`idle`] | `idle` | "Connections are state" |
//! | [`drain`] | `drain` | "Shutting down without losing anything" |
//! | [`socketio`] | `socketio` | "Socket.IO is not WebSocket" |
//!
//! Each scenario is one file named as you type it, declaring its
//! `SCENARIO` and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`
//! (plus smaller functions the tests call); the binary, the tests and the
//! book all use the same code. [`Lab`] hands the scenarios what they share:
//! the lab's server, a fresh one on request, Redis, and Chapter 1's API.
//!
//! [`server`] is the lab's server ("The lab's server" in the chapter; `cargo
//! run -p lab-realtime -- serve` runs it on its own). Two helpers serve
//! several scenarios: [`raw`], a WebSocket client written out by hand over
//! TCP, and [`sse_client`], a small SSE reader that notes when each event
//! arrived.

pub mod browser;
pub mod drain;
pub mod frames;
pub mod handshake;
pub mod idle;
mod lab;
pub mod proxies;
pub mod push;
pub mod raw;
pub mod scaleout;
pub mod server;
pub mod socketio;
pub mod sse;
pub mod sse_client;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-realtime";

pub use lab::Lab;

use labkit::cli::Scenario;

/// Every scenario, in the order of the tour and the chapter.
pub const SCENARIOS: &[Scenario] = &[
    handshake::SCENARIO,
    frames::SCENARIO,
    push::SCENARIO,
    sse::SCENARIO,
    browser::SCENARIO,
    proxies::SCENARIO,
    scaleout::SCENARIO,
    idle::SCENARIO,
    drain::SCENARIO,
    socketio::SCENARIO,
];
