//! Wrong: derives the ETag from the article's title, which an edit does not change, so clients keep a stale copy.
//!
//! A known-wrong answer to `rest-etag`, which the grading tests must refuse
//! (`cargo exercises verify` checks that they do).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::support::Articles;

/// The mistake: the tag must change whenever the body does; the title
/// stays the same across edits.
fn etag_for(body: &str) -> String {
    let title = body.split(",\"revision\"").next().unwrap_or(body);
    let mut hasher = DefaultHasher::new();
    title.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

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
