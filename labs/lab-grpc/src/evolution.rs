//! Scenario `evolution`: peers built from two versions of the schema talk.
//!
//! Version 2 of `payments.proto` adds a request field and a response field,
//! adds a method, and changes the type of `Event.id` from `uint64` to
//! `string`. Protobuf identifies fields by number, never by name, so:
//!
//! - a v1 client and a v2 server: the server reads the field the client does
//!   not know as its zero value (`""`); the client skips the response field
//!   it does not know;
//! - a v2 client and a v1 server: the server skips the new field; the client
//!   reads the response field the server never sends as `0`; the new method
//!   answers UNIMPLEMENTED;
//! - the changed type breaks: a v1 client cannot decode the v2 server's
//!   events (field 1 arrives length-delimited where a varint was expected)
//!   and the call ends INTERNAL.

use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::Lab;
use crate::client;
use crate::proto::{v1, v2};
use crate::server::{self, Options};

/// What each pairing of versions showed.
#[derive(Debug, Clone)]
pub struct Evolution {
    /// v1 client → v2 server: the call's code, and the description the server read.
    pub old_client_charge: tonic::Code,
    pub new_server_read_description: Option<String>,
    /// v2 client → v1 server: the call's code and the fee the client read.
    pub new_client_charge: tonic::Code,
    pub new_client_read_fee: Option<i64>,
    /// v2 client → v1 server, the method v1 lacks.
    pub new_method_on_old_server: tonic::Code,
    /// v1 client → v2 server, the event whose id changed type.
    pub changed_type: tonic::Code,
    pub changed_type_message: String,
}

fn code<T>(r: &Result<T, tonic::Status>) -> tonic::Code {
    r.as_ref().map_or_else(|s| s.code(), |_| tonic::Code::Ok)
}

// ANCHOR: evolve
/// Runs the four pairings.
pub async fn measure() -> anyhow::Result<Evolution> {
    let old_server = server::spawn(Options::default()).await?;
    let new_server = server::v2::spawn().await?;

    // An old client, a new server.
    let mut old = v1::payment_service_client::PaymentServiceClient::new(
        client::channel(new_server.addr).await?,
    );
    let charge = v1::ChargeRequest {
        amount_cents: 500,
        currency: "EUR".into(),
        ..Default::default()
    };
    let old_client_charge = code(&old.charge(charge).await);
    let new_server_read_description = new_server
        .seen
        .descriptions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .first()
        .cloned();

    // A new client, an old server.
    let mut new = v2::payment_service_client::PaymentServiceClient::new(
        client::channel(old_server.addr).await?,
    );
    let charge = v2::ChargeRequest {
        amount_cents: 500,
        currency: "EUR".into(),
        description: "greenhouse heater".into(),
        ..Default::default()
    };
    let answer = new.charge(charge).await;
    let new_client_charge = code(&answer);
    let new_client_read_fee = answer.ok().map(|r| r.into_inner().fee_cents);
    let refund = v2::RefundRequest {
        transaction_id: "tx".into(),
        amount_cents: 1,
    };
    let new_method_on_old_server = code(&new.refund(refund).await);

    // The breaking change: v1 expects a number where v2 sends a string.
    let watch = v1::WatchRequest {
        count: 1,
        interval_ms: 0,
    };
    let (changed_type, changed_type_message) = match old.watch_events(watch).await {
        Err(s) => (s.code(), s.message().to_string()),
        Ok(stream) => match stream.into_inner().next().await {
            Some(Err(s)) => (s.code(), s.message().to_string()),
            Some(Ok(_)) | None => (tonic::Code::Ok, String::new()),
        },
    };
    Ok(Evolution {
        old_client_charge,
        new_server_read_description,
        new_client_charge,
        new_client_read_fee,
        new_method_on_old_server,
        changed_type,
        changed_type_message,
    })
}
// ANCHOR_END: evolve

/// The scenario, as `cargo run -p lab-grpc -- evolution` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "evolution",
    "old and new clients and servers built from two versions of the .proto",
    "added fields pass both ways; a changed field type breaks decoding",
);

/// The `evolution` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let e = measure().await?;
    let mut table = Table::new(
        "Old and new peers, built from payments.proto v1 and v2",
        &["client → server", "what was tried", "outcome"],
    );
    table.row([
        "v1 → v2".to_string(),
        "Charge (v2 added description)".into(),
        format!(
            "{:?}; the server read description = {:?}",
            e.old_client_charge,
            e.new_server_read_description.unwrap_or_default()
        ),
    ]);
    table.row([
        "v2 → v1".to_string(),
        "Charge with a description".into(),
        format!(
            "{:?}; the client read fee_cents = {:?}",
            e.new_client_charge,
            e.new_client_read_fee.unwrap_or_default()
        ),
    ]);
    table.row([
        "v2 → v1".to_string(),
        "Refund (new in v2)".into(),
        format!("{:?}", e.new_method_on_old_server),
    ]);
    table.row([
        "v1 → v2".to_string(),
        "WatchEvents (Event.id changed uint64 → string)".into(),
        format!("{:?}: {}", e.changed_type, e.changed_type_message),
    ]);
    let mut report = Report::new(crate::LAB, "evolution");
    report.table(table);
    Ok(report)
}
