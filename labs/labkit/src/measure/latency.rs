//! Latency: a histogram of how long each exchange took.
//!
//! Why a histogram and not an average: a protocol that answers most requests
//! in 40 µs and one in a hundred in 4 ms has a mean that describes neither.
//! [`Latencies`] keeps every sample in an HDR histogram (three significant
//! digits, so p50 and p99 are within 0.1% of the true sample) and keeps the
//! exact count, sum and maximum beside it, so `max` and `mean` are exact.

use std::time::Duration;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// Significant decimal digits the histogram keeps: 3 means a recorded
/// 41 237 ns is reported as a value within 0.1% of it.
const SIGNIFICANT_DIGITS: u8 = 3;

/// Every latency sample of one run, ready to be summarised or merged with the
/// samples of another task.
///
/// Samples are stored in nanoseconds; summaries are in microseconds because
/// that is the unit loopback networking lives in.
#[derive(Clone, Debug)]
pub struct Latencies {
    histogram: Histogram<u64>,
    /// Exact sum of all samples, in nanoseconds, for an exact mean.
    sum_ns: u128,
    /// Exact largest sample, in nanoseconds (the histogram would round it).
    max_ns: u64,
}

/// What a table or a JSON report shows about a set of latencies.
///
/// All times are in microseconds. An empty set summarises to all zeros.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
pub struct LatencySummary {
    /// How many samples were recorded.
    pub count: u64,
    /// The median: half of the samples took at most this long.
    pub p50_us: f64,
    /// 99 samples in 100 took at most this long.
    pub p99_us: f64,
    /// The slowest sample, exactly.
    pub max_us: f64,
    /// The arithmetic mean, exactly (shown for comparison with tools that only
    /// report a mean; prefer the percentiles).
    pub mean_us: f64,
}

impl Latencies {
    /// An empty set of samples.
    pub fn new() -> Self {
        // 1 ns to 1 minute; `auto` lets the histogram grow if a lab records a
        // longer stall, rather than dropping it.
        let mut histogram = Histogram::new_with_bounds(1, 60_000_000_000, SIGNIFICANT_DIGITS)
            .expect("constant histogram bounds are valid");
        histogram.auto(true);
        Self {
            histogram,
            sum_ns: 0,
            max_ns: 0,
        }
    }

    /// Adds one sample.
    pub fn record(&mut self, d: Duration) {
        let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        // The histogram cannot hold a zero; a sub-nanosecond exchange is
        // recorded as 1 ns, which no real network round trip is near.
        self.histogram.saturating_record(ns.max(1));
        self.sum_ns += u128::from(ns);
        self.max_ns = self.max_ns.max(ns);
    }

    /// Adds every sample of `other`, e.g. to combine per-connection results.
    pub fn merge(&mut self, other: &Self) {
        // Both histograms auto-resize, so adding cannot fail for lack of range.
        self.histogram
            .add(&other.histogram)
            .expect("auto-resizing histograms can always be added");
        self.sum_ns += other.sum_ns;
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// How many samples were recorded.
    pub fn len(&self) -> u64 {
        self.histogram.len()
    }

    /// True when no sample was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The latency below which a fraction `q` (0.0 to 1.0) of the samples
    /// fall, e.g. `quantile(0.999)` for p99.9. Zero when empty.
    pub fn quantile(&self, q: f64) -> Duration {
        if self.is_empty() {
            return Duration::ZERO;
        }
        let q = if q.is_nan() { 0.5 } else { q.clamp(0.0, 1.0) };
        // The histogram's answer can round up past the real maximum.
        Duration::from_nanos(self.histogram.value_at_quantile(q).min(self.max_ns))
    }

    /// The numbers a report shows, in microseconds.
    pub fn summary(&self) -> LatencySummary {
        let count = self.len();
        if count == 0 {
            return LatencySummary {
                count: 0,
                p50_us: 0.0,
                p99_us: 0.0,
                max_us: 0.0,
                mean_us: 0.0,
            };
        }
        let us = |d: Duration| d.as_nanos() as f64 / 1_000.0;
        LatencySummary {
            count,
            p50_us: us(self.quantile(0.50)),
            p99_us: us(self.quantile(0.99)),
            max_us: self.max_ns as f64 / 1_000.0,
            mean_us: self.sum_ns as f64 / count as f64 / 1_000.0,
        }
    }
}

impl Default for Latencies {
    fn default() -> Self {
        Self::new()
    }
}

impl Extend<Duration> for Latencies {
    fn extend<T: IntoIterator<Item = Duration>>(&mut self, iter: T) {
        for d in iter {
            self.record(d);
        }
    }
}

impl FromIterator<Duration> for Latencies {
    fn from_iter<T: IntoIterator<Item = Duration>>(iter: T) -> Self {
        let mut latencies = Self::new();
        latencies.extend(iter);
        latencies
    }
}
