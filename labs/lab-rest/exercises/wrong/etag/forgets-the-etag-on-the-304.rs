//! Wrong: answers 304 with no ETag header, so the client cannot tell which version it was told to keep.
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

fn etag_for(body: &str) -> String {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
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
        // The mistake: a bare 304, without the ETag it confirms.
        return StatusCode::NOT_MODIFIED.into_response();
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
