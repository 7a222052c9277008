//! Wrong: the client gives up on time but never tells the server, so no `grpc-timeout` header is sent.

use std::time::Duration;

use lab_grpc::proto::v1::payment_service_client::PaymentServiceClient;
use lab_grpc::proto::v1::{ChargeRequest, ChargeResponse};
use tonic::transport::Channel;
use tonic::{Request, Status};

/// Calls `Charge` with `deadline`.
pub async fn charge_within(
    client: &mut PaymentServiceClient<Channel>,
    request: Request<ChargeRequest>,
    deadline: Duration,
) -> Result<ChargeResponse, Status> {
    match tokio::time::timeout(deadline, client.charge(request)).await {
        Ok(answer) => answer.map(|r| r.into_inner()),
        Err(_) => Err(Status::deadline_exceeded(format!(
            "no answer within {deadline:?}"
        ))),
    }
}
