//! lab-capnp: Chapter 7's lab, "Cap'n Proto and the binary frontier".
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`sizes`] | `sizes` | "The same charge, five ways" |
//! | [`zerocopy`] | `zerocopy` | "Reading without decoding" |
//! | [`readtime`] | `readtime` | "Reading without decoding" (a benchmark) |
//! | [`layout`] | `layout` | "One charge, word by word" |
//! | [`pipeline`] | `pipeline` | "Three calls, one round trip" |
//!
//! Each scenario is one file named as you type it, declaring its `SCENARIO`
//! and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`.

pub mod bank;
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
    zerocopy::SCENARIO,
    readtime::SCENARIO,
    layout::SCENARIO,
    pipeline::SCENARIO,
];
