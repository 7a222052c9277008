//! Wrong: only the last reading is remembered, so a copy that arrives after a newer reading is processed again.

use domain::Reading;

// ANCHOR: starter
/// Remembers which readings were already processed.
#[derive(Debug, Default)]
pub struct Dedup {
    last: Option<(String, u64)>,
}

impl Dedup {
    pub fn new() -> Dedup {
        Dedup::default()
    }

    /// Whether this payload is a reading not seen before (process it) or
    /// a copy of one already processed (drop it).
    pub fn accept(&mut self, payload: &[u8]) -> bool {
        let Ok(r) = serde_json::from_slice::<Reading>(payload) else {
            return false;
        };
        let key = (r.sensor_id, r.taken_at_ms);
        if self.last.as_ref() == Some(&key) {
            return false;
        }
        self.last = Some(key);
        true
    }
}
// ANCHOR_END: starter
