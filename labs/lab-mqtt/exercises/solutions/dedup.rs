//! Reference solution for `mqtt-dedup`.

use std::collections::HashSet;

use domain::Reading;

// ANCHOR: solution
/// Remembers which readings were already processed.
#[derive(Debug, Default)]
pub struct Dedup {
    /// (sensor, when the reading was taken): one reading per sensor per moment.
    /// A long-running service would forget entries older than the longest
    /// time a redelivery can take, or keep only the last time per sensor.
    seen: HashSet<(String, u64)>,
}

impl Dedup {
    pub fn new() -> Dedup {
        Dedup::default()
    }

    /// Whether this payload is a reading not seen before (process it) or
    /// a copy of one already processed (drop it).
    pub fn accept(&mut self, payload: &[u8]) -> bool {
        match serde_json::from_slice::<Reading>(payload) {
            Ok(r) => self.seen.insert((r.sensor_id, r.taken_at_ms)),
            Err(_) => false,
        }
    }
}
// ANCHOR_END: solution
