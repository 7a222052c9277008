//! Exercise `grpc-evolve`: version 2 of a message that version 1 still reads.
//!
//! [`OrderV1`] is deployed: old clients and servers encode and decode it.
//! Version 2 must add a `currency` (a string) and stop using `note`. Write
//! [`OrderV2`] so that
//! - a v1 peer decodes v2 bytes with `id` and `amount_cents` intact, and
//!   does not mistake anything for its `note`;
//! - a v2 peer decodes v1 bytes with `id` and `amount_cents` intact, and an
//!   empty `currency`;
//! - `currency` round-trips between v2 peers.
//!
//! These are hand-written prost messages (what the code generator writes for
//! a `.proto`), so the field numbers are right there in the `tag`s.

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

// ANCHOR: starter
/// Version 2: `note` is gone, `currency` is new.
#[derive(Clone, PartialEq, prost::Message)]
pub struct OrderV2 {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(int64, tag = "2")]
    pub amount_cents: i64,
    // TODO: is this the right number for a new field?
    #[prost(string, tag = "3")]
    pub currency: String,
}
// ANCHOR_END: starter
