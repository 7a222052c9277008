//! Wrong: the fields are renumbered in a tidier order (currency next to id), so old and new peers disagree about what field 2 and field 3 hold.

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
    #[prost(string, tag = "2")]
    pub currency: String,
    #[prost(int64, tag = "3")]
    pub amount_cents: i64,
}
