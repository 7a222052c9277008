//! Wrong: the requester listens on a reply topic but never names it in the request (no response topic property), so the controller does not know where to answer.

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
    client
        .subscribe("replies/operator", QoS::AtLeastOnce)
        .await?;
    let correlation = Bytes::from(format!("valve-{valve}-{command}"));
    let properties = PublishProperties {
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
