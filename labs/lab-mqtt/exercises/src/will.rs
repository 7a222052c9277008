//! Exercise `mqtt-will`: a device whose dashboard learns it went offline,
//! even a dashboard that opens after the device died.
//!
//! [`device_options`] builds the options a greenhouse sensor connects with.
//! Make them such that when the sensor vanishes without a word (power cut,
//! radio gone), a dashboard subscribed to `greenhouse/<id>/status` receives
//! `offline` — and so does a dashboard that subscribes afterwards. Also
//! make the broker notice within a few seconds: the grader waits at most
//! 20 seconds after the sensor's last packet.
//!
//! The sensor publishes `online` (retained) itself once connected; the
//! grader does that part.
//!
//! Grade it: `cargo exercises grade mqtt-will`.

use std::net::SocketAddr;
use std::time::Duration;

use rumqttc::MqttOptions;

/// The topic a sensor's liveness is published on.
pub fn status_topic(id: &str) -> String {
    format!("greenhouse/{id}/status")
}

// ANCHOR: starter
/// The options sensor `id` connects to the broker at `addr` with.
pub fn device_options(id: &str, addr: SocketAddr) -> MqttOptions {
    let mut options = MqttOptions::new(id, addr.ip().to_string(), addr.port());
    // TODO: a will, and a keep-alive short enough to be noticed in time.
    options.set_keep_alive(Duration::from_secs(60));
    options
}
// ANCHOR_END: starter
