//! Exercise `mqtt-request`: ask a valve controller to do something and
//! wait for *its* answer, over MQTT 5.
//!
//! MQTT has no requests and responses, only messages. MQTT 5 gives the
//! pattern two standard properties: the request names a **response topic**
//! where the answer should go, and carries **correlation data** that the
//! responder copies into its answer, so the requester can tell its answer
//! from any other message on that topic.
//!
//! The valve controller listens on `valves/<n>/commands` (payload: the
//! command, e.g. `open`). Make [`ask`] send the command with a response
//! topic of your own and correlation data, and return the payload of the
//! answer whose correlation data matches — the controller sends a decoy
//! with someone else's correlation data first. Give up with an error after
//! 10 seconds.
//!
//! Grade it: `cargo exercises grade mqtt-request`.

use std::net::SocketAddr;

use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::Packet;
use rumqttc::v5::{AsyncClient, Event, MqttOptions};

// ANCHOR: starter
/// Sends `command` to valve `valve` through the broker at `addr` and
/// returns the controller's answer.
pub async fn ask(addr: SocketAddr, valve: u32, command: &str) -> anyhow::Result<String> {
    let options = MqttOptions::new("operator", addr.ip().to_string(), addr.port());
    let (client, mut events) = AsyncClient::new(options, 10);
    // TODO: subscribe to a reply topic, send the request with a response
    // topic and correlation data, and wait for the matching answer.
    client
        .publish(
            format!("valves/{valve}/commands"),
            QoS::AtLeastOnce,
            false,
            command.to_string(),
        )
        .await?;
    loop {
        if let Event::Incoming(Packet::PubAck(_)) = events.poll().await? {
            return Ok("sent".into());
        }
    }
}
// ANCHOR_END: starter
