//! Reference solution for `grpc-evolve`.

/// Version 1, already deployed. Do not change it.
#[derive(Clone, PartialEq, prost::Message)]
pub struct OrderV1 {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(int64, tag = "2")]
    pub amount_cents: i64,
    #[prost(string, tag = "3")]
    pub note: String,
}

// ANCHOR: solution
/// Version 2: `note` is gone, `currency` is new. Field 3 stays retired (in
/// a .proto: `reserved 3; reserved "note";`), so no old peer ever reads the
/// currency as a note.
#[derive(Clone, PartialEq, prost::Message)]
pub struct OrderV2 {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(int64, tag = "2")]
    pub amount_cents: i64,
    #[prost(string, tag = "4")]
    pub currency: String,
}
// ANCHOR_END: solution
