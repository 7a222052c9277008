//! Wrong: the `grpc-timeout` header is written by hand with the milliseconds under the unit `S`, so the server is told 150 s for a 150 ms deadline.

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
    let header = format!("{}S", deadline.as_millis());
    request.metadata_mut().insert(
        "grpc-timeout",
        header
            .parse()
            .expect("digits and a unit are valid metadata"),
    );
    let started = Instant::now();
    let expired = || Status::deadline_exceeded(format!("no answer within {deadline:?}"));
    match tokio::time::timeout(deadline, client.charge(request)).await {
        Ok(Ok(answer)) => Ok(answer.into_inner()),
        Ok(Err(_)) if started.elapsed() >= deadline => Err(expired()),
        Ok(Err(status)) => Err(status),
        Err(_) => Err(expired()),
    }
}
