//! Exercise `grpc-errors`: map domain errors to status codes, with details.
//!
//! The payment service fails in four ways ([`ChargeError`]). A client should
//! be able to act on each without parsing English, so map each one to the
//! status code gRPC's documentation gives for it, with the rich details
//! (`google.rpc.Status` details, via tonic-types' `ErrorDetails`) that tell
//! the client what to do:
//!
//! | error | code | details |
//! |---|---|---|
//! | `Invalid { field, why }` | INVALID_ARGUMENT | a `BadRequest` field violation for `field` |
//! | `RateLimited { retry_after }` | RESOURCE_EXHAUSTED | `RetryInfo` with `retry_after` |
//! | `InsufficientFunds { account, .. }` | FAILED_PRECONDITION | a `PreconditionFailure` of type `FUNDS`, subject `account` |
//! | `UnknownCard { token }` | NOT_FOUND | `ResourceInfo` of type `card`, name `token` |

use std::time::Duration;

use tonic::Status;

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

// ANCHOR: starter
/// The status a client receives for `error`.
pub fn to_status(error: &ChargeError) -> Status {
    // TODO: a code per error, and details a client can act on.
    Status::unknown(format!("{error:?}"))
}
// ANCHOR_END: starter
