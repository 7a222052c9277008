//! lab-grpc: Chapter 2's lab, "gRPC: HTTP/2 in a convincing costume".
//!
//! A payment service built from `proto/v1/payments.proto` with tonic and
//! prost (compiled by protox in `build.rs`, no `protoc` needed), called
//! through labkit's recording proxy so every claim is read off the wire.
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`server`] | the service every scenario calls | "The lab's service" |
//! | [`wire`] | `wire` | "A call, frame by frame" |
//! | [`kinds`] | `kinds` | "Four kinds of call" |
//! | [`multiplex`] | `multiplex` | "One connection, many calls" |
//! | [`deadline`] | `deadline` | "Deadlines and cancellation" |
//! | [`status`] | `status` | "Seventeen ways to end a call" |
//! | [`evolution`] | `evolution` | "Changing the schema" |
//! | [`balance`] | `balance` | "The load-balancing trap" |
//! | [`browser`] | `browser` | "Browsers and gRPC-Web" |
//! | [`reflection`] | `reflection` | "Tooling: reflection" |
//! | [`protobuf`] | `protobuf` | "Protobuf against JSON" |
//!
//! Each scenario is one file named as you type it, declaring its
//! `SCENARIO` and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`
//! (plus smaller functions the tests call); the binary, the tests and the
//! book all use the same code. [`Lab`] hands the scenarios what they share
//! (Chapter 1's server, a headless Chromium); [`calls`] reads gRPC calls back
//! out of HTTP/2 frames; [`client`] connects to the service; [`l4`] is a tiny
//! connection-level balancer.

pub mod balance;
pub mod browser;
pub mod calls;
pub mod client;
pub mod deadline;
pub mod evolution;
pub mod kinds;
pub mod l4;
mod lab;
pub mod multiplex;
pub mod proto;
pub mod protobuf;
pub mod reflection;
pub mod server;
pub mod status;
pub mod wire;

pub use lab::Lab;

use labkit::cli::Scenario;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-grpc";

/// Every scenario, in the order of the tour and the chapter.
pub const SCENARIOS: &[Scenario] = &[
    wire::SCENARIO,
    kinds::SCENARIO,
    multiplex::SCENARIO,
    deadline::SCENARIO,
    status::SCENARIO,
    evolution::SCENARIO,
    balance::SCENARIO,
    browser::SCENARIO,
    reflection::SCENARIO,
    protobuf::SCENARIO,
];
