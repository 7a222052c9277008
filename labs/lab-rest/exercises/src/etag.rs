//! Exercise `rest-etag`: answer a revalidation with `304 Not Modified`.
//!
//! `GET /article` below always sends the whole article. Make it cheap to ask
//! "has it changed?":
//!
//! 1. send an `ETag` header: a validator that changes whenever the body does
//!    (a strong one, in double quotes, e.g. `"3f2a9c"`);
//! 2. when the request's `If-None-Match` names the current ETag — it may list
//!    several, separated by commas, may mark them weak with `W/`, or be `*` —
//!    answer `304 Not Modified` with the `ETag` and **no body**;
//! 3. otherwise answer `200 OK` with the body and the `ETag`.
//!
//! Grade it: `cargo exercises grade rest-etag`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::support::Articles;

// ANCHOR: starter
pub async fn get_article(State(articles): State<Arc<Articles>>, headers: HeaderMap) -> Response {
    let body = articles.body();
    // TODO: compute an ETag for `body`, compare it with the If-None-Match
    // header in `headers`, and answer 304 (no body) when they match.
    let _ = headers;
    ([("content-type", "application/json")], body).into_response()
}
// ANCHOR_END: starter
