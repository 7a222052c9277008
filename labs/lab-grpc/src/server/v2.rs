//! A server built from version 2 of the schema, for the `evolution`
//! scenario: it sets the new response field, remembers the new request field
//! as it read it, sends event ids as strings (the breaking change), and
//! implements the new `Refund` method.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::task::JoinHandle;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::{Request, Response, Status, Streaming};

use super::payments::async_stream;
use crate::proto::v2::payment_service_server::{PaymentService, PaymentServiceServer};
use crate::proto::v2::{
    ChargeRequest, ChargeResponse, ChargeStatus, ChatMessage, Event, ImportRecord, ImportSummary,
    RefundRequest, WatchRequest,
};

/// What the v2 server read from the charges it received.
#[derive(Debug, Default)]
pub struct Seen {
    /// `ChargeRequest.description` of every charge, as decoded.
    pub descriptions: Mutex<Vec<String>>,
}

#[derive(Clone)]
struct PaymentsV2 {
    seen: Arc<Seen>,
}

type BoxStream<T> = super::payments::BoxStream<T>;

#[tonic::async_trait]
impl PaymentService for PaymentsV2 {
    async fn charge(
        &self,
        request: Request<ChargeRequest>,
    ) -> Result<Response<ChargeResponse>, Status> {
        let charge = request.into_inner();
        self.seen
            .descriptions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(charge.description);
        Ok(Response::new(ChargeResponse {
            transaction_id: "v2-tx-1".into(),
            status: ChargeStatus::Success as i32,
            fee_cents: 35,
        }))
    }

    type WatchEventsStream = BoxStream<Event>;

    async fn watch_events(
        &self,
        request: Request<WatchRequest>,
    ) -> Result<Response<Self::WatchEventsStream>, Status> {
        let count = request.into_inner().count.max(1);
        Ok(Response::new(async_stream(move |tx| async move {
            for i in 1..=count {
                let event = Event {
                    id: format!("evt_{i:08}"),
                    kind: "charge.succeeded".into(),
                };
                if tx.send(Ok(event)).await.is_err() {
                    return;
                }
            }
        })))
    }

    async fn batch_import(
        &self,
        _: Request<Streaming<ImportRecord>>,
    ) -> Result<Response<ImportSummary>, Status> {
        Err(Status::unimplemented("not in this scenario"))
    }

    type ChatStream = BoxStream<ChatMessage>;

    async fn chat(
        &self,
        _: Request<Streaming<ChatMessage>>,
    ) -> Result<Response<Self::ChatStream>, Status> {
        Err(Status::unimplemented("not in this scenario"))
    }

    async fn refund(
        &self,
        request: Request<RefundRequest>,
    ) -> Result<Response<ChargeResponse>, Status> {
        Ok(Response::new(ChargeResponse {
            transaction_id: request.into_inner().transaction_id,
            status: ChargeStatus::Success as i32,
            fee_cents: 0,
        }))
    }
}

/// A running version-2 server; dropping it stops the server.
pub struct RunningV2 {
    pub addr: SocketAddr,
    pub seen: Arc<Seen>,
    task: JoinHandle<()>,
}

impl Drop for RunningV2 {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a version-2 server on a free port of 127.0.0.1.
pub async fn spawn() -> anyhow::Result<RunningV2> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let seen = Arc::new(Seen::default());
    let service = PaymentServiceServer::new(PaymentsV2 { seen: seen.clone() });
    let task = tokio::spawn(async move {
        let _ = tonic::transport::Server::builder()
            .add_service(service)
            .serve_with_incoming(TcpListenerStream::new(listener))
            .await;
    });
    Ok(RunningV2 { addr, seen, task })
}
