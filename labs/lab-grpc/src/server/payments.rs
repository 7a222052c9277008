//! The handlers of the payment service, version 1: one method of each of
//! gRPC's four kinds.
//!
//! The handlers are deliberately small. What they add to a toy is what the
//! scenarios need to observe: a hold (metadata `x-hold-ms`) so calls overlap,
//! a guard that notices when tonic drops a handler because the client went
//! away, and a backend name in every answer so load balancing can be seen.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::Stream;
use tokio_stream::StreamExt;
use tonic::{Request, Response, Status, Streaming};
use tonic_types::{ErrorDetails, StatusExt};

use super::{Stats, fixtures};
use crate::proto::v1::payment_service_server::PaymentService;
use crate::proto::v1::{
    ChargeRequest, ChargeResponse, ChargeStatus, ChatMessage, Event, ImportRecord, ImportSummary,
    WatchRequest,
};

/// The service's state: its name, its counters and the idempotency keys seen.
#[derive(Debug, Clone)]
pub struct Payments {
    name: String,
    stats: Arc<Stats>,
    /// The ledger: how many charges were made, and for each idempotency key
    /// the (amount, transaction id) of its first charge. A real service
    /// would keep this in its database, in the same transaction as the charge.
    ledger: Arc<Mutex<Ledger>>,
}

#[derive(Debug, Default)]
struct Ledger {
    charges: u64,
    keys: HashMap<String, (i64, String)>,
}

impl Payments {
    pub fn new(name: &str, stats: Arc<Stats>) -> Payments {
        let name = if name.is_empty() { "payments" } else { name };
        Payments {
            name: name.to_string(),
            stats,
            ledger: Arc::default(),
        }
    }
}

/// Counts a handler in and out; if it is dropped before [`Guard::done`], the
/// call was cancelled under it.
struct Guard {
    stats: Arc<Stats>,
    done: bool,
}

impl Guard {
    fn enter(stats: &Arc<Stats>) -> Guard {
        stats.calls.fetch_add(1, Ordering::SeqCst);
        let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
        Guard {
            stats: stats.clone(),
            done: false,
        }
    }

    fn done(mut self) {
        self.done = true;
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.stats.in_flight.fetch_sub(1, Ordering::SeqCst);
        let counter = if self.done {
            &self.stats.completed
        } else {
            &self.stats.cancelled
        };
        counter.fetch_add(1, Ordering::SeqCst);
    }
}

/// The `x-hold-ms` metadata of a request: how long the handler should work.
fn hold<T>(request: &Request<T>) -> Duration {
    let ms = request
        .metadata()
        .get("x-hold-ms")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Duration::from_millis(ms)
}

/// Charges above this need an `authorization` metadata entry.
pub const LARGE_CHARGE_CENTS: i64 = 1_000_000;

pub(crate) type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

// ANCHOR: charge
/// The `Charge` handler (unary): one request in, one answer or one status
/// out. The `PaymentService` implementation below hands each call here.
async fn charge(
    service: &Payments,
    request: Request<ChargeRequest>,
) -> Result<Response<ChargeResponse>, Status> {
    let guard = Guard::enter(&service.stats);
    tokio::time::sleep(hold(&request)).await;
    // ANCHOR: auth_metadata
    let authorized = request.metadata().contains_key("authorization");
    let charge = request.into_inner();
    if charge.amount_cents > LARGE_CHARGE_CENTS && !authorized {
        guard.done();
        return Err(Status::unauthenticated(
            "charges over 10 000.00 need an operator's `authorization` metadata",
        ));
    }
    // ANCHOR_END: auth_metadata
    if let Some(fixture) = fixtures::find(&charge.source_token) {
        guard.done();
        return Err(fixtures::status(fixture));
    }
    if charge.amount_cents <= 0 {
        guard.done();
        let details = ErrorDetails::with_bad_request_violation(
            "amount_cents",
            format!("must be positive, got {}", charge.amount_cents),
        );
        return Err(Status::with_error_details(
            tonic::Code::InvalidArgument,
            "the charge request is not valid",
            details,
        ));
    }
    let transaction_id = {
        let mut ledger = service.ledger.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = format!("{}-tx-{}", service.name, ledger.charges + 1);
        // No key, no memory: as in Chapter 1, every keyless request charges.
        if charge.idempotency_key.is_empty() {
            ledger.charges += 1;
            guard.done();
            return Ok(Response::new(ChargeResponse {
                transaction_id: fresh,
                status: ChargeStatus::Success as i32,
            }));
        }
        let before = ledger.keys.len();
        let (amount, id) = ledger
            .keys
            .entry(charge.idempotency_key.clone())
            .or_insert((charge.amount_cents, fresh));
        let (amount, id) = (*amount, id.clone());
        if ledger.keys.len() > before {
            ledger.charges += 1;
        }
        if amount != charge.amount_cents {
            guard.done();
            return Err(Status::already_exists(format!(
                "idempotency key {} was already used for a charge of {} cents",
                charge.idempotency_key, amount
            )));
        }
        id
    };
    guard.done();
    Ok(Response::new(ChargeResponse {
        transaction_id,
        status: ChargeStatus::Success as i32,
    }))
}
// ANCHOR_END: charge

// ANCHOR: watch
/// The `WatchEvents` handler (server streaming): `count` events, or
/// endless ones for `count` 0, until the client goes away.
async fn watch_events(
    service: &Payments,
    request: Request<WatchRequest>,
) -> Result<Response<BoxStream<Event>>, Status> {
    let guard = Guard::enter(&service.stats);
    let WatchRequest { count, interval_ms } = request.into_inner();
    let name = service.name.clone();
    let stream = async_stream(move |tx| async move {
        let mut id = 0u64;
        while count == 0 || id < u64::from(count) {
            id += 1;
            let event = Event {
                id,
                kind: format!("charge.succeeded@{name}"),
            };
            // ANCHOR: send_waits
            // `send` waits while the channel is full: a slow client slows
            // the server down instead of filling its memory.
            if tx.send(Ok(event)).await.is_err() {
                return; // the client went away; the guard counts a cancel
            }
            // ANCHOR_END: send_waits
            tokio::time::sleep(Duration::from_millis(interval_ms.into())).await;
        }
        guard.done();
    });
    Ok(Response::new(stream))
}
// ANCHOR_END: watch

#[tonic::async_trait]
impl PaymentService for Payments {
    async fn charge(
        &self,
        request: Request<ChargeRequest>,
    ) -> Result<Response<ChargeResponse>, Status> {
        charge(self, request).await
    }

    type WatchEventsStream = BoxStream<Event>;

    async fn watch_events(
        &self,
        request: Request<WatchRequest>,
    ) -> Result<Response<Self::WatchEventsStream>, Status> {
        watch_events(self, request).await
    }

    async fn batch_import(
        &self,
        request: Request<Streaming<ImportRecord>>,
    ) -> Result<Response<ImportSummary>, Status> {
        let guard = Guard::enter(&self.stats);
        let mut records = request.into_inner();
        let mut summary = ImportSummary::default();
        while let Some(record) = records.next().await {
            let record = record?;
            summary.records += 1;
            summary.total_cents += record.amount_cents;
        }
        guard.done();
        Ok(Response::new(summary))
    }

    type ChatStream = BoxStream<ChatMessage>;

    async fn chat(
        &self,
        request: Request<Streaming<ChatMessage>>,
    ) -> Result<Response<Self::ChatStream>, Status> {
        let guard = Guard::enter(&self.stats);
        let mut incoming = request.into_inner();
        let stream = async_stream(move |tx| async move {
            // Answer each message as it arrives, while the client keeps sending.
            while let Some(message) = incoming.next().await {
                let reply = message.map(|m| ChatMessage {
                    text: format!("ack: {}", m.text),
                });
                if tx.send(reply).await.is_err() {
                    return;
                }
            }
            guard.done();
        });
        Ok(Response::new(stream))
    }
}

/// A response stream fed by a task through a channel of one slot, so the
/// producer runs at most one message ahead of what the client takes.
pub(crate) fn async_stream<T, F, Fut>(produce: F) -> BoxStream<T>
where
    T: Send + 'static,
    F: FnOnce(tokio::sync::mpsc::Sender<Result<T, Status>>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    tokio::spawn(produce(tx));
    Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx))
}
