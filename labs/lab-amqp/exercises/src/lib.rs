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
//! | `amqp-failover` | `src/failover.rs` | a publisher that outlives its broker, a consumer that keeps each message once |
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
