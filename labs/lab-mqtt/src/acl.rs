//! Scenario `acl`: a publish the broker's access list forbids, as MQTT
//! 3.1.1 and MQTT 5 report it.
//!
//! Authorisation per topic is not part of MQTT: every broker configures it
//! its own way. Mosquitto reads a password file and an ACL file. Here
//! `sensor-7` may write only under `greenhouse/7/`, and `dashboard` may
//! read everything under `greenhouse/`. The sensor then publishes, at
//! QoS 1, where it may not. MQTT 3.1.1's PUBACK has no field to say "no",
//! so the sensor is told nothing; MQTT 5's PUBACK carries a reason code.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use labkit::broker::Options;
use labkit::cli::{Need, Scenario};
use labkit::report::{Report, Table};
use rumqttc::v5;
use rumqttc::v5::mqttbytes::QoS as QoS5;
use rumqttc::v5::mqttbytes::v5::{Packet as Packet5, PubAckReason};

use crate::client::{self, Subscriber};
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- acl` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "acl",
    "a publish the broker's ACL forbids, over MQTT 3.1.1 and MQTT 5 (private Mosquitto)",
    "MQTT 3.1.1 acknowledges it as if nothing happened; MQTT 5 says why it was refused",
)
.needs(&[Need::Mosquitto]);

/// The password both users get in this throwaway broker.
const PASSWORD: &str = "lab-secret";

/// What each attempt came to.
#[derive(Debug, Clone)]
pub struct Denied {
    /// MQTT 3.1.1: the sensor's forbidden publish was acknowledged anyway.
    pub v311_acknowledged: bool,
    /// MQTT 5: the reason code in the PUBACK of the forbidden publish.
    pub v5_reason: String,
    /// Forbidden publishes the dashboard received (from both).
    pub delivered: usize,
    /// A wrong password at CONNECT: the error the client reported.
    pub wrong_password: String,
}

/// A private Mosquitto with two users and an ACL, files under `dir`.
pub async fn broker_with_acl(lab: &Lab, dir: &Path) -> anyhow::Result<Broker> {
    let passwd = dir.join("passwd");
    for (i, user) in ["sensor-7", "dashboard"].iter().enumerate() {
        let mut cmd = Command::new("mosquitto_passwd");
        cmd.arg("-b");
        if i == 0 {
            cmd.arg("-c");
        }
        let out = cmd.arg(&passwd).args([user, PASSWORD]).output().context(
            "cannot run mosquitto_passwd; install it with `sudo apt-get install mosquitto`",
        )?;
        if !out.status.success() {
            bail!(
                "mosquitto_passwd failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
    }
    // ANCHOR: acl_file
    let acl = dir.join("acl");
    std::fs::write(
        &acl,
        "user sensor-7\ntopic write greenhouse/7/#\n\nuser dashboard\ntopic read greenhouse/#\n",
    )
    .context("cannot write the ACL file")?;
    lab.private_broker(
        Options::new()
            .config_line("allow_anonymous false")
            .config_line(format!("password_file {}", passwd.display()))
            .config_line(format!("acl_file {}", acl.display())),
    )
    .await
    // ANCHOR_END: acl_file
}

async fn v5_forbidden_publish(broker: &Broker) -> anyhow::Result<String> {
    let addr = broker.addr();
    let mut o = v5::MqttOptions::new("sensor-7-v5", addr.ip().to_string(), addr.port());
    o.set_credentials("sensor-7", PASSWORD);
    let (c, mut events) = v5::AsyncClient::new(o, 10);
    c.publish("greenhouse/8/readings", QoS5::AtLeastOnce, false, "21.5")
        .await?;
    let wait = async {
        loop {
            if let v5::Event::Incoming(Packet5::PubAck(ack)) = events.poll().await? {
                return Ok::<_, anyhow::Error>(ack.reason);
            }
        }
    };
    let reason = tokio::time::timeout(client::PATIENCE, wait)
        .await
        .context("no PUBACK for the MQTT 5 publish")??;
    let _ = c.disconnect().await;
    Ok(match reason {
        PubAckReason::NotAuthorized => "Not authorized (0x87)".into(),
        other => format!("{other:?}"),
    })
}

// ANCHOR: denied
/// The sensor publishes where it may not, as MQTT 3.1.1 and as MQTT 5,
/// and once tries a wrong password.
pub async fn denied(lab: &Lab) -> anyhow::Result<Denied> {
    let dir = tempfile::tempdir().context("cannot make a temporary directory")?;
    let broker = broker_with_acl(lab, dir.path()).await?;
    let login = |id: &str, user: &str, password: &str| {
        let mut o = client::options(id, broker.addr());
        o.set_credentials(user, password);
        o
    };
    let mut dashboard =
        Subscriber::start(login("dashboard", "dashboard", PASSWORD), "greenhouse/#", 1).await?;

    let (sensor, mut events, _) = client::connect(login("sensor-7", "sensor-7", PASSWORD)).await?;
    // MQTT 3.1.1: publish_and_wait returns on the PUBACK, which comes anyway.
    let v311_acknowledged = client::publish_and_wait(
        &sensor,
        &mut events,
        "greenhouse/8/readings",
        1,
        false,
        b"21.5".to_vec(),
    )
    .await
    .is_ok();
    let v5_reason = v5_forbidden_publish(&broker).await?;
    client::publish_and_wait(
        &sensor,
        &mut events,
        "greenhouse/7/readings",
        1,
        false,
        b"fence".to_vec(),
    )
    .await?;
    let delivered = dashboard
        .until(b"fence")
        .await?
        .iter()
        .filter(|p| p.topic == "greenhouse/8/readings")
        .count();

    let wrong_password = match client::connect(login("intruder", "sensor-7", "guess")).await {
        Ok(_) => "accepted".to_string(),
        // rumqttc says "Connection refused, return code: `NotAuthorized`".
        Err(e) => {
            let text = format!("{e:#}");
            match text.find("Connection refused") {
                Some(at) => format!("CONNACK: {}", &text[at..]).replace('`', ""),
                None => text,
            }
        }
    };
    Ok(Denied {
        v311_acknowledged,
        v5_reason,
        delivered,
        wrong_password,
    })
}
// ANCHOR_END: denied

/// The `acl` scenario (starts its own private Mosquitto).
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let d = denied(lab).await?;
    let mut table = Table::new(
        "sensor-7, allowed to write only under greenhouse/7/, publishes to greenhouse/8/",
        &["", "what the sensor was told"],
    );
    table.row([
        "MQTT 3.1.1".to_string(),
        if d.v311_acknowledged {
            "PUBACK: nothing wrong, as far as it can tell"
        } else {
            "no PUBACK"
        }
        .to_string(),
    ]);
    table.row([
        "MQTT 5".to_string(),
        format!("PUBACK with reason code {}", d.v5_reason),
    ]);
    table.row(["a wrong password".to_string(), d.wrong_password.clone()]);
    table.note("the publish went to greenhouse/8/readings at QoS 1");
    table.note(format!(
        "the dashboard, allowed to read greenhouse/#, received {} of the forbidden publishes",
        d.delivered
    ));
    let mut report = Report::new(crate::LAB, "acl");
    report.table(table);
    report.value("v311_acknowledged", d.v311_acknowledged);
    report.value("v5_reason", &d.v5_reason);
    report.value("delivered", d.delivered);
    Ok(report)
}
