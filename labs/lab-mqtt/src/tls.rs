//! Scenario `tls`: what encryption adds to MQTT's bytes.
//!
//! A private Mosquitto gets a second listener that speaks TLS, with a
//! certificate authority and a server certificate made for this run
//! ([`labkit::tls::Throwaway`]), so nothing on disk can expire. The same
//! client connects and publishes
//! the same readings through labkit's proxy on the plain listener and on the
//! TLS one; the proxy counts the bytes — it cannot read the TLS ones, and
//! does not need to.

use anyhow::Context;
use domain::Reading;
use labkit::broker::Options;
use labkit::cli::{Need, Scenario};
use labkit::report::{Report, Table};
use labkit::tls::Throwaway;
use labkit::wire::{Direction, Proxy};
use rumqttc::{TlsConfiguration, Transport};

use crate::client;
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- tls` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "tls",
    "the same client and readings without and with TLS (private Mosquitto, throwaway certificates)",
    "the handshake is paid once per connection; every PUBLISH then pays a record header and tag",
)
.needs(&[Need::Mosquitto]);

// ANCHOR: certs
/// Makes a CA and a server certificate for `127.0.0.1` and `localhost`,
/// valid from now on (nothing is checked in, so nothing expires in the
/// repo), in files that are removed when the value drops.
pub fn make_certs() -> anyhow::Result<Throwaway> {
    Throwaway::new("lab-mqtt throwaway CA", &["127.0.0.1", "localhost"])
}

/// A private Mosquitto with a plain listener and a TLS listener (port
/// named `tls`) that reads the certificate files of `certs`.
pub async fn broker_with_tls(lab: &Lab, certs: &Throwaway) -> anyhow::Result<Broker> {
    lab.private_broker(
        // ANCHOR: listener
        Options::new()
            .port("tls")
            .config_line("listener {port:tls} 127.0.0.1")
            .config_line(format!("cafile {}", certs.ca_file().display()))
            .config_line(format!("certfile {}", certs.cert_file().display()))
            .config_line(format!("keyfile {}", certs.key_file().display())),
        // ANCHOR_END: listener
    )
    .await
}
// ANCHOR_END: certs

/// Bytes one client used, as the proxy counted them.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    /// Until the CONNACK was read: TCP payload both ways.
    pub connect_bytes: u64,
    /// Client → server bytes per QoS 1 PUBLISH of one reading.
    pub publish_bytes: u64,
}

/// Connects through a proxy to `port` (TLS when `ca_pem` is given),
/// publishes `count` readings at QoS 1, and counts the bytes.
pub async fn usage(port: u16, ca_pem: Option<&str>, count: u64) -> anyhow::Result<Usage> {
    let proxy = Proxy::start(([127, 0, 0, 1], port).into()).await?;
    let mut options = client::options("tls-sensor", proxy.addr());
    if let Some(ca) = ca_pem {
        options.set_transport(Transport::tls_with_config(TlsConfiguration::Simple {
            ca: ca.as_bytes().to_vec(),
            alpn: None,
            client_auth: None,
        }));
    }
    let (c, mut events, _) = client::connect(options).await?;
    let connect_bytes = proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient);
    let before = proxy.bytes(Direction::ToServer);
    for n in 0..count {
        let reading = serde_json::to_vec(&Reading::sample(n))?;
        client::publish_and_wait(&c, &mut events, crate::bytes::TOPIC, 1, false, reading).await?;
    }
    let publish_bytes = (proxy.bytes(Direction::ToServer) - before) / count;
    let _ = c.disconnect().await;
    Ok(Usage {
        connect_bytes,
        publish_bytes,
    })
}

/// Plain and TLS, side by side, on one private Mosquitto.
pub async fn compare(lab: &Lab) -> anyhow::Result<(Usage, Usage)> {
    let certs = make_certs()?;
    let broker = broker_with_tls(lab, &certs).await?;
    let tls_port = broker.tls_port().context("the broker has no TLS port")?;
    let plain = usage(broker.addr().port(), None, 10).await?;
    let tls = usage(tls_port, Some(certs.ca_pem()), 10).await?;
    Ok((plain, tls))
}

/// The `tls` scenario (needs Mosquitto installed: it starts a private one).
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let (plain, tls) = compare(lab).await?;
    let mut table = Table::new(
        "The same client, the same readings, without and with TLS",
        &["", "plain MQTT", "MQTT over TLS", "difference"],
    );
    table.row([
        "bytes until CONNACK (both ways)".to_string(),
        plain.connect_bytes.to_string(),
        tls.connect_bytes.to_string(),
        format!("+{}", tls.connect_bytes - plain.connect_bytes),
    ]);
    table.row([
        "bytes per QoS 1 PUBLISH (client → server)".to_string(),
        plain.publish_bytes.to_string(),
        tls.publish_bytes.to_string(),
        format!("+{}", tls.publish_bytes.saturating_sub(plain.publish_bytes)),
    ]);
    table.note("the handshake carries the server's certificate chain once per connection; each record then adds a header and an authentication tag");
    let mut report = Report::new(crate::LAB, "tls");
    report.table(table);
    report.value("plain_connect_bytes", plain.connect_bytes);
    report.value("tls_connect_bytes", tls.connect_bytes);
    report.value("plain_publish_bytes", plain.publish_bytes);
    report.value("tls_publish_bytes", tls.publish_bytes);
    Ok(report)
}
