//! Test card numbers, gRPC style: source tokens that make the lab's payment
//! service fail in one particular way, as payment providers' sandboxes do.
//!
//! Each token stands for a situation a real payment service meets, and the
//! status code gRPC's documentation gives for it. The `status` scenario sends
//! each one and decodes what comes back, rich details included.

use tonic::Code;
use tonic_types::{ErrorDetails, StatusExt};

/// One situation: the token that triggers it, the code it ends with and why.
#[derive(Debug, Clone, Copy)]
pub struct Fixture {
    pub token: &'static str,
    pub code: Code,
    pub situation: &'static str,
}

// ANCHOR: fixtures
/// The situations the handler itself decides (the other codes of the 17 are
/// produced by gRPC's machinery; see the `status` scenario).
pub const FIXTURES: &[Fixture] = &[
    Fixture {
        token: "tok_upstream_cancelled",
        code: Code::Cancelled,
        situation: "the card network cancelled the authorisation it was waiting on",
    },
    Fixture {
        token: "tok_mystery",
        code: Code::Unknown,
        situation: "the acquirer answered something the service cannot classify",
    },
    Fixture {
        token: "tok_no_such_card",
        code: Code::NotFound,
        situation: "no card is stored under this token",
    },
    Fixture {
        token: "tok_stolen",
        code: Code::PermissionDenied,
        situation: "the card is reported stolen: this merchant may not charge it",
    },
    Fixture {
        token: "tok_rate_limited",
        code: Code::ResourceExhausted,
        situation: "the merchant's charges-per-minute quota is used up",
    },
    Fixture {
        token: "tok_account_closed",
        code: Code::FailedPrecondition,
        situation: "the customer's account is closed",
    },
    Fixture {
        token: "tok_conflict",
        code: Code::Aborted,
        situation: "a concurrent update of the same account won; retry the whole transaction",
    },
    Fixture {
        token: "tok_ledger_bug",
        code: Code::Internal,
        situation: "an invariant of the ledger broke",
    },
    Fixture {
        token: "tok_corrupt_ledger",
        code: Code::DataLoss,
        situation: "the ledger entry for this account cannot be read back",
    },
];
// ANCHOR_END: fixtures

/// The fixture for `token`, if it is one.
pub fn find(token: &str) -> Option<&'static Fixture> {
    FIXTURES.iter().find(|f| f.token == token)
}

// ANCHOR: details
/// The status a fixture ends with, carrying rich details
/// (`google.rpc.Status` in the `grpc-status-details-bin` trailer) chosen for
/// its code: the quota and retry advice for RESOURCE_EXHAUSTED,
/// the failed precondition, and an `ErrorInfo` for the rest.
pub fn status(fixture: &Fixture) -> tonic::Status {
    // ANCHOR: details_quota
    let mut details = ErrorDetails::new();
    match fixture.code {
        Code::ResourceExhausted => {
            details.set_retry_info(Some(std::time::Duration::from_secs(60)));
            details.add_quota_failure_violation("merchant:m_42", "120 charges per minute");
        }
        // ANCHOR_END: details_quota
        Code::FailedPrecondition => {
            details.add_precondition_failure_violation(
                "ACCOUNT",
                "acct_7",
                "the account is closed",
            );
        }
        _ => {}
    }
    details.set_error_info(
        fixture.token.trim_start_matches("tok_").to_uppercase(),
        "payments.lab.example",
        [("token".to_string(), fixture.token.to_string())],
    );
    // ANCHOR: details_status
    tonic::Status::with_error_details(fixture.code, fixture.situation, details)
    // ANCHOR_END: details_status
}
// ANCHOR_END: details
