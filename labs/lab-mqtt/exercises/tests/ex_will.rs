//! Grading tests for `mqtt-will`: the sensor connects through labkit's
//! proxy to a real Mosquitto, then the proxy turns into a black hole and the
//! sensor stops running.

use std::time::{Duration, Instant};

use lab_mqtt::Lab;
use lab_mqtt::client::{self, Subscriber};
use lab_mqtt_exercises::will::{device_options, status_topic};
use labkit::grade::expect;
use labkit::wire::Proxy;

#[tokio::test]
async fn dashboards_learn_that_a_silent_sensor_is_offline() {
    let lab = Lab::for_tests();
    let broker = lab
        .broker()
        .await
        .expect("an MQTT broker (install mosquitto)");
    let topic = status_topic("sensor-42");
    let mut early = Subscriber::start(client::options("dashboard-early", broker.addr()), &topic, 1)
        .await
        .unwrap();
    let proxy = Proxy::start(broker.addr()).await.unwrap();
    let (sensor, mut events, _) = client::connect(device_options("sensor-42", proxy.addr()))
        .await
        .unwrap();
    let last_packet = Instant::now();
    client::publish_and_wait(&sensor, &mut events, &topic, 1, true, b"online".to_vec())
        .await
        .unwrap();
    proxy.faults().set_black_hole(true);

    let mut seen = Vec::new();
    while let Some(p) = early
        .next(Duration::from_secs(20).saturating_sub(last_packet.elapsed()))
        .await
    {
        seen.push(String::from_utf8_lossy(&p.payload).into_owned());
        if p.payload.as_ref() == b"offline" {
            break;
        }
    }
    expect(
        seen.last().map(String::as_str) == Some("offline"),
        "a subscribed dashboard receives \"offline\" within 20 s of the sensor's last packet",
        &seen,
    );

    let mut late = Subscriber::start(client::options("dashboard-late", broker.addr()), &topic, 1)
        .await
        .unwrap();
    let first = late.next(Duration::from_secs(5)).await;
    expect(
        first
            .as_ref()
            .is_some_and(|p| p.payload.as_ref() == b"offline" && p.retain),
        "a dashboard that subscribes afterwards receives the retained \"offline\" at once",
        first.map(|p| (String::from_utf8_lossy(&p.payload).into_owned(), p.retain)),
    );
    drop(events);
}
