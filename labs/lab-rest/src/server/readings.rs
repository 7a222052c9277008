//! `GET /readings/{id}`: the smallest useful JSON answer.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use domain::Reading;
use serde::Deserialize;

use super::AppState;

#[derive(Deserialize)]
pub struct Slow {
    /// Hold the answer back this long, as a busy backend would.
    delay_ms: Option<u64>,
}

// ANCHOR: get_reading
pub async fn get_reading(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
    Query(slow): Query<Slow>,
) -> Json<Reading> {
    let _counted = state.enter();
    if let Some(ms) = slow.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    Json(Reading::sample(id))
}
// ANCHOR_END: get_reading

/// `POST /readings`: a sensor uploads one reading; the server keeps nothing
/// and answers `201 Created` with an empty body.
pub async fn post_reading(
    State(state): State<Arc<AppState>>,
    Json(_reading): Json<Reading>,
) -> axum::http::StatusCode {
    let _counted = state.enter();
    axum::http::StatusCode::CREATED
}
