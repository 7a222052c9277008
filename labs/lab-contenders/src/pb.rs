//! The protobuf messages of the lab, declared with prost's derive macro so
//! no `.proto` build step is needed for the size comparisons. Each field
//! carries the tag number a `.proto` file would give it; Twirp's service
//! (`proto/payments.proto`) is built from the same shape.

/// `message Charge { string charge_id = 1; int64 amount_cents = 2; string currency = 3; }`
#[derive(Clone, PartialEq, prost::Message)]
pub struct Charge {
    #[prost(string, tag = "1")]
    pub charge_id: String,
    #[prost(int64, tag = "2")]
    pub amount_cents: i64,
    #[prost(string, tag = "3")]
    pub currency: String,
}
