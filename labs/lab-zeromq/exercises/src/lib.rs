//! Chapter 6's exercises. Edit the files named below, then grade your work
//! with `cargo exercises grade <name>` (or `cargo exercises watch`). Each
//! grading test runs against the real libzmq, on 127.0.0.1.
//!
//! | exercise | your file | what you build |
//! |---|---|---|
//! | `zeromq-lazy-pirate` | `src/lazy_pirate.rs` | a REQ client that survives lost replies |
//! | `zeromq-lru-broker` | `src/lru_broker.rs` | a broker that gives work only to free workers |
//! | `zeromq-reliable-pipeline` | `src/reliable_pipeline.rs` | a pipeline that loses no task when a worker dies |
//! | `zeromq-snapshot` | `src/snapshot.rs` | a late subscriber that catches up from a snapshot |
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

pub mod support;
