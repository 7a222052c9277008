//! Wrong: `#` is read as "the topic starts with the text before it", so `greenhouse/#` matches `greenhouses/7`.

// ANCHOR: starter
/// Whether a subscription to `filter` receives a message published on `topic`.
pub fn matches(filter: &str, topic: &str) -> bool {
    if topic.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#')) {
        return false;
    }
    if let Some(prefix) = filter.strip_suffix('#') {
        return topic.starts_with(prefix.trim_end_matches('/'));
    }
    let f: Vec<&str> = filter.split('/').collect();
    let t: Vec<&str> = topic.split('/').collect();
    f.len() == t.len() && f.iter().zip(&t).all(|(f, t)| *f == "+" || f == t)
}
// ANCHOR_END: starter
