//! Wrong: remembers each key with its request but not the charge, so a replay answers 200 with an empty body.
//!
//! A known-wrong answer to `rest-idempotency`, which the grading tests must
//! refuse (`cargo exercises verify` checks that they do).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChargeRequest {
    pub amount_cents: i64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Charge {
    pub charge_id: u64,
    pub amount_cents: i64,
    pub currency: String,
}

#[derive(Default)]
pub struct Ledger {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    charges: Vec<Charge>,
    // The mistake: the answer is not remembered, only that the key was used.
    by_key: HashMap<String, ChargeRequest>,
}

impl Ledger {
    pub fn charge(
        &self,
        key: Option<&str>,
        request: ChargeRequest,
    ) -> (StatusCode, Option<Charge>) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(first_request) = key.and_then(|k| inner.by_key.get(k)) {
            return if *first_request == request {
                (StatusCode::OK, None)
            } else {
                (StatusCode::UNPROCESSABLE_ENTITY, None)
            };
        }
        let charge = Charge {
            charge_id: inner.charges.len() as u64 + 1,
            amount_cents: request.amount_cents,
            currency: request.currency.clone(),
        };
        inner.charges.push(charge.clone());
        if let Some(key) = key {
            inner.by_key.insert(key.to_string(), request);
        }
        (StatusCode::CREATED, Some(charge))
    }

    pub fn count(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .charges
            .len()
    }
}

pub async fn create_charge(
    State(ledger): State<Arc<Ledger>>,
    headers: HeaderMap,
    Json(request): Json<ChargeRequest>,
) -> Response {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    match ledger.charge(key, request) {
        (status, Some(charge)) => (status, Json(charge)).into_response(),
        (status, None) => status.into_response(),
    }
}

pub async fn count(State(ledger): State<Arc<Ledger>>) -> Json<usize> {
    Json(ledger.count())
}
