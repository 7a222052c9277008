//! Exercise `mqtt-topics`: decide, as the broker does, whether a topic
//! filter matches a topic name.
//!
//! Topics are levels separated by `/`. In a filter:
//!
//! - `+` matches exactly one level, whatever it holds (even an empty one):
//!   `greenhouse/+/temperature` matches `greenhouse/7/temperature`;
//! - `#` is last and matches any number of levels, including none:
//!   `greenhouse/#` matches `greenhouse/7/temperature` and `greenhouse` itself;
//! - anything else matches only the same text at the same level;
//! - a filter that starts with a wildcard does not match topics that start
//!   with `$` (`$SYS/...` is the broker's own business).
//!
//! Grade it: `cargo exercises grade mqtt-topics`. The grader also asks a
//! real Mosquitto, so your answers are compared with a broker's.

// ANCHOR: starter
/// Whether a subscription to `filter` receives a message published on `topic`.
pub fn matches(filter: &str, topic: &str) -> bool {
    // TODO: handle `+`, `#` and topics starting with `$`.
    filter == topic
}
// ANCHOR_END: starter
