//! Scenario `status`: all 17 gRPC status codes, each from a situation that
//! produces it, with rich error details decoded on the client.
//!
//! Eight codes come from real situations: a call that works (OK), a bad
//! argument, a large charge without credentials and a reused idempotency key
//! (the handler decides those), and from gRPC's machinery a deadline, an
//! unknown method, a request over the server's size limit and a server that is
//! not there. The other nine come from the handler's sandbox tokens ([`crate::server::fixtures`]). Every failure
//! travels in the trailers (`grpc-status`, `grpc-message`, and
//! `grpc-status-details-bin` for the details), which tonic-types decodes.

use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use tonic::Code;
use tonic_types::StatusExt;

use crate::Lab;
use crate::client;
use crate::proto::v1::ChargeRequest;
use crate::proto::v2;
use crate::server::{self, Options, fixtures};
use crate::wire::sample_charge;

/// One code, how it was produced, and what the client decoded.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub expected: Code,
    pub got: Code,
    pub how: String,
    /// The rich details decoded from `grpc-status-details-bin`, in short.
    pub details: Vec<String>,
}

fn code_of<T>(r: Result<T, tonic::Status>) -> (Code, Vec<String>) {
    match r {
        Ok(_) => (Code::Ok, Vec::new()),
        Err(status) => (status.code(), describe_details(&status)),
    }
}

// ANCHOR: decode_details
/// Decodes the rich details a status carries, one line per detail.
pub fn describe_details(status: &tonic::Status) -> Vec<String> {
    let details = status.get_error_details();
    let mut out = Vec::new();
    if let Some(info) = details.error_info() {
        out.push(format!(
            "ErrorInfo reason={} domain={}",
            info.reason, info.domain
        ));
    }
    if let Some(retry) = details.retry_info() {
        out.push(format!("RetryInfo retry_delay={:?}", retry.retry_delay));
    }
    if let Some(quota) = details.quota_failure() {
        for v in &quota.violations {
            out.push(format!("QuotaFailure {}: {}", v.subject, v.description));
        }
    }
    if let Some(pre) = details.precondition_failure() {
        for v in &pre.violations {
            out.push(format!("PreconditionFailure {} {}", v.r#type, v.subject));
        }
    }
    if let Some(bad) = details.bad_request() {
        for v in &bad.field_violations {
            out.push(format!("BadRequest {}: {}", v.field, v.description));
        }
    }
    out
}
// ANCHOR_END: decode_details

/// Produces every status code once and records what the client saw.
pub async fn all_codes() -> anyhow::Result<Vec<Outcome>> {
    let server = server::spawn(Options {
        max_request_bytes: Some(1024),
        ..Options::default()
    })
    .await?;
    let mut c = client::payments(server.addr).await?;
    let mut out = Vec::new();
    let mut push = |expected: Code, how: &str, (got, details): (Code, Vec<String>)| {
        out.push(Outcome {
            expected,
            got,
            how: how.to_string(),
            details,
        });
    };

    push(
        Code::Ok,
        "a valid charge",
        code_of(c.charge(sample_charge(1)).await),
    );
    let bad = ChargeRequest {
        amount_cents: -5,
        ..sample_charge(2)
    };
    push(
        Code::InvalidArgument,
        "handler: amount_cents is negative",
        code_of(c.charge(bad).await),
    );
    let deadline = Duration::from_millis(50);
    let mut slow = client::held(sample_charge(3), Duration::from_secs(2));
    slow.set_timeout(deadline);
    let mut c2 = c.clone();
    let answer = client::with_deadline(deadline, c2.charge(slow)).await;
    push(
        Code::DeadlineExceeded,
        "client (the lab's with_deadline): 50 ms deadline, server needs 2 s",
        code_of(answer),
    );
    let again = ChargeRequest {
        amount_cents: 9999,
        ..sample_charge(1)
    };
    push(
        Code::AlreadyExists,
        "handler: idempotency key reused for another amount",
        code_of(c.charge(again).await),
    );
    let mut v2c =
        v2::payment_service_client::PaymentServiceClient::new(client::channel(server.addr).await?);
    let refund = v2::RefundRequest {
        transaction_id: "tx-1".into(),
        amount_cents: 100,
    };
    push(
        Code::Unimplemented,
        "tonic: a v2 client calls Refund, which v1 lacks",
        code_of(v2c.refund(refund).await),
    );
    let huge = ChargeRequest {
        source_token: "x".repeat(4096),
        ..sample_charge(4)
    };
    push(
        Code::OutOfRange,
        "tonic 0.14: a 4 KB request to a server that decodes at most 1 KB (gRPC's docs say RESOURCE_EXHAUSTED)",
        code_of(c.charge(huge).await),
    );
    let large = ChargeRequest {
        amount_cents: 2_000_000,
        ..sample_charge(5)
    };
    push(
        Code::Unauthenticated,
        "handler: a large charge without `authorization` metadata",
        code_of(c.charge(large).await),
    );
    for f in fixtures::FIXTURES {
        let request = ChargeRequest {
            source_token: f.token.into(),
            ..sample_charge(6)
        };
        push(
            f.code,
            &format!("handler: {}", f.situation),
            code_of(c.charge(request).await),
        );
    }
    // A server that is not there: connect to a port nobody listens on.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let lazy = client::endpoint(dead).connect_lazy();
    let mut gone = crate::proto::v1::payment_service_client::PaymentServiceClient::new(lazy);
    push(
        Code::Unavailable,
        "tonic: nothing listens on the server's port",
        code_of(gone.charge(sample_charge(7)).await),
    );
    out.sort_by_key(|o| o.expected as i32);
    Ok(out)
}

/// The scenario, as `cargo run -p lab-grpc -- status` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "status",
    "all 17 status codes, each from a situation, with rich error details",
    "which codes the handler chose and which came from gRPC itself",
);

/// The `status` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let outcomes = all_codes().await?;
    let mut table = Table::new(
        "Every gRPC status code, each from a situation that produces it",
        &["code", "got", "how it was produced", "rich details decoded"],
    );
    for o in &outcomes {
        table.row([
            format!("{} {:?}", o.expected as i32, o.expected),
            format!("{:?}", o.got),
            o.how.clone(),
            o.details.join("; "),
        ]);
    }
    let mut report = Report::new(crate::LAB, "status");
    report.table(table);
    Ok(report)
}
