//! Wrong: the right codes, but what the client needs (field, retry delay, account, card) is only in the English message, with no rich details to read.

use std::time::Duration;

use tonic::{Code, Status};

/// What can go wrong with a charge, in the service's own terms.
#[derive(Debug, Clone, PartialEq)]
pub enum ChargeError {
    Invalid {
        field: String,
        why: String,
    },
    RateLimited {
        retry_after: Duration,
    },
    InsufficientFunds {
        account: String,
        needed_cents: i64,
        available_cents: i64,
    },
    UnknownCard {
        token: String,
    },
}

/// The status a client receives for `error`.
pub fn to_status(error: &ChargeError) -> Status {
    let (code, message) = match error {
        ChargeError::Invalid { field, why } => (Code::InvalidArgument, format!("{field} {why}")),
        ChargeError::RateLimited { retry_after } => (
            Code::ResourceExhausted,
            format!("too many charges; retry after {retry_after:?}"),
        ),
        ChargeError::InsufficientFunds { account, .. } => (
            Code::FailedPrecondition,
            format!("{account} has not enough funds"),
        ),
        ChargeError::UnknownCard { token } => (Code::NotFound, format!("no card under {token}")),
    };
    Status::new(code, message)
}
