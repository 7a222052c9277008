//! Chapter 9's exercises. Edit the files named below, then grade your work
//! with `cargo exercises grade <name>` (or `cargo exercises watch`).
//!
//! | exercise | your file | what you build |
//! |---|---|---|
//! | `frontier-rebind` | `src/rebind.rs` | a QUIC client that keeps its connection when it moves to a new port |
//! | `frontier-crdt-counter` | `src/crdt_counter.rs` | a counter that replicas change apart and merge without conflict |
//! | `frontier-batcher` | `src/batcher.rs` | the loop that turns many lookups into one fetch |
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
