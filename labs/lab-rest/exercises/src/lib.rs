//! Chapter 1's exercises. Edit the files named below, then grade your work
//! with `cargo exercises grade <name>` (or `cargo exercises watch`).
//!
//! | exercise | your file | what you build |
//! |---|---|---|
//! | `rest-etag` | `src/etag.rs` | ETag revalidation: 304 instead of the page |
//! | `rest-idempotency` | `src/idempotency.rs` | a POST that a retry cannot repeat |
//! | `rest-longpoll` | `src/longpoll.rs` | a long-poll that waits without spinning |
//!
//! Each module is swapped for its reference solution when the crate is built
//! with `--features solutions`; that is how CI proves every exercise can be
//! solved. Don't peek before you've tried.

#[cfg_attr(feature = "solutions", path = "../solutions/etag.rs")]
pub mod etag;

#[cfg_attr(feature = "solutions", path = "../solutions/idempotency.rs")]
pub mod idempotency;

#[cfg_attr(feature = "solutions", path = "../solutions/longpoll.rs")]
pub mod longpoll;

pub mod support;
