//! Wrong: the will goes to a topic of its own (`greenhouse/<id>/will`), not the status topic the dashboards watch.

use std::net::SocketAddr;
use std::time::Duration;

use rumqttc::{LastWill, MqttOptions, QoS};

/// The topic a sensor's liveness is published on.
pub fn status_topic(id: &str) -> String {
    format!("greenhouse/{id}/status")
}

// ANCHOR: starter
/// The options sensor `id` connects to the broker at `addr` with.
pub fn device_options(id: &str, addr: SocketAddr) -> MqttOptions {
    let mut options = MqttOptions::new(id, addr.ip().to_string(), addr.port());
    options.set_keep_alive(Duration::from_secs(2));
    options.set_last_will(LastWill::new(
        format!("greenhouse/{id}/will"),
        "offline",
        QoS::AtLeastOnce,
        true,
    ));
    options
}
// ANCHOR_END: starter
