//! Scenario `transports` (being written).

use labkit::cli::Scenario;
use labkit::report::Report;

use crate::Lab;

/// The scenario, as `cargo run -p lab-zeromq -- transports` runs it.
pub const SCENARIO: Scenario = Scenario::tour("transports", "being written", "");

/// Runs the scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    Ok(Report::new(crate::LAB, SCENARIO.name))
}
