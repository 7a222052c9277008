//! Numbers measured honestly and printed the same way in every lab.
//!
//! A lab measures three things about a protocol: how long one exchange takes
//! ([`Latencies`]: a histogram, because a mean hides the tail), how much gets
//! through ([`Throughput`]: messages and bytes over a measured time), and what
//! each message costs on the wire ([`Throughput::bytes_per_message`]). The
//! helpers in `human.rs` ([`human_duration`], [`human_bytes`], …) print
//! those numbers so that every chapter's table reads the same way
//! ("41.2 µs", "3.4 MiB", "12.5x").
//!
//! Comparing two numbers from different runs on a shared machine is mostly
//! noise; the labs compare numbers taken in the same run, as a [`ratio`]
//! against a floor (raw TCP) measured alongside.

mod human;
mod latency;
mod rounds;
mod throughput;

pub use human::{
    duration_ratio, fmt_ratio, human_bytes, human_count, human_duration, human_micros, ratio,
};
pub use latency::{Latencies, LatencySummary};
pub use rounds::{Rounds, median, median_of, time_per_op};
pub use throughput::{Throughput, ThroughputSummary};
