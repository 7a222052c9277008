//! Reference solution for `mqtt-topics`.

// ANCHOR: solution
/// Whether a subscription to `filter` receives a message published on `topic`.
pub fn matches(filter: &str, topic: &str) -> bool {
    // Wildcards at the first level never reach the broker's `$` topics.
    if topic.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#')) {
        return false;
    }
    let mut topic_levels = topic.split('/');
    for level in filter.split('/') {
        match (level, topic_levels.next()) {
            // `#` swallows what is left, even nothing ("a/#" matches "a").
            ("#", _) => return true,
            ("+", Some(_)) => {}
            (exact, Some(t)) if exact == t => {}
            _ => return false,
        }
    }
    // Every filter level matched; the topic must have no level left over.
    topic_levels.next().is_none()
}
// ANCHOR_END: solution
