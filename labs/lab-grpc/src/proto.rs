//! The code protox and tonic generated from the two versions of the payments
//! schema (`proto/v1`, `proto/v2`), one module each, so a scenario can build
//! an old client and a new server in one program.

/// Version 1 of the schema: what every scenario except `evolution` speaks.
pub mod v1 {
    #![allow(clippy::all, missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/v1/payments.rs"));

    /// The encoded descriptor set of version 1, for server reflection.
    pub const DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/v1/payments_descriptor.bin"));
}

/// Version 2 of the schema: an added field each way, an added method and one
/// field whose type changed.
pub mod v2 {
    #![allow(clippy::all, missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/v2/payments.rs"));
}
