//! Wrong: a reading is identified by its values (sensor, temperature, humidity), so a later reading with the same values is dropped as a copy.

use std::collections::HashSet;

use domain::Reading;

// ANCHOR: starter
/// Remembers which readings were already processed.
#[derive(Debug, Default)]
pub struct Dedup {
    seen: HashSet<(String, u64, u8)>,
}

impl Dedup {
    pub fn new() -> Dedup {
        Dedup::default()
    }

    /// Whether this payload is a reading not seen before (process it) or
    /// a copy of one already processed (drop it).
    pub fn accept(&mut self, payload: &[u8]) -> bool {
        match serde_json::from_slice::<Reading>(payload) {
            Ok(r) => self
                .seen
                .insert((r.sensor_id, r.celsius.to_bits(), r.humidity_percent)),
            Err(_) => false,
        }
    }
}
// ANCHOR_END: starter
