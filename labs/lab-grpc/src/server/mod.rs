//! The lab's payment service (schema version 1), as a real tonic server on
//! a real socket: what every scenario calls.
//!
//! [`Options`] switch on what some scenarios need — a stream limit, a size
//! limit, gRPC-Web for browsers, server reflection — and [`Stats`] count what
//! the server saw, so tests can check the server's side of a claim (calls
//! handled, calls in flight at once, calls cancelled under it).

pub mod fixtures;
mod payments;
pub mod v2;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_stream::wrappers::TcpListenerStream;
use tower::Layer;

use crate::proto::v1::payment_service_server::{PaymentService, PaymentServiceServer};

pub use payments::Payments;

/// What the server saw, counted as it happened.
#[derive(Debug, Default)]
pub struct Stats {
    /// Calls whose handler started, of any kind.
    pub calls: AtomicU64,
    /// Calls in their handler right now.
    pub in_flight: AtomicU64,
    /// The most calls ever in their handlers at once.
    pub max_in_flight: AtomicU64,
    /// Handlers dropped before they finished: the client went away or its
    /// deadline passed, and tonic stopped the handler.
    pub cancelled: AtomicU64,
    /// Handlers that ran to their end.
    pub completed: AtomicU64,
}

impl Stats {
    /// Reads a counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::SeqCst)
    }
}

/// Which optional parts the server runs with.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `SETTINGS_MAX_CONCURRENT_STREAMS` the server announces (tonic's
    /// default leaves it to h2, which announces none).
    pub max_concurrent_streams: Option<u32>,
    /// The largest request message the server decodes (tonic: 4 MiB).
    pub max_request_bytes: Option<usize>,
    /// A name the server reports in every answer, to tell backends apart.
    pub name: String,
    /// Server reflection (the `grpc.reflection.v1` service).
    pub reflection: bool,
}

/// A server running on a background task; dropping it stops the server.
pub struct RunningServer {
    pub addr: SocketAddr,
    /// What the lab's handlers counted (zero for a service of your own).
    pub stats: Arc<Stats>,
    task: JoinHandle<()>,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the service on a free port of 127.0.0.1.
pub async fn spawn(options: Options) -> anyhow::Result<RunningServer> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot listen on 127.0.0.1")?;
    spawn_on(listener, options).await
}

/// Serves the lab's payment service on `listener` in the background.
pub async fn spawn_on(listener: TcpListener, options: Options) -> anyhow::Result<RunningServer> {
    let stats = Arc::new(Stats::default());
    let payments = Payments::new(&options.name, stats.clone());
    serve(listener, payments, stats, &options)
}

/// Serves `payments` — any implementation of the service, such as an
/// exercise's — on a free port of 127.0.0.1, the way [`spawn`] serves the
/// lab's own. Its [`Stats`] stay at zero: only the lab's handlers count.
pub async fn spawn_service<S: PaymentService>(payments: S) -> anyhow::Result<RunningServer> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot listen on 127.0.0.1")?;
    serve(listener, payments, Arc::default(), &Options::default())
}

// ANCHOR: serve
/// Serves `payments` on `listener` in the background. HTTP/1.1 is accepted
/// too, for gRPC-Web (which tonic-web translates); gRPC itself is HTTP/2.
fn serve<S: PaymentService>(
    listener: TcpListener,
    payments: S,
    stats: Arc<Stats>,
    options: &Options,
) -> anyhow::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let mut service = PaymentServiceServer::new(payments);
    if let Some(max) = options.max_request_bytes {
        service = service.max_decoding_message_size(max);
    }
    // ANCHOR: builder
    let mut builder = tonic::transport::Server::builder()
        .accept_http1(true)
        .max_concurrent_streams(options.max_concurrent_streams);
    // ANCHOR_END: builder
    let reflection = options
        .reflection
        .then(|| {
            tonic_reflection::server::Builder::configure()
                .register_encoded_file_descriptor_set(crate::proto::v1::DESCRIPTOR_SET)
                .build_v1()
        })
        .transpose()
        .context("cannot build the reflection service from the descriptor set")?;
    // ANCHOR: router
    let router = builder
        .add_service(tonic_web::GrpcWebLayer::new().layer(service))
        .add_optional_service(reflection);
    // ANCHOR_END: router
    let incoming = TcpListenerStream::new(listener);
    let task = tokio::spawn(async move {
        let _ = router.serve_with_incoming(incoming).await;
    });
    Ok(RunningServer { addr, stats, task })
}
// ANCHOR_END: serve
