//! Exercise `grpc-deadline`: set a deadline, and honour it.
//!
//! Make `charge_within` give the call `deadline` and no more:
//! - tell the server, so it can stop working when the time is up (gRPC sends
//!   the deadline as the `grpc-timeout` request header);
//! - give up on the client side when the time is up, and end the call
//!   with `DEADLINE_EXCEEDED`, whatever tonic itself would have said.
//!
//! A call that answers in time must still succeed.

use std::time::Duration;

use lab_grpc::proto::v1::payment_service_client::PaymentServiceClient;
use lab_grpc::proto::v1::{ChargeRequest, ChargeResponse};
use tonic::transport::Channel;
use tonic::{Request, Status};

// ANCHOR: starter
/// Calls `Charge` with `deadline`.
pub async fn charge_within(
    client: &mut PaymentServiceClient<Channel>,
    request: Request<ChargeRequest>,
    deadline: Duration,
) -> Result<ChargeResponse, Status> {
    let _ = deadline; // TODO: use it
    client.charge(request).await.map(|r| r.into_inner())
}
// ANCHOR_END: starter
