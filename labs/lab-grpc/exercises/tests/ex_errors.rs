//! Grading tests for `grpc-errors`: each domain error travels through a real
//! server to a real client, which decodes the code and the details. Every
//! kind of error is tried with two different values (see
//! `support::error_for`), so details copied from the example do not pass.

use lab_grpc::proto::v1::ChargeRequest;
use lab_grpc_exercises::support;
use labkit::grade::expect;
use tonic::Code;
use tonic_types::StatusExt;

async fn fail_with(token: &str) -> tonic::Status {
    let (server, _) = support::serve().await;
    let mut client = lab_grpc::client::payments(server.addr).await.unwrap();
    let request = ChargeRequest {
        amount_cents: 100,
        source_token: token.into(),
        ..Default::default()
    };
    client
        .charge(request)
        .await
        .expect_err("the exercise server fails this charge")
}

#[tokio::test]
async fn an_invalid_field_is_invalid_argument_naming_the_field() {
    for (token, field) in [
        ("tok_bad_amount", "amount_cents"),
        ("tok_bad_currency", "currency"),
    ] {
        let status = fail_with(token).await;
        expect(
            status.code() == Code::InvalidArgument,
            "Invalid maps to INVALID_ARGUMENT",
            status.code(),
        );
        let fields: Vec<String> = status
            .get_details_bad_request()
            .map(|b| b.field_violations.into_iter().map(|v| v.field).collect())
            .unwrap_or_default();
        expect(
            fields == [field],
            &format!("a BadRequest detail names the invalid field, {field}"),
            &fields,
        );
    }
}

#[tokio::test]
async fn rate_limiting_is_resource_exhausted_with_retry_info() {
    for (token, secs) in [("tok_busy", 30), ("tok_busy_briefly", 2)] {
        let status = fail_with(token).await;
        expect(
            status.code() == Code::ResourceExhausted,
            "RateLimited maps to RESOURCE_EXHAUSTED",
            status.code(),
        );
        let delay = status.get_details_retry_info().and_then(|r| r.retry_delay);
        expect(
            delay == Some(std::time::Duration::from_secs(secs)),
            &format!("a RetryInfo detail says to retry after the error's retry_after, {secs} s"),
            delay,
        );
    }
}

#[tokio::test]
async fn missing_funds_is_failed_precondition_on_the_account() {
    for (token, account) in [("tok_poor", "acct_9"), ("tok_poor_too", "acct_4")] {
        let status = fail_with(token).await;
        expect(
            status.code() == Code::FailedPrecondition,
            "InsufficientFunds maps to FAILED_PRECONDITION",
            status.code(),
        );
        let violations: Vec<(String, String)> = status
            .get_details_precondition_failure()
            .map(|p| {
                p.violations
                    .into_iter()
                    .map(|v| (v.r#type, v.subject))
                    .collect()
            })
            .unwrap_or_default();
        expect(
            violations == [("FUNDS".to_string(), account.to_string())],
            &format!("a PreconditionFailure of type FUNDS names the account, {account}"),
            &violations,
        );
    }
}

#[tokio::test]
async fn an_unknown_card_is_not_found_naming_the_card() {
    for token in ["tok_unknown", "tok_lost"] {
        let status = fail_with(token).await;
        expect(
            status.code() == Code::NotFound,
            "UnknownCard maps to NOT_FOUND",
            status.code(),
        );
        let info = status
            .get_details_resource_info()
            .map(|r| (r.resource_type, r.resource_name));
        expect(
            info == Some(("card".to_string(), token.to_string())),
            &format!("a ResourceInfo detail of type card names the card, {token}"),
            &info,
        );
    }
}
