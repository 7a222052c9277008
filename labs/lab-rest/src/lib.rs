//! lab-rest: Chapter 1's lab, "The default we never questioned".
//!
//! Plain HTTP with JSON bodies is the baseline every later chapter is compared
//! with, so this lab measures what that baseline costs on your machine, against
//! a real axum server and a real HTTP client, with labkit's proxy counting the
//! bytes and connections in between.
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`bytes`] | `bytes` | "What one request weighs" |
//! | [`keepalive`] | `keepalive` | "Connections are not free" |
//! | [`multiplex`] | `multiplex` | "Six lanes or one motorway" |
//! | [`json`] | `json` | "The price of text" (a benchmark) |
//! | [`polling`] | `polling` | "Waiting for news" |
//! | [`idempotency`] | `idempotency` | "Retrying a POST safely" |
//! | [`caching`] | `caching` | "What HTTP gives you for free: caching" |
//!
//! Each scenario is one file named as you type it, declaring its
//! `SCENARIO` and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`
//! (plus smaller functions the tests call); the binary, the tests and the
//! book all use the same code. [`Lab`] hands the scenarios the server they
//! talk to; [`server`] is that server; [`client`] makes HTTP/1.1 connections
//! by hand so that every connection is counted. Later chapters compare
//! themselves with this one through [`baseline`] only.

pub mod baseline;
pub mod bytes;
pub mod caching;
pub mod client;
pub mod idempotency;
pub mod json;
pub mod keepalive;
mod lab;
pub mod multiplex;
pub mod polling;
pub mod server;
pub mod target;

pub use lab::Lab;
pub use target::Target;

use labkit::cli::Scenario;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-rest";

/// Every scenario, in the order of the tour and the chapter.
pub const SCENARIOS: &[Scenario] = &[
    bytes::SCENARIO,
    keepalive::SCENARIO,
    multiplex::SCENARIO,
    json::SCENARIO,
    polling::SCENARIO,
    idempotency::SCENARIO,
    caching::SCENARIO,
];
