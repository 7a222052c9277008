//! Wrong: the server is always told 150 ms, the deadline in the example, instead of the deadline the caller passed.

use std::time::{Duration, Instant};

use lab_grpc::proto::v1::payment_service_client::PaymentServiceClient;
use lab_grpc::proto::v1::{ChargeRequest, ChargeResponse};
use tonic::transport::Channel;
use tonic::{Request, Status};

/// Calls `Charge` with `deadline`.
pub async fn charge_within(
    client: &mut PaymentServiceClient<Channel>,
    mut request: Request<ChargeRequest>,
    deadline: Duration,
) -> Result<ChargeResponse, Status> {
    request.set_timeout(Duration::from_millis(150));
    let started = Instant::now();
    let expired = || Status::deadline_exceeded(format!("no answer within {deadline:?}"));
    match tokio::time::timeout(deadline, client.charge(request)).await {
        Ok(Ok(answer)) => Ok(answer.into_inner()),
        Ok(Err(_)) if started.elapsed() >= deadline => Err(expired()),
        Ok(Err(status)) => Err(status),
        Err(_) => Err(expired()),
    }
}
