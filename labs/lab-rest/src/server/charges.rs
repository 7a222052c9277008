//! `POST /charges`: a payment endpoint that honours an `Idempotency-Key`.
//!
//! POST is not idempotent: sending it twice creates two charges. When a
//! connection breaks after the server acted but before the client read the
//! answer, the client cannot tell whether to retry. The common remedy (used
//! by payment APIs, and being standardised by the IETF as the
//! `Idempotency-Key` header) is a key chosen by the client: the server
//! remembers the answer it gave for each key and replays it for a retry.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::{Charge, ChargeRequest};

use super::AppState;

/// Every charge made, and the answer given for each idempotency key.
#[derive(Default)]
pub struct Ledger {
    inner: Mutex<LedgerInner>,
}

#[derive(Default)]
struct LedgerInner {
    charges: Vec<Charge>,
    by_key: HashMap<String, (ChargeRequest, Charge)>,
}

/// What asking the ledger to charge can lead to.
pub enum Outcome {
    /// A new charge was made.
    Created(Charge),
    /// The key was seen before with the same request: the first answer, again.
    Replayed(Charge),
    /// The key was seen before with a *different* request: a client bug.
    KeyReused,
}

// ANCHOR: charge
/// A real payment service would keep this ledger in its database, and store
/// the key and the answer in the same transaction as the charge; here it
/// lives in memory for the life of the process.
impl Ledger {
    /// Charges once per idempotency key; without a key, every call charges.
    pub fn charge(&self, key: Option<&str>, request: ChargeRequest) -> Outcome {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        // ANCHOR: replay
        if let Some((first_request, first_answer)) = key.and_then(|k| inner.by_key.get(k)) {
            return if *first_request == request {
                Outcome::Replayed(first_answer.clone())
            } else {
                Outcome::KeyReused
            };
        }
        // ANCHOR_END: replay
        let charge = Charge {
            charge_id: format!("ch_{}", inner.charges.len() + 1),
            amount_cents: request.amount_cents,
            currency: request.currency.clone(),
        };
        inner.charges.push(charge.clone());
        // ANCHOR: remember
        if let Some(key) = key {
            inner
                .by_key
                .insert(key.to_string(), (request, charge.clone()));
        }
        // ANCHOR_END: remember
        Outcome::Created(charge)
    }
}
// ANCHOR_END: charge

impl Ledger {
    /// Every charge made so far.
    pub fn charges(&self) -> Vec<Charge> {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .charges
            .clone()
    }
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(request): Json<ChargeRequest>,
) -> Response {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    match state.ledger.charge(key, request) {
        Outcome::Created(charge) => (StatusCode::CREATED, Json(charge)).into_response(),
        Outcome::Replayed(charge) => (StatusCode::OK, Json(charge)).into_response(),
        Outcome::KeyReused => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "this Idempotency-Key was already used for a different request",
        )
            .into_response(),
    }
}

pub async fn list(State(state): State<Arc<AppState>>) -> Json<Vec<Charge>> {
    Json(state.ledger.charges())
}
