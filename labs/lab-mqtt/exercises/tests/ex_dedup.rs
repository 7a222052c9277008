//! Grading tests for `mqtt-dedup`: readings published at QoS 1 through a
//! proxy that cuts the PUBACK, so a real Mosquitto delivers some twice;
//! then copies that arrive behind newer readings, as a resend after a
//! reconnect does.

use domain::Reading;
use lab_mqtt::client::{self, Subscriber};
use lab_mqtt::{Lab, cuts};
use lab_mqtt_exercises::dedup::Dedup;
use labkit::grade::{expect, expect_eq};
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

#[test]
fn a_copy_is_refused_even_after_newer_readings() {
    // A copy does not always follow its original at once: a message resent
    // after a reconnect arrives behind whatever was sent meanwhile, by this
    // sensor and by others. Readings 1 and 17 come from the same sensor
    // (greenhouse-1) a few seconds apart; reading 2 from another one.
    let json = |n: u64| serde_json::to_vec(&Reading::sample(n)).unwrap();
    let mut dedup = Dedup::new();
    let verdicts: Vec<bool> = [1, 2, 17, 1, 2, 17, 18]
        .map(|n| dedup.accept(&json(n)))
        .to_vec();
    expect_eq(
        verdicts,
        vec![true, true, true, false, false, false, true],
        "readings 1, 2, 17 are accepted, their later copies refused, and reading 18 accepted",
    );
}
