//! Plumbing for the exercises: a payment service whose `WatchEvents` is
//! your [`crate::stream::events`] and whose `Charge` fails with your
//! [`crate::errors::to_status`], on a real port. Nothing to edit here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use lab_grpc::proto::v1::payment_service_server::{PaymentService, PaymentServiceServer};
use lab_grpc::proto::v1::{
    ChargeRequest, ChargeResponse, ChatMessage, Event, ImportRecord, ImportSummary, WatchRequest,
};
use tokio_stream::wrappers::{ReceiverStream, TcpListenerStream};
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
/// the request's `source_token`.
pub fn error_for(token: &str) -> Option<ChargeError> {
    Some(match token {
        "tok_bad_amount" => ChargeError::Invalid {
            field: "amount_cents".into(),
            why: "must be positive".into(),
        },
        "tok_busy" => ChargeError::RateLimited {
            retry_after: std::time::Duration::from_secs(30),
        },
        "tok_poor" => ChargeError::InsufficientFunds {
            account: "acct_9".into(),
            needed_cents: 5000,
            available_cents: 1200,
        },
        "tok_unknown" => ChargeError::UnknownCard {
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

/// Starts the exercise service on a free port; returns where, and its counters.
pub async fn serve() -> (SocketAddr, Arc<Counters>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let addr = listener.local_addr().expect("a bound address");
    let counters = Arc::new(Counters::default());
    let service = PaymentServiceServer::new(Exercise {
        counters: counters.clone(),
    });
    tokio::spawn(async move {
        let _ = tonic::transport::Server::builder()
            .add_service(service)
            .serve_with_incoming(TcpListenerStream::new(listener))
            .await;
    });
    (addr, counters)
}
