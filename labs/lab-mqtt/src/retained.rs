//! Scenario `retained`: the broker keeps the last retained message of a
//! topic and hands it to every new subscriber at once.
//!
//! A dashboard that subscribes sees the current value straight away
//! instead of waiting for the sensor's next reading. Only one message per
//! topic is kept — it is a last value, not a history — and an empty
//! retained message removes it.

use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::client::{self, Subscriber};
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- retained` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "retained",
    "a new subscriber receives the last retained value at once",
    "one value per topic, not a history; an empty retained message clears it",
);

/// The topic the sensor keeps its last temperature on.
pub const TOPIC: &str = "greenhouse/7/temperature";

/// What new subscribers saw, as (payload, retain flag) pairs, each up to a
/// fence message published after they subscribed.
#[derive(Debug, Clone)]
pub struct LastValue {
    /// A subscriber that came after three retained readings.
    pub after_three: Vec<(String, bool)>,
    /// A subscriber that came after the retained value was cleared.
    pub after_clear: Vec<(String, bool)>,
}

async fn newcomer(broker: &Broker, name: &str) -> anyhow::Result<Vec<(String, bool)>> {
    let mut sub = Subscriber::start(client::options(name, broker.addr()), TOPIC, 1).await?;
    let (fence, mut events, _) =
        client::connect(client::options(&format!("{name}-fence"), broker.addr())).await?;
    client::publish_and_wait(&fence, &mut events, TOPIC, 1, false, b"fence".to_vec()).await?;
    let seen = sub.until(b"fence").await?;
    sub.disconnect().await;
    Ok(seen[..seen.len() - 1]
        .iter()
        .map(|p| (String::from_utf8_lossy(&p.payload).into_owned(), p.retain))
        .collect())
}

// ANCHOR: last_value
/// Publishes three retained readings, lets a new subscriber in, then clears
/// the retained value and lets another in.
pub async fn last_value(broker: &Broker) -> anyhow::Result<LastValue> {
    let (sensor, mut events, _) =
        client::connect(client::options("retain-sensor", broker.addr())).await?;
    // ANCHOR: retain_then_clear
    for reading in ["18.0", "18.5", "19.0"] {
        client::publish_and_wait(&sensor, &mut events, TOPIC, 1, true, reading.into()).await?;
    }
    let after_three = newcomer(broker, "retain-dashboard-1").await?;
    // An empty retained payload deletes the topic's retained message.
    client::publish_and_wait(&sensor, &mut events, TOPIC, 1, true, Vec::new()).await?;
    let after_clear = newcomer(broker, "retain-dashboard-2").await?;
    // ANCHOR_END: retain_then_clear
    Ok(LastValue {
        after_three,
        after_clear,
    })
}
// ANCHOR_END: last_value

/// The `retained` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.broker().await?;
    let v = last_value(broker).await?;
    let show = |s: &[(String, bool)]| {
        if s.is_empty() {
            "nothing".to_string()
        } else {
            s.iter()
                .map(|(p, r)| format!("{p} (retain={r})"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut table = Table::new(
        "What a new subscriber receives at once",
        &["subscribed after", "received before any new reading"],
    );
    table.row([
        "three retained readings: 18.0, 18.5, 19.0".to_string(),
        show(&v.after_three),
    ]);
    table.row([
        "an empty retained message".to_string(),
        show(&v.after_clear),
    ]);
    let mut report = Report::new(crate::LAB, "retained");
    report.table(table);
    report.value("after_three", &v.after_three);
    report.value("after_clear", &v.after_clear);
    Ok(report)
}
