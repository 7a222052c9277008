//! Throughput: how many messages and bytes got through in a measured time.
//!
//! A lab counts what it sent (or received) and how long that took, and this
//! turns the counts into rates. Bytes are whatever the lab counted — payload
//! or bytes on the wire — so a table says which in its column title.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Counts over one measured interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Throughput {
    /// Messages that got through.
    pub messages: u64,
    /// Bytes those messages took (the lab decides: payload or wire bytes).
    pub bytes: u64,
    /// How long it took, measured with a monotonic clock.
    pub elapsed: Duration,
}

/// What a table or JSON report shows about a [`Throughput`].
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
pub struct ThroughputSummary {
    pub messages: u64,
    pub bytes: u64,
    pub elapsed_s: f64,
    pub msgs_per_sec: f64,
    pub bytes_per_sec: f64,
    pub bytes_per_message: f64,
}

impl Throughput {
    /// Counts `messages` and `bytes` over `elapsed`.
    pub fn new(messages: u64, bytes: u64, elapsed: Duration) -> Self {
        Self {
            messages,
            bytes,
            elapsed,
        }
    }

    /// Messages per second. NaN when no time elapsed: a rate over nothing is
    /// undefined, and NaN shows up as "n/a" rather than as a plausible number.
    pub fn msgs_per_sec(&self) -> f64 {
        per_sec(self.messages, self.elapsed)
    }

    /// Bytes per second; NaN when no time elapsed.
    pub fn bytes_per_sec(&self) -> f64 {
        per_sec(self.bytes, self.elapsed)
    }

    /// What one message cost on average, in bytes; NaN when no message got
    /// through.
    pub fn bytes_per_message(&self) -> f64 {
        if self.messages == 0 {
            f64::NAN
        } else {
            self.bytes as f64 / self.messages as f64
        }
    }

    /// The counts and rates, for a JSON report.
    pub fn summary(&self) -> ThroughputSummary {
        ThroughputSummary {
            messages: self.messages,
            bytes: self.bytes,
            elapsed_s: self.elapsed.as_secs_f64(),
            msgs_per_sec: self.msgs_per_sec(),
            bytes_per_sec: self.bytes_per_sec(),
            bytes_per_message: self.bytes_per_message(),
        }
    }
}

fn per_sec(count: u64, elapsed: Duration) -> f64 {
    if elapsed.is_zero() {
        f64::NAN
    } else {
        count as f64 / elapsed.as_secs_f64()
    }
}
