//! Plumbing for the exercises: a payment service whose `WatchEvents` is
//! your [`crate::stream::events`] and whose `Charge` fails with your
//! [`crate::errors::to_status`], served on a real port by the lab's own
//! server code ([`lab_grpc::server::spawn_service`]). Nothing to edit here.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use lab_grpc::proto::v1::payment_service_server::PaymentService;
use lab_grpc::proto::v1::{
    ChargeRequest, ChargeResponse, ChatMessage, Event, ImportRecord, ImportSummary, WatchRequest,
};
use lab_grpc::server::RunningServer;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

use crate::errors::{ChargeError, to_status};

/// What the exercise server counts: events your stream produced.
#[derive(Debug, Default)]
pub struct Counters {
    pub produced: AtomicU64,
}

struct Exercise {
    counters: Arc<Counters>,
}

/// The domain error the exercise server's `Charge` fails with, chosen by
/// the request's `source_token`. Each kind of error comes in two versions,
/// so the grader can tell a mapping that uses the error's own values from
/// one that copied the example's.
pub fn error_for(token: &str) -> Option<ChargeError> {
    let invalid = |field: &str, why: &str| ChargeError::Invalid {
        field: field.into(),
        why: why.into(),
    };
    let busy = |secs| ChargeError::RateLimited {
        retry_after: std::time::Duration::from_secs(secs),
    };
    let poor = |account: &str| ChargeError::InsufficientFunds {
        account: account.into(),
        needed_cents: 5000,
        available_cents: 1200,
    };
    Some(match token {
        "tok_bad_amount" => invalid("amount_cents", "must be positive"),
        "tok_bad_currency" => invalid("currency", "must be three letters"),
        "tok_busy" => busy(30),
        "tok_busy_briefly" => busy(2),
        "tok_poor" => poor("acct_9"),
        "tok_poor_too" => poor("acct_4"),
        "tok_unknown" | "tok_lost" => ChargeError::UnknownCard {
            token: token.into(),
        },
        _ => return None,
    })
}

#[tonic::async_trait]
impl PaymentService for Exercise {
    async fn charge(
        &self,
        request: Request<ChargeRequest>,
    ) -> Result<Response<ChargeResponse>, Status> {
        let charge = request.into_inner();
        match error_for(&charge.source_token) {
            Some(error) => Err(to_status(&error)),
            None => Ok(Response::new(ChargeResponse {
                transaction_id: "ex-1".into(),
                status: 1,
            })),
        }
    }

    type WatchEventsStream = ReceiverStream<Result<Event, Status>>;

    async fn watch_events(
        &self,
        request: Request<WatchRequest>,
    ) -> Result<Response<Self::WatchEventsStream>, Status> {
        let WatchRequest { count, interval_ms } = request.into_inner();
        Ok(Response::new(crate::stream::events(
            count,
            interval_ms,
            self.counters.clone(),
        )))
    }

    async fn batch_import(
        &self,
        _: Request<Streaming<ImportRecord>>,
    ) -> Result<Response<ImportSummary>, Status> {
        Err(Status::unimplemented("not part of the exercises"))
    }

    type ChatStream = ReceiverStream<Result<ChatMessage, Status>>;

    async fn chat(
        &self,
        _: Request<Streaming<ChatMessage>>,
    ) -> Result<Response<Self::ChatStream>, Status> {
        Err(Status::unimplemented("not part of the exercises"))
    }
}

/// Starts the exercise service on a free port; returns the running server
/// (dropping it stops the server) and your stream's counters.
pub async fn serve() -> (RunningServer, Arc<Counters>) {
    let counters = Arc::new(Counters::default());
    let exercise = Exercise {
        counters: counters.clone(),
    };
    let server = lab_grpc::server::spawn_service(exercise)
        .await
        .expect("the exercise server starts on 127.0.0.1");
    (server, counters)
}
