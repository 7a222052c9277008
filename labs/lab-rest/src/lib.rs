//! lab-rest: Chapter 1's lab, "The default we never questioned".
//!
//! Plain HTTP with JSON bodies is the baseline every later chapter is compared
//! with, so this lab measures what that baseline costs on your machine, against
//! a real axum server and a real HTTP client, with labkit's proxy counting the
//! bytes and connections in between.
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`server`] | the API every scenario talks to | "The lab's server" |
//! | [`anatomy`] | `bytes` | "What one request weighs" |
//! | [`keepalive`] | `keepalive` | "Connections are not free" |
//! | [`multiplex`] | `multiplex` | "Six lanes or one motorway" |
//! | [`json_cost`] | `json` | "The price of text" |
//! | [`polling`] | `polling` | "Waiting for news" |
//! | [`idempotency`] | `idempotency` | "Retrying a POST safely" |
//! | [`caching`] | `caching` | "What HTTP gives you for free: caching" |
//!
//! Every scenario is a `pub async fn run(&Target) -> anyhow::Result<Report>`
//! (plus smaller functions the tests call); the binary, the tests and the book
//! all use the same code.

pub mod anatomy;
pub mod caching;
pub mod client;
pub mod idempotency;
pub mod json_cost;
pub mod keepalive;
pub mod model;
pub mod multiplex;
pub mod polling;
pub mod server;
pub mod target;

pub use target::Target;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-rest";
