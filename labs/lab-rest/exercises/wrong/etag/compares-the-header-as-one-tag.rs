//! Wrong: compares the whole If-None-Match header with the ETag, so a list of tags or a weak `W/` tag never matches.
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

pub async fn get_article(State(articles): State<Arc<Articles>>, headers: HeaderMap) -> Response {
    let body = articles.body();
    let etag = etag_for(&body);
    // The mistake: the header is a list of tags, each maybe `W/`-prefixed,
    // or `*`; here it is taken as one tag.
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        == Some(etag.as_str());
    if matches {
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
