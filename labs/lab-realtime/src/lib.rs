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
//! | [`server`] | `serve` | "The lab's server" |
//! | [`handshake`] | `handshake` | "From HTTP to WebSocket: the handshake" |
//! | [`frames`] | `frames` | "Frames" |
//! | [`push`] | `push` | "Push without polling" |
//! | [`sse_format`] | `sse` | "Server-sent events" |
//! | [`browser`] | `browser` | "Reconnecting, in a real browser" |
//! | [`proxies`] | `proxies` | "Through a reverse proxy" |
//! | [`scaleout`] | `scaleout` | "Two servers, one room" |
//! | [`idle`] | `idle` | "Connections are state" |
//! | [`drain`] | `drain` | "Shutting down without losing anything" |
//! | [`socketio`] | `socketio` | "Socket.IO is not WebSocket" |
//!
//! Two helpers serve several scenarios: [`raw`], a WebSocket client written
//! out by hand over TCP, and [`sse_client`], a small SSE reader that notes
//! when each event arrived.
//!
//! Every scenario is a `pub async fn run(..) -> anyhow::Result<Report>`
//! (plus smaller functions the tests call); the binary, the tests and the
//! book all use the same code.

pub mod browser;
pub mod drain;
pub mod frames;
pub mod handshake;
pub mod idle;
pub mod proxies;
pub mod push;
pub mod raw;
pub mod scaleout;
pub mod server;
pub mod socketio;
pub mod sse_client;
pub mod sse_format;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-realtime";
