//! Grading tests for `mqtt-request`: a real Mosquitto, and the lab's valve
//! controller, which sends a decoy answer before the real one.

use lab_mqtt::Lab;
use lab_mqtt::mqtt5::valve_controller;
use lab_mqtt_exercises::request::ask;
use labkit::grade::expect;

#[tokio::test]
async fn the_answer_is_the_one_that_carries_your_correlation_data() {
    let lab = Lab::for_tests();
    let broker = lab
        .broker()
        .await
        .expect("an MQTT broker (install mosquitto)");
    let controller = valve_controller(broker.addr()).await.unwrap();
    let answer = ask(broker.addr(), 3, "open").await;
    expect(
        matches!(&answer, Ok(a) if a == "valve 3: open done"),
        "ask(3, \"open\") returns the controller's answer \"valve 3: open done\", not the decoy",
        answer.as_ref().map_err(|e| e.to_string()),
    );
    let again = ask(broker.addr(), 5, "close").await;
    expect(
        matches!(&again, Ok(a) if a == "valve 5: close done"),
        "a second request gets its own answer",
        again.as_ref().map_err(|e| e.to_string()),
    );
    controller.abort();
}
