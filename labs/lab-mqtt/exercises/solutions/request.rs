//! Reference solution for `mqtt-request`.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Packet, PublishProperties};
use rumqttc::v5::{AsyncClient, Event, MqttOptions};

// ANCHOR: solution
/// Sends `command` to valve `valve` through the broker at `addr` and
/// returns the controller's answer.
pub async fn ask(addr: SocketAddr, valve: u32, command: &str) -> anyhow::Result<String> {
    let options = MqttOptions::new("operator", addr.ip().to_string(), addr.port());
    let (client, mut events) = AsyncClient::new(options, 10);
    // A reply topic of our own; subscribed before the request leaves, or
    // a quick answer could arrive before anyone listens.
    let reply_topic = "replies/operator".to_string();
    client.subscribe(&reply_topic, QoS::AtLeastOnce).await?;
    let correlation = Bytes::from(format!("valve-{valve}-{command}-1"));
    let properties = PublishProperties {
        response_topic: Some(reply_topic),
        correlation_data: Some(correlation.clone()),
        ..Default::default()
    };
    let mut sent = false;
    let wait = async {
        loop {
            match events.poll().await? {
                Event::Incoming(Packet::SubAck(_)) if !sent => {
                    sent = true;
                    client
                        .publish_with_properties(
                            format!("valves/{valve}/commands"),
                            QoS::AtLeastOnce,
                            false,
                            command.to_string(),
                            properties.clone(),
                        )
                        .await?;
                }
                Event::Incoming(Packet::Publish(p)) => {
                    let theirs = p.properties.and_then(|p| p.correlation_data);
                    if theirs.as_ref() == Some(&correlation) {
                        return Ok::<_, anyhow::Error>(
                            String::from_utf8_lossy(&p.payload).into_owned(),
                        );
                    }
                    // Someone else's answer: not ours to take.
                }
                _ => {}
            }
        }
    };
    let answer = tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .context("no answer within 10 s")??;
    let _ = client.disconnect().await;
    Ok(answer)
}
// ANCHOR_END: solution
