//! Wrong: `#` must match at least one level, so `greenhouse/#` misses `greenhouse` itself.

// ANCHOR: starter
/// Whether a subscription to `filter` receives a message published on `topic`.
pub fn matches(filter: &str, topic: &str) -> bool {
    if topic.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#')) {
        return false;
    }
    let mut topic_levels = topic.split('/');
    for level in filter.split('/') {
        match (level, topic_levels.next()) {
            ("#", Some(_)) => return true,
            ("+", Some(_)) => {}
            (exact, Some(t)) if exact == t => {}
            _ => return false,
        }
    }
    topic_levels.next().is_none()
}
// ANCHOR_END: starter
