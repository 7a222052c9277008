//! Chapter 4's exercises. Edit the files named below, then grade your work
//! with `cargo exercises grade <name>` (or `cargo exercises watch`).
//!
//! | exercise | your file | what you build |
//! |---|---|---|
//! | `mqtt-topics` | `src/topics.rs` | the broker's rule for which topics a filter matches |
//! | `mqtt-dedup` | `src/dedup.rs` | a QoS 1 subscriber that processes each reading once |
//! | `mqtt-will` | `src/will.rs` | a device whose dashboard learns it went offline |
//! | `mqtt-request` | `src/request.rs` | request/response over MQTT 5 with correlation data |
//!
//! Each module is swapped for its reference solution when the crate is built
//! with `--features solutions`; that is how CI proves every exercise can be
//! solved. Don't peek before you've tried.

#[cfg_attr(feature = "solutions", path = "../solutions/topics.rs")]
pub mod topics;

#[cfg_attr(feature = "solutions", path = "../solutions/dedup.rs")]
pub mod dedup;

#[cfg_attr(feature = "solutions", path = "../solutions/will.rs")]
pub mod will;

#[cfg_attr(feature = "solutions", path = "../solutions/request.rs")]
pub mod request;
