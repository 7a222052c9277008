//! Wrong: missing funds are reported INVALID_ARGUMENT, as if the request itself were malformed, so a client cannot tell "fix your request" from "top up the account".

use std::time::Duration;

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

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
    let (code, message, details) = match error {
        ChargeError::Invalid { field, why } => (
            Code::InvalidArgument,
            format!("{field} {why}"),
            ErrorDetails::with_bad_request_violation(field, why),
        ),
        ChargeError::RateLimited { retry_after } => (
            Code::ResourceExhausted,
            "too many charges; slow down".to_string(),
            ErrorDetails::with_retry_info(Some(*retry_after)),
        ),
        ChargeError::InsufficientFunds { account, .. } => (
            Code::InvalidArgument,
            format!("{account} has not enough funds"),
            ErrorDetails::with_precondition_failure_violation("FUNDS", account, "not enough funds"),
        ),
        ChargeError::UnknownCard { token } => (
            Code::NotFound,
            format!("no card under {token}"),
            ErrorDetails::with_resource_info(
                "card",
                token,
                "",
                "no card is stored under this token",
            ),
        ),
    };
    Status::with_error_details(code, message, details)
}
