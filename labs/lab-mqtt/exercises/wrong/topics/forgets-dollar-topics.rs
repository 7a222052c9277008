//! Wrong: wildcards at the first level also match topics that start with `$`.

// ANCHOR: starter
/// Whether a subscription to `filter` receives a message published on `topic`.
pub fn matches(filter: &str, topic: &str) -> bool {
    let mut topic_levels = topic.split('/');
    for level in filter.split('/') {
        match (level, topic_levels.next()) {
            ("#", _) => return true,
            ("+", Some(_)) => {}
            (exact, Some(t)) if exact == t => {}
            _ => return false,
        }
    }
    topic_levels.next().is_none()
}
// ANCHOR_END: starter
