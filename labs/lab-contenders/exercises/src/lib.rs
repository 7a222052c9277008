//! Chapter 8's exercises. Edit the files named below, then grade your work
//! with `cargo exercises grade <name>` (or `cargo exercises watch`).
//!
//! | exercise | your file | what you build |
//! |---|---|---|
//! | `contenders-avro-evolve` | `src/avro_evolve.rs` | version 3 of an Avro schema, read by old and new |
//! | `contenders-jsonrpc-batch` | `src/jsonrpc_batch.rs` | a JSON-RPC 2.0 batch answered call by call |
//! | `contenders-nats-service` | `src/nats_service.rs` | a NATS service: a queue group, answers to the inbox |
//! | `contenders-jetstream-resume` | `src/jetstream_resume.rs` | a JetStream worker that resumes where it stopped |
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
