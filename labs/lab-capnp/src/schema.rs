//! The Rust code `capnpc` generated from `schema/*.capnp` at build time.

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
