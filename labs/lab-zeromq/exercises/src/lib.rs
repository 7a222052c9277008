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
//! Each module is swapped for its reference solution when the crate is built
//! with `--features solutions`; that is how CI proves every exercise can be
//! solved. Don't peek before you've tried.

#[cfg_attr(feature = "solutions", path = "../solutions/lazy_pirate.rs")]
pub mod lazy_pirate;

#[cfg_attr(feature = "solutions", path = "../solutions/lru_broker.rs")]
pub mod lru_broker;

#[cfg_attr(feature = "solutions", path = "../solutions/reliable_pipeline.rs")]
pub mod reliable_pipeline;

#[cfg_attr(feature = "solutions", path = "../solutions/snapshot.rs")]
pub mod snapshot;

pub mod support;
