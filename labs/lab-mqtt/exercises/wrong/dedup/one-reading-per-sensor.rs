//! Wrong: a reading is identified by its sensor alone, so a sensor's later readings are dropped as copies.

use std::collections::HashSet;

use domain::Reading;

// ANCHOR: starter
/// Remembers which readings were already processed.
#[derive(Debug, Default)]
pub struct Dedup {
    sensors: HashSet<String>,
}

impl Dedup {
    pub fn new() -> Dedup {
        Dedup::default()
    }

    /// Whether this payload is a reading not seen before (process it) or
    /// a copy of one already processed (drop it).
    pub fn accept(&mut self, payload: &[u8]) -> bool {
        match serde_json::from_slice::<Reading>(payload) {
            Ok(r) => self.sensors.insert(r.sensor_id),
            Err(_) => false,
        }
    }
}
// ANCHOR_END: starter
