//! Merges the increments but not the decrements.
//! Exercise `frontier-crdt-counter`: a counter every replica can change
//! while apart, that converges when replicas merge.
//!
//! Each replica counts only its own increments and decrements, one entry
//! per replica id; the value is all increments minus all decrements. A
//! merge must give the same result whatever order replicas merge in, and
//! merging the same state twice must change nothing.

use std::collections::BTreeMap;

/// A PN-counter: per-replica counts of increments and of decrements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    replica: u64,
    increments: BTreeMap<u64, u64>,
    decrements: BTreeMap<u64, u64>,
}

impl Counter {
    /// A counter at zero, owned by replica `replica`.
    pub fn new(replica: u64) -> Counter {
        Counter {
            replica,
            increments: BTreeMap::new(),
            decrements: BTreeMap::new(),
        }
    }

    /// Add `by` on this replica.
    pub fn increment(&mut self, by: u64) {
        *self.increments.entry(self.replica).or_default() += by;
    }

    /// Subtract `by` on this replica.
    pub fn decrement(&mut self, by: u64) {
        *self.decrements.entry(self.replica).or_default() += by;
    }

    /// The counter's value: every increment minus every decrement.
    pub fn value(&self) -> i64 {
        let up: u64 = self.increments.values().sum();
        let down: u64 = self.decrements.values().sum();
        up as i64 - down as i64
    }

    // ANCHOR: merge
    pub fn merge(&mut self, other: &Counter) {
        for (&replica, &count) in &other.increments {
            let entry = self.increments.entry(replica).or_default();
            *entry = (*entry).max(count);
        }
    }
    // ANCHOR_END: merge
}
