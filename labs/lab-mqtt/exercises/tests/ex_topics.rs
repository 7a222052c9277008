//! Grading tests for `mqtt-topics`: the rules from the specification, then
//! the same questions put to a real Mosquitto.

use std::time::Duration;

use lab_mqtt::Lab;
use lab_mqtt::client::{self, Subscriber};
use lab_mqtt_exercises::topics::matches;
use labkit::grade::expect;

const CASES: &[(&str, &str, bool)] = &[
    ("greenhouse/7/temperature", "greenhouse/7/temperature", true),
    (
        "greenhouse/7/temperature",
        "greenhouse/8/temperature",
        false,
    ),
    ("greenhouse/+/temperature", "greenhouse/7/temperature", true),
    ("greenhouse/+/temperature", "greenhouse/7/humidity", false),
    ("greenhouse/+", "greenhouse/7/temperature", false),
    ("greenhouse/#", "greenhouse/7/temperature", true),
    ("greenhouse/#", "greenhouse", true),
    ("greenhouse/#", "greenhouses/7", false),
    ("#", "greenhouse/7/temperature", true),
    ("+/+", "/finance", true),
    ("+", "/finance", false),
    ("a/+/c", "a//c", true),
    ("#", "$SYS/broker/uptime", false),
    ("+/broker/uptime", "$SYS/broker/uptime", false),
    ("$SYS/#", "$SYS/broker/uptime", true),
];

#[test]
fn filters_match_as_the_specification_says() {
    for &(filter, topic, want) in CASES {
        expect(
            matches(filter, topic) == want,
            &format!(
                "filter {filter:?} {} topic {topic:?}",
                if want { "matches" } else { "does not match" }
            ),
            matches(filter, topic),
        );
    }
}

#[tokio::test]
async fn your_answers_agree_with_a_real_broker() {
    let lab = Lab::for_tests();
    let broker = lab
        .broker()
        .await
        .expect("an MQTT broker (install mosquitto)");
    let topics = [
        "lab/greenhouse/7/temperature",
        "lab/greenhouse/7/humidity",
        "lab/greenhouse",
        "lab/greenhouses/7",
        "lab//x",
    ];
    let filters = [
        "lab/greenhouse/+/temperature",
        "lab/greenhouse/#",
        "lab/+/+",
        "lab/+/x",
        "lab/#",
    ];
    for (i, filter) in filters.iter().enumerate() {
        let mut sub = Subscriber::start(
            client::options(&format!("topics-{i}"), broker.addr()),
            filter,
            1,
        )
        .await
        .unwrap();
        let (publisher, mut events, _) =
            client::connect(client::options(&format!("topics-pub-{i}"), broker.addr()))
                .await
                .unwrap();
        for topic in topics {
            client::publish_and_wait(&publisher, &mut events, topic, 1, false, topic.into())
                .await
                .unwrap();
        }
        // A fence on a topic this filter matches ends the listening.
        let fence = filter.replace(['+', '#'], "f");
        client::publish_and_wait(&publisher, &mut events, &fence, 1, false, b"fence".to_vec())
            .await
            .unwrap();
        let mut got = Vec::new();
        while let Some(p) = sub.next(Duration::from_secs(20)).await {
            if p.payload.as_ref() == b"fence" {
                break;
            }
            got.push(p.topic.clone());
        }
        for topic in topics {
            let broker_says = got.iter().any(|t| t == topic);
            expect(
                matches(filter, topic) == broker_says,
                &format!(
                    "like Mosquitto, filter {filter:?} {} topic {topic:?}",
                    if broker_says {
                        "matches"
                    } else {
                        "does not match"
                    }
                ),
                matches(filter, topic),
            );
        }
    }
}
