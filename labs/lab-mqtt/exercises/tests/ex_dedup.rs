//! Grading tests for `mqtt-dedup`: readings published at QoS 1 through a
//! proxy that cuts the PUBACK, so a real Mosquitto delivers some twice.

use domain::Reading;
use lab_mqtt::client::{self, Subscriber};
use lab_mqtt::{Lab, cuts};
use lab_mqtt_exercises::dedup::Dedup;
use labkit::grade::expect;
use labkit::wire::Direction;

#[tokio::test]
async fn each_reading_is_processed_once_despite_redeliveries() {
    let lab = Lab::for_tests();
    let target = lab
        .broker()
        .await
        .expect("an MQTT broker (install mosquitto)");
    let mut sub = Subscriber::start(
        client::options("dedup-subscriber", target.addr()),
        cuts::TOPIC,
        1,
    )
    .await
    .unwrap();
    let mut dedup = Dedup::new();
    let (mut delivered, mut processed) = (0, 0);
    // Readings 1..=4: the PUBACK is cut at every one of its 4 bytes, so the
    // publisher resends and the broker delivers twice. Readings 5..=6: no cut.
    for n in 1..=6u64 {
        let reading = serde_json::to_vec(&Reading::sample(n)).unwrap();
        if n <= 4 {
            cuts::trial(
                target,
                1,
                false,
                Direction::ToClient,
                n - 1,
                n as usize,
                reading,
            )
            .await
            .unwrap();
        } else {
            let (c, mut events, _) = client::connect(client::options("dedup-plain", target.addr()))
                .await
                .unwrap();
            client::publish_and_wait(&c, &mut events, cuts::TOPIC, 1, false, reading)
                .await
                .unwrap();
            client::publish_and_wait(&c, &mut events, cuts::TOPIC, 1, false, b"fence".to_vec())
                .await
                .unwrap();
        }
        for p in sub.until(b"fence").await.unwrap() {
            if p.payload.as_ref() == b"fence" {
                continue;
            }
            delivered += 1;
            if dedup.accept(&p.payload) {
                processed += 1;
            }
        }
    }
    expect(
        delivered > 6,
        "the broker delivered some readings twice (the test's own check)",
        delivered,
    );
    expect(
        processed == 6,
        "each of the 6 readings is accepted exactly once",
        processed,
    );
    // A new reading with the same temperature as an old one is not a copy.
    let mut same_value = Reading::sample(1);
    same_value.taken_at_ms += 60_000;
    expect(
        dedup.accept(&serde_json::to_vec(&same_value).unwrap()),
        "a later reading with the same value is a new reading",
        false,
    );
    expect(
        !dedup.accept(b"not json"),
        "a payload that is not a reading is refused",
        true,
    );
}
