//! Reference solution for `grpc-deadline`.

use std::time::{Duration, Instant};

use lab_grpc::proto::v1::payment_service_client::PaymentServiceClient;
use lab_grpc::proto::v1::{ChargeRequest, ChargeResponse};
use tonic::transport::Channel;
use tonic::{Request, Status};

// ANCHOR: solution
/// Calls `Charge` with `deadline`.
pub async fn charge_within(
    client: &mut PaymentServiceClient<Channel>,
    mut request: Request<ChargeRequest>,
    deadline: Duration,
) -> Result<ChargeResponse, Status> {
    request.set_timeout(deadline); // the server learns it: `grpc-timeout`
    let started = Instant::now();
    let expired = || Status::deadline_exceeded(format!("no answer within {deadline:?}"));
    match tokio::time::timeout(deadline, client.charge(request)).await {
        Ok(Ok(answer)) => Ok(answer.into_inner()),
        // tonic's own timers (its channel's and the server's, both set from
        // the header) report the expiry as CANCELLED: past the deadline, any
        // failure is the deadline's.
        Ok(Err(_)) if started.elapsed() >= deadline => Err(expired()),
        Ok(Err(status)) => Err(status),
        Err(_) => Err(expired()), // dropping the call resets its stream
    }
}
// ANCHOR_END: solution
