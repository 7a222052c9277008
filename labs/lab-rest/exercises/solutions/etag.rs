//! Reference solution of `rest-etag`.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::support::Articles;

// ANCHOR: solution
/// A strong validator derived from the content: equal bodies, equal tags.
fn etag_for(body: &str) -> String {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

/// `If-None-Match` uses the weak comparison (RFC 9110, section 13.1.2):
/// `W/` prefixes are ignored, any listed tag may match, `*` matches anything.
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

pub async fn get_article(State(articles): State<Arc<Articles>>, headers: HeaderMap) -> Response {
    let body = articles.body();
    let etag = etag_for(&body);
    if none_match(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::ETAG, etag),
            (header::CONTENT_TYPE, "application/json".to_string()),
        ],
        body,
    )
        .into_response()
}
// ANCHOR_END: solution
