//! Chapter 5's exercises. Edit the files named below, then grade your work
//! with `cargo exercises grade <name>` (or `cargo exercises watch`). Each
//! grading test runs against a real RabbitMQ: `AMQP_URL`, else a private
//! one started from the installed `rabbitmq-server`.
//!
//! | exercise | your file | what you build |
//! |---|---|---|
//! | `amqp-worker` | `src/worker.rs` | a worker that never loses a job when it crashes |
//! | `amqp-retry` | `src/retry.rs` | retry a failing message a few times, then dead-letter it |
//! | `amqp-topic-bus` | `src/topic_bus.rs` | an event bus where each service binds only what it needs |
//! | `amqp-confirms` | `src/confirms.rs` | a publisher whose confirmed messages survive a broker crash |
//!
//! Each module is swapped for its reference solution when the crate is built
//! with `--features solutions`; that is how CI proves every exercise can be
//! solved. Don't peek before you've tried.

#[cfg_attr(feature = "solutions", path = "../solutions/worker.rs")]
pub mod worker;

#[cfg_attr(feature = "solutions", path = "../solutions/retry.rs")]
pub mod retry;

#[cfg_attr(feature = "solutions", path = "../solutions/topic_bus.rs")]
pub mod topic_bus;

#[cfg_attr(feature = "solutions", path = "../solutions/confirms.rs")]
pub mod confirms;

pub mod support;
