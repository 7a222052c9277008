//! `GET /products/{id}` with an `ETag`, so a client can revalidate cheaply.
//!
//! The first answer carries the page and a validator (`ETag`). A client that
//! kept the page asks again with `If-None-Match: <that etag>`; if the page has
//! not changed the server answers `304 Not Modified` with no body at all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Product;

use super::AppState;

/// The products, each with a revision that changes when it is edited.
#[derive(Default)]
pub struct Catalog {
    revisions: Mutex<HashMap<u64, u64>>,
}

impl Catalog {
    /// The current version of product `id`.
    pub fn get(&self, id: u64) -> Product {
        let revisions = self.revisions.lock().unwrap_or_else(|p| p.into_inner());
        Product::sample(id, revisions.get(&id).copied().unwrap_or(1))
    }

    /// Edits product `id`, so its ETag changes.
    pub fn revise(&self, id: u64) -> Product {
        let mut revisions = self.revisions.lock().unwrap_or_else(|p| p.into_inner());
        let revision = revisions.entry(id).or_insert(1);
        *revision += 1;
        Product::sample(id, *revision)
    }
}

// ANCHOR: etag
/// A strong validator for a product version: any change makes a new one.
pub fn etag_of(product: &Product) -> String {
    format!("\"p{}-r{}\"", product.id, product.revision)
}

/// True when the client's `If-None-Match` names the current ETag (or `*`).
pub fn still_fresh(headers: &HeaderMap, etag: &str) -> bool {
    let Some(value) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    value
        .split(',')
        .map(|candidate| candidate.trim().trim_start_matches("W/"))
        .any(|candidate| candidate == "*" || candidate == etag)
}

pub async fn get_product(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
    headers: HeaderMap,
) -> Response {
    let product = state.catalog.get(id);
    // ANCHOR: not_modified
    let etag = etag_of(&product);
    let etag_header = HeaderValue::from_str(&etag).expect("an ETag is plain ASCII");
    if still_fresh(&headers, &etag) {
        // axum would write `content-length: 0` for the empty body, which RFC
        // 9110 §8.6 forbids in a 304: the field may only state the length
        // the 200 answer would have had. So state that length.
        let length = serde_json::to_vec(&product).map_or(0, |body| body.len());
        let headers = [
            (header::ETAG, etag_header),
            (header::CONTENT_LENGTH, length.into()),
        ];
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    ([(header::ETAG, etag_header)], Json(product)).into_response()
    // ANCHOR_END: not_modified
}
// ANCHOR_END: etag

pub async fn revise(State(state): State<Arc<AppState>>, Path(id): Path<u64>) -> Json<Product> {
    Json(state.catalog.revise(id))
}
