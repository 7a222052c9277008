//! Benchmarks in rounds: time the same work several times and keep the
//! median, so one unlucky moment on a shared machine does not become the
//! number in the table.
//!
//! Three pieces, from the smallest up:
//!
//! - [`time_per_op`]: one round — run an operation `reps` times, divide;
//! - [`median_of`]: several rounds of one thing, the median kept;
//! - [`Rounds`]: several things measured *in turn* within each round (JSON
//!   encode then decode; four publish variants), so a busy moment hurts all
//!   of them alike, then one median for each.
//!
//! The median of an even count is the upper of the two middle samples, so
//! it is always a sample that was really measured. A real benchmark harness
//! (criterion) also warms up, picks `reps` itself and reports a confidence
//! interval; the labs only need ratios taken side by side in one run.
//!
//! ```
//! use labkit::measure::{Rounds, median_of, time_per_op};
//! // One thing: 7 rounds of 1000 additions, the median time per addition.
//! let per_add = median_of(7, || time_per_op(1000, || { std::hint::black_box(1 + 1); }));
//! assert!(per_add.as_secs() < 1);
//! // Two things taken in turn in each round.
//! let mut rounds = Rounds::new();
//! for _ in 0..3 {
//!     rounds.push([time_per_op(100, || {}), time_per_op(100, || {})]);
//! }
//! let [first, second] = rounds.medians().expect("three rounds ran");
//! # let _ = (first, second);
//! ```

use std::cmp::Ordering;
use std::time::{Duration, Instant};

/// How long one call of `op` took on average over `reps` calls in a row
/// (one round). `reps` below 1 counts as 1.
///
/// Wrap what `op` computes and what it reads in [`std::hint::black_box`],
/// or the optimizer may remove the work being timed.
pub fn time_per_op(reps: u32, mut op: impl FnMut()) -> Duration {
    let reps = reps.max(1);
    let start = Instant::now();
    for _ in 0..reps {
        op();
    }
    start.elapsed() / reps
}

/// Runs `round` `rounds` times (at least once) and returns the median of
/// what it measured: a [`Duration`] from [`time_per_op`], a rate, a count.
pub fn median_of<T: PartialOrd + Copy>(rounds: usize, mut round: impl FnMut() -> T) -> T {
    let samples: Vec<T> = (0..rounds.max(1)).map(|_| round()).collect();
    median(&samples).expect("at least one round ran")
}

/// The median of `samples` — the upper middle one of an even count — or
/// `None` when there is none. NaN samples sort as equal to anything, so
/// keep them out (a rate over no time is NaN).
pub fn median<T: PartialOrd + Copy>(samples: &[T]) -> Option<T> {
    let mut sorted = samples.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
    sorted.get(sorted.len() / 2).copied()
}

/// `N` things measured in turn in every round; one median each at the end.
///
/// Interleaving is what makes a comparison fair on a shared machine: when
/// something else wakes up for a second, every variant of that round pays,
/// and the median drops the round for all of them.
#[derive(Debug, Clone)]
pub struct Rounds<T, const N: usize> {
    rounds: Vec<[T; N]>,
}

impl<T: PartialOrd + Copy, const N: usize> Rounds<T, N> {
    /// No rounds yet.
    pub fn new() -> Self {
        Self { rounds: Vec::new() }
    }

    /// Adds one round: one sample of each of the `N` things, in a fixed order.
    pub fn push(&mut self, round: [T; N]) {
        self.rounds.push(round);
    }

    /// How many rounds were added.
    pub fn len(&self) -> usize {
        self.rounds.len()
    }

    /// True before the first round.
    pub fn is_empty(&self) -> bool {
        self.rounds.is_empty()
    }

    /// The median of each thing over the rounds, in the order they were
    /// pushed; `None` before the first round.
    pub fn medians(&self) -> Option<[T; N]> {
        let first = self.rounds.first()?;
        let mut out = *first;
        for (i, slot) in out.iter_mut().enumerate() {
            let column: Vec<T> = self.rounds.iter().map(|r| r[i]).collect();
            *slot = median(&column)?;
        }
        Some(out)
    }
}

impl<T: PartialOrd + Copy, const N: usize> Default for Rounds<T, N> {
    fn default() -> Self {
        Self::new()
    }
}
