//! Wrong: the deadline is only set on the request, so the call ends with whatever tonic reports (CANCELLED), not DEADLINE_EXCEEDED.

use std::time::Duration;

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
    request.set_timeout(deadline);
    client.charge(request).await.map(|r| r.into_inner())
}
