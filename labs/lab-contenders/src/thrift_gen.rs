//! The Rust code the `thrift` compiler generated from
//! `schema/payments.thrift` at build time (see `build.rs`): the structs
//! `ChargeRequest`, `Charge` and `Refused`, and the `Payments` service's
//! client, handler trait and processor.

#![allow(
    unused_imports,
    unused_extern_crates,
    clippy::all,
    clippy::pedantic,
    missing_docs
)]

include!(concat!(env!("OUT_DIR"), "/payments.rs"));
