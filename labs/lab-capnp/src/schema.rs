//! The generated code the lab uses: Cap'n Proto's from `schema/*.capnp`,
//! produced by `capnpc` at build time, and FlatBuffers' from
//! `schema/payments.fbs`, produced by planus and checked in under
//! `generated/` (the lab's README.md says why; `tests/generated.rs` checks
//! it is current).

#![allow(clippy::all, missing_docs, unused_qualifications)]

/// `schema/payments.capnp`: the payment messages.
pub mod payments_capnp {
    include!(concat!(env!("OUT_DIR"), "/payments_capnp.rs"));
}

/// `schema/bank.capnp`: the bank's interfaces.
pub mod bank_capnp {
    include!(concat!(env!("OUT_DIR"), "/bank_capnp.rs"));
}

/// `schema/evolution.capnp`: later (and broken) versions of `Charge`.
pub mod evolution_capnp {
    include!(concat!(env!("OUT_DIR"), "/evolution_capnp.rs"));
}

/// `schema/payments.fbs`, compiled by `planus rust -o generated/payments_fbs.rs
/// schema/payments.fbs` (planus-cli 1.3.0). planus writes `unsafe` blocks
/// into the code it generates (its buffer writers); this generated module is
/// the one place in the lab where they are allowed.
#[allow(unsafe_code)]
pub mod payments_fbs {
    include!("../generated/payments_fbs.rs");
}

/// `schema/evolution.fbs`: later (and broken) versions of the FlatBuffers
/// `Charge`, compiled by `planus rust -o generated/evolution_fbs.rs
/// schema/evolution.fbs` (planus-cli 1.3.0).
#[allow(unsafe_code)]
pub mod evolution_fbs {
    include!("../generated/evolution_fbs.rs");
}
