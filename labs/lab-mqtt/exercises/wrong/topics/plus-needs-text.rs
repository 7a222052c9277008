//! Wrong: `+` refuses an empty level, so `a/+/c` misses `a//c`.

// ANCHOR: starter
/// Whether a subscription to `filter` receives a message published on `topic`.
pub fn matches(filter: &str, topic: &str) -> bool {
    if topic.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#')) {
        return false;
    }
    let mut topic_levels = topic.split('/');
    for level in filter.split('/') {
        match (level, topic_levels.next()) {
            ("#", _) => return true,
            ("+", Some(t)) if !t.is_empty() => {}
            (exact, Some(t)) if exact == t => {}
            _ => return false,
        }
    }
    topic_levels.next().is_none()
}
// ANCHOR_END: starter
