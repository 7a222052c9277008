//! Scenario `topics`: which subscriptions hear which topics.
//!
//! Five messages are published — a temperature, a humidity, a command to a
//! valve, one on the bare `greenhouse` level, and one on a topic that starts
//! with `$` — and four subscribers with different filters report what
//! reached them. Broad filters are convenient and catch more than intended:
//! a dashboard on `greenhouse/#` receives the valve's commands too. And no
//! filter that starts with a wildcard receives `$` topics, which brokers
//! keep for themselves (`$SYS/...`) [MQTT-4.7.2-1].

use labkit::cli::{Need, Scenario};
use labkit::report::{Report, Table};

use crate::client::{self, Subscriber};
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- topics` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "topics",
    "four subscriptions, five topics: who hears what",
    "a broad filter catches commands it was not meant for; no wildcard reaches a $ topic",
)
.needs(&[Need::Mosquitto]);

/// The topics the scenario publishes on, in order.
pub const TOPICS: [&str; 5] = [
    "greenhouse/7/temperature",
    "greenhouse/7/humidity",
    "greenhouse/7/commands/valve",
    "greenhouse",
    "$lab/uptime",
];

/// The filters the subscribers use.
pub const FILTERS: [&str; 4] = ["greenhouse/+/temperature", "greenhouse/#", "#", "$lab/#"];

// ANCHOR: reach
/// For each filter, the topics whose messages reached its subscriber.
pub async fn reach(broker: &Broker) -> anyhow::Result<Vec<(&'static str, Vec<String>)>> {
    let mut subs = Vec::new();
    for (i, filter) in FILTERS.iter().enumerate() {
        subs.push(
            Subscriber::start(
                client::options(&format!("topics-{i}"), broker.addr()),
                filter,
                1,
            )
            .await?,
        );
    }
    let (publisher, mut events, _) =
        client::connect(client::options("topics-pub", broker.addr())).await?;
    for topic in TOPICS {
        client::publish_and_wait(&publisher, &mut events, topic, 1, false, topic.into()).await?;
    }
    let mut out = Vec::new();
    for (filter, mut sub) in FILTERS.iter().zip(subs) {
        // A fence on a topic this filter matches ends its listening.
        let fence = filter.replace(['+', '#'], "fence");
        client::publish_and_wait(&publisher, &mut events, &fence, 1, false, b"fence".to_vec())
            .await?;
        let got = sub.until(b"fence").await?;
        let topics = got[..got.len() - 1]
            .iter()
            .map(|p| p.topic.clone())
            .collect();
        out.push((*filter, topics));
        sub.disconnect().await;
    }
    Ok(out)
}
// ANCHOR_END: reach

/// The `topics` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.broker().await?;
    let reach = reach(broker).await?;
    let mut table = Table::new(
        "Who hears what",
        &["filter", "messages received (by topic)"],
    );
    for (filter, topics) in &reach {
        table.row([filter.to_string(), topics.join(", ")]);
    }
    table.note(
        "greenhouse/# also delivers the valve's commands; # delivers everything except $ topics",
    );
    let mut report = Report::new(crate::LAB, "topics");
    report.table(table);
    for (filter, topics) in &reach {
        report.value(filter, topics);
    }
    Ok(report)
}
