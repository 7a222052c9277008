//! Wrong: `currency` takes over field number 3, freed by `note`, so an old peer reads every currency as a note.

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

/// Version 2: `note` is gone, `currency` is new.
#[derive(Clone, PartialEq, prost::Message)]
pub struct OrderV2 {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(int64, tag = "2")]
    pub amount_cents: i64,
    #[prost(string, tag = "3")]
    pub currency: String,
}
