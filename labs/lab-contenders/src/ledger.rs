//! The one payment service every contender in this lab serves.
//!
//! Chapter 1 posted `{"amount_cents":1250,"currency":"EUR"}` to `/charges`;
//! here Thrift, Twirp, JSON-RPC and XML-RPC carry that same request to this
//! same ledger, so the only thing that changes between them is the protocol.
//! A real system would keep charges in a database; the ledger keeps them in
//! memory and can pretend its storage failed, so a scenario can show what a
//! protocol says when the server, not the caller, is at fault.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use domain::{Charge, ChargeRequest};

/// The charge every scenario sends: 12.50 EUR, as in Chapter 1.
pub fn request() -> ChargeRequest {
    ChargeRequest {
        amount_cents: 1_250,
        currency: "EUR".into(),
    }
}

/// Why the ledger refused a charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The caller asked for something no ledger accepts (the caller's fault).
    Invalid(String),
    /// The ledger's storage failed (the server's fault).
    StorageDown,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Invalid(why) => f.write_str(why),
            Refusal::StorageDown => f.write_str("the ledger's storage is unavailable"),
        }
    }
}

/// Charges taken so far, and a switch that breaks the storage.
#[derive(Default)]
pub struct Ledger {
    charges: Mutex<Vec<Charge>>,
    storage_down: AtomicBool,
}

impl Ledger {
    /// An empty ledger with working storage.
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Takes a charge: a positive amount in a three-letter currency.
    pub fn charge(&self, request: &ChargeRequest) -> Result<Charge, Refusal> {
        if request.amount_cents <= 0 {
            return Err(Refusal::Invalid("amount_cents must be positive".into()));
        }
        if request.currency.len() != 3 || !request.currency.chars().all(|c| c.is_ascii_uppercase())
        {
            return Err(Refusal::Invalid(
                "currency must be three capital letters".into(),
            ));
        }
        if self.storage_down.load(Ordering::SeqCst) {
            return Err(Refusal::StorageDown);
        }
        let mut charges = self.charges.lock().expect("ledger lock");
        let charge = Charge {
            charge_id: format!("ch_{:010}", charges.len() + 1),
            amount_cents: request.amount_cents,
            currency: request.currency.clone(),
        };
        charges.push(charge.clone());
        Ok(charge)
    }

    /// How many charges the ledger holds.
    pub fn count(&self) -> usize {
        self.charges.lock().expect("ledger lock").len()
    }

    /// Makes every later charge fail as if the database were down (or back up).
    pub fn set_storage_down(&self, down: bool) {
        self.storage_down.store(down, Ordering::SeqCst);
    }
}
