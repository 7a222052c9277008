//! Reference solution for `mqtt-will`.

use std::net::SocketAddr;
use std::time::Duration;

use rumqttc::{LastWill, MqttOptions, QoS};

/// The topic a sensor's liveness is published on.
pub fn status_topic(id: &str) -> String {
    format!("greenhouse/{id}/status")
}

// ANCHOR: solution
/// The options sensor `id` connects to the broker at `addr` with.
pub fn device_options(id: &str, addr: SocketAddr) -> MqttOptions {
    let mut options = MqttOptions::new(id, addr.ip().to_string(), addr.port());
    // The broker must give up after 1.5 x keep-alive of silence; Mosquitto
    // 2.0.11 checks only every few seconds: with 2 s it published the will
    // after about 4.5-8 s here.
    options.set_keep_alive(Duration::from_secs(2));
    // Retained, so a dashboard that subscribes later still sees it; QoS 1
    // so the broker's delivery of it is acknowledged.
    options.set_last_will(LastWill::new(
        status_topic(id),
        "offline",
        QoS::AtLeastOnce,
        true,
    ));
    options
}
// ANCHOR_END: solution
