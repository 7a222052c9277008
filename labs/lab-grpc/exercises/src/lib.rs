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
//! Each module is swapped for its reference solution when the crate is built
//! with `--features solutions`; that is how CI proves every exercise can be
//! solved. Don't peek before you've tried.

#[cfg_attr(feature = "solutions", path = "../solutions/stream.rs")]
pub mod stream;

#[cfg_attr(feature = "solutions", path = "../solutions/deadline.rs")]
pub mod deadline;

#[cfg_attr(feature = "solutions", path = "../solutions/errors.rs")]
pub mod errors;

#[cfg_attr(feature = "solutions", path = "../solutions/evolve.rs")]
pub mod evolve;

pub mod support;
