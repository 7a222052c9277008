//! Connecting to the lab's server: one place for the URL and the errors.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use tonic::transport::{Channel, Endpoint};

use crate::proto::v1::payment_service_client::PaymentServiceClient;

/// An endpoint for a plain-text (h2c) gRPC server at `addr`.
pub fn endpoint(addr: SocketAddr) -> Endpoint {
    Endpoint::from_shared(format!("http://{addr}"))
        .expect("an http:// URL made from a socket address is valid")
        .connect_timeout(Duration::from_secs(5))
}

/// Connects one channel (one HTTP/2 connection) to `addr`.
pub async fn channel(addr: SocketAddr) -> anyhow::Result<Channel> {
    endpoint(addr).connect().await.with_context(|| {
        format!("cannot connect to a gRPC server at {addr}: is it running? (`cargo run -p lab-grpc -- serve` starts one)")
    })
}

/// A version-1 payment client on a fresh connection to `addr`.
pub async fn payments(addr: SocketAddr) -> anyhow::Result<PaymentServiceClient<Channel>> {
    Ok(PaymentServiceClient::new(channel(addr).await?))
}

/// A request with `x-hold-ms` metadata: the server works that long.
pub fn held<T>(message: T, hold: Duration) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.metadata_mut().insert(
        "x-hold-ms",
        hold.as_millis()
            .to_string()
            .parse()
            .expect("digits are valid metadata"),
    );
    request
}

// ANCHOR: deadline
/// Runs `call` with a deadline and ends it DEADLINE_EXCEEDED when the time
/// is up, the code gRPC's status-code document gives an expired deadline.
/// The caller's request must carry the deadline too
/// (`Request::set_timeout`, which sends it as `grpc-timeout`).
///
/// tonic 0.14 already holds that deadline at both ends: its channel reads
/// the request's own `grpc-timeout` header and gives up when it expires, and
/// its server drops the handler at about the same moment. Both report the expiry
/// as CANCELLED ("Timeout expired"). This wrapper runs its own timer beside
/// them (dropping the call resets its HTTP/2 stream) and reads any failure
/// that arrives after the deadline as the deadline's, so a call that has
/// not answered by its deadline ends DEADLINE_EXCEEDED, whichever timer
/// fired first.
pub async fn with_deadline<T>(
    deadline: Duration,
    call: impl std::future::Future<Output = Result<T, tonic::Status>>,
) -> Result<T, tonic::Status> {
    let started = std::time::Instant::now();
    let expired = || {
        tonic::Status::deadline_exceeded(format!(
            "no answer within the {} ms deadline",
            deadline.as_millis()
        ))
    };
    // ANCHOR: deadline_match
    match tokio::time::timeout(deadline, call).await {
        // tonic's own timers (client and server) fire at about the same
        // moment and end the call CANCELLED: past the deadline, any failure is the
        // deadline's.
        Ok(Err(_)) if started.elapsed() >= deadline => Err(expired()),
        Ok(answer) => answer,
        Err(_) => Err(expired()),
    }
    // ANCHOR_END: deadline_match
}
// ANCHOR_END: deadline
