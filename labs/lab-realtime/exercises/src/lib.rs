//! Chapter 3's exercises. Edit the files named below, then grade your work
//! with `cargo exercises grade <name>` (or `cargo exercises watch`).
//!
//! | exercise | your file | what you build |
//! |---|---|---|
//! | `realtime-replay` | `src/replay.rs` | an SSE stream that resumes after `Last-Event-ID` |
//! | `realtime-heartbeat` | `src/heartbeat.rs` | pings that notice a peer has gone silent |
//! | `realtime-rooms` | `src/rooms.rs` | chat rooms that span servers through Redis |
//! | `realtime-envelope` | `src/envelope.rs` | requests and responses matched by id over one WebSocket |
//!
//! Each module is swapped for its reference solution when the crate is built
//! with `--features solutions`; that is how CI proves every exercise can be
//! solved. Don't peek before you've tried.

#[cfg_attr(feature = "solutions", path = "../solutions/replay.rs")]
pub mod replay;

#[cfg_attr(feature = "solutions", path = "../solutions/heartbeat.rs")]
pub mod heartbeat;

#[cfg_attr(feature = "solutions", path = "../solutions/rooms.rs")]
pub mod rooms;

#[cfg_attr(feature = "solutions", path = "../solutions/envelope.rs")]
pub mod envelope;

pub mod support;
