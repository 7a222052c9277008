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
//! To prove that every exercise can be solved and that its grading tests
//! catch real mistakes, `cargo exercises verify` compiles this crate again
//! with a reference solution (`solutions/`) or a known-wrong answer
//! (`wrong/`) in place of each of your files. Don't peek at `solutions/`
//! before you've tried.

// The exercise modules (`pub mod <exercise>;`, one per file in solutions/),
// declared by build.rs: each is compiled from your file in src/, unless
// `cargo exercises verify` asked for another in its place.
include!(concat!(env!("OUT_DIR"), "/exercises.rs"));
