//! The Rust code prost-build and twirp-build generated from
//! `proto/payments.proto` at build time (see `build.rs`): the messages
//! `ChargeRequest` and `Charge`, the `Payments` trait a server implements,
//! its `router`, and the client methods on `twirp::client::Client`.

#![allow(missing_docs, clippy::all)]

include!(concat!(env!("OUT_DIR"), "/payments.v1.rs"));
