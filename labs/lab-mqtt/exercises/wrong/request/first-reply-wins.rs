//! Wrong: the first message on the reply topic is taken as the answer, whoever's correlation data it carries.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Packet, PublishProperties};
use rumqttc::v5::{AsyncClient, Event, MqttOptions};

// ANCHOR: starter
/// Sends `command` to valve `valve` through the broker at `addr` and
/// returns the controller's answer.
pub async fn ask(addr: SocketAddr, valve: u32, command: &str) -> anyhow::Result<String> {
    let options = MqttOptions::new("operator", addr.ip().to_string(), addr.port());
    let (client, mut events) = AsyncClient::new(options, 10);
    let reply_topic = "replies/operator".to_string();
    client.subscribe(&reply_topic, QoS::AtLeastOnce).await?;
    let properties = PublishProperties {
        response_topic: Some(reply_topic),
        correlation_data: Some(Bytes::from(format!("valve-{valve}-{command}"))),
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
                    return Ok::<_, anyhow::Error>(
                        String::from_utf8_lossy(&p.payload).into_owned(),
                    );
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
// ANCHOR_END: starter
