//! lab-capnp: Chapter 7's lab, "Cap'n Proto and the binary frontier".
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`sizes`] | `sizes` | "The same charge, seven ways" |
//! | [`layout`] | `layout` | "One charge, word by word" |
//! | [`zerocopy`] | `zerocopy` | "Reading without decoding" |
//! | [`readtime`] | `readtime` | "Reading without decoding" (a benchmark) |
//! | [`codecs`] | `codecs` | "Reading without decoding" (a benchmark) |
//! | [`pipeline`] | `pipeline` | "Three calls, one round trip" |
//! | [`capabilities`] | `capabilities` | "Capabilities: what a client may call" |
//! | [`evolution`] | `evolution` | "Old readers, new writers" |
//!
//! Each scenario is one file named as you type it, declaring its `SCENARIO`
//! and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`; the tests
//! and the book call the same functions. [`formats`] turns the `domain`
//! crate's charges and readings into every format's bytes; [`bank`] is the
//! Cap'n Proto RPC server the RPC scenarios call; [`schema`] holds the code
//! `capnpc` generated from `schema/*.capnp` at build time.

pub mod bank;
pub mod capabilities;
pub mod codecs;
pub mod evolution;
pub mod formats;
mod lab;
pub mod layout;
pub mod pipeline;
pub mod readtime;
pub mod schema;
pub mod sizes;
pub mod zerocopy;

pub use lab::Lab;

use labkit::cli::Scenario;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-capnp";

/// Every scenario, in the order of the tour and the chapter.
pub const SCENARIOS: &[Scenario] = &[
    sizes::SCENARIO,
    layout::SCENARIO,
    zerocopy::SCENARIO,
    readtime::SCENARIO,
    codecs::SCENARIO,
    pipeline::SCENARIO,
    capabilities::SCENARIO,
    evolution::SCENARIO,
];
