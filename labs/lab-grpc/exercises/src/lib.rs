//! Chapter 2's exercises. Edit the files named below, then grade your work
//! with `cargo exercises grade <name>` (or `cargo exercises watch`).
//!
//! | exercise | your file | what you build |
//! |---|---|---|
//! | `grpc-stream` | `src/stream.rs` | a server stream that ends when the client leaves |
//! | `grpc-deadline` | `src/deadline.rs` | a call that sets a deadline and honours it |
//! | `grpc-errors` | `src/errors.rs` | domain errors mapped to status codes with details |
//! | `grpc-evolve` | `src/evolve.rs` | version 2 of a message that version 1 still reads |
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
