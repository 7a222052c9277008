//! Exercise `rest-idempotency`: make `POST /charges` safe to retry.
//!
//! Clients send an `Idempotency-Key` header, the same on every retry of one
//! payment. Today the ledger ignores it, so a retry after a lost answer
//! charges the customer again. Change [`Ledger::charge`] so that:
//!
//! 1. without a key, every call charges (as now);
//! 2. the first call with a key charges and remembers its answer;
//! 3. a later call with the same key and the same request charges nothing and
//!    returns the remembered charge, with status 200 instead of 201;
//! 4. a later call with the same key but a *different* request is refused
//!    with 422 Unprocessable Entity and charges nothing.
//!
//! Grade it: `cargo exercises grade rest-idempotency`.

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

// ANCHOR: starter
/// The charges made so far.
#[derive(Default)]
pub struct Ledger {
    charges: Mutex<Vec<Charge>>,
    // TODO: remember, for each idempotency key, the request and the charge.
}

impl Ledger {
    /// Charges `request`; `key` is the request's Idempotency-Key, if any.
    /// Returns the status to answer with and the body.
    pub fn charge(
        &self,
        key: Option<&str>,
        request: ChargeRequest,
    ) -> (StatusCode, Option<Charge>) {
        let _ = key; // TODO: use it
        let mut charges = self.charges.lock().unwrap_or_else(|p| p.into_inner());
        let charge = Charge {
            charge_id: charges.len() as u64 + 1,
            amount_cents: request.amount_cents,
            currency: request.currency,
        };
        charges.push(charge.clone());
        (StatusCode::CREATED, Some(charge))
    }
    // ANCHOR_END: starter

    /// How many charges were made.
    pub fn count(&self) -> usize {
        self.charges.lock().unwrap_or_else(|p| p.into_inner()).len()
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
