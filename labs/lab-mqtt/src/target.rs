//! Where the lab's broker comes from, and how scenarios reach it.
//!
//! Every scenario talks to a real MQTT broker. `cargo run` takes one from
//! labkit (your `MQTT_URL`, the service on port 1883, a private Mosquitto,
//! or a container); only when none of those is available does it start
//! rumqttd, a broker written in Rust, inside the lab's own process, and it
//! says so, because a few of Mosquitto's behaviours (its keep-alive timer,
//! its ACL file) are Mosquitto's, not MQTT's. Tests always use a real
//! Mosquitto, private when they restart it.

use std::net::SocketAddr;

use anyhow::Context;
use labkit::broker::{self, Broker, Kind};

use crate::embedded;

/// The broker the scenarios talk to.
pub struct Target {
    addr: SocketAddr,
    /// What it is, for the report headers: "Mosquitto (private, 2.0.11)".
    pub describe: String,
    broker: Option<Broker>,
    _embedded: Option<embedded::Embedded>,
}

impl Target {
    /// A broker for a test: `MQTT_URL`, else a private Mosquitto (never the
    /// shared service a reader may be running).
    pub async fn for_tests() -> anyhow::Result<Target> {
        let broker = broker::mosquitto().await?;
        Ok(Target::from_broker(broker))
    }

    /// A broker for `cargo run`: labkit's order, then the embedded rumqttd.
    pub async fn for_cargo_run() -> anyhow::Result<Target> {
        match broker::for_cargo_run(Kind::Mosquitto).await {
            Ok(broker) => Ok(Target::from_broker(broker)),
            Err(broker::BrokerError::NotFound { .. }) => {
                let target = Target::embedded()?;
                eprintln!(
                    "note: no Mosquitto here (install it with `sudo apt-get install mosquitto` \
                     or set MQTT_URL); using rumqttd, a Rust broker embedded in this lab, on {}. \
                     Scenarios that need Mosquitto are skipped.",
                    target.addr
                );
                Ok(target)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// rumqttd, started inside this process: the last resort.
    pub fn embedded() -> anyhow::Result<Target> {
        let embedded = embedded::Embedded::start()
            .context("no MQTT broker found, and the embedded rumqttd did not start")?;
        Ok(Target {
            addr: embedded.addr,
            describe: "rumqttd (embedded in the lab)".into(),
            broker: None,
            _embedded: Some(embedded),
        })
    }

    /// Wraps a broker labkit found.
    pub fn from_broker(broker: Broker) -> Target {
        Target {
            addr: broker.addr(),
            describe: format!("Mosquitto at {} ({})", broker.addr(), broker.source()),
            broker: Some(broker),
            _embedded: None,
        }
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Whether this is a private broker the lab may stop and restart.
    pub fn is_restartable(&self) -> bool {
        self.broker
            .as_ref()
            .is_some_and(|b| matches!(b.source(), broker::Source::Private))
    }

    /// Whether this is Mosquitto (not the embedded rumqttd).
    pub fn is_mosquitto(&self) -> bool {
        self.broker.is_some()
    }

    /// The TLS listener's port, for a broker started with one.
    pub fn tls_port(&self) -> Option<u16> {
        self.broker.as_ref().and_then(|b| b.extra_port("tls"))
    }

    /// The private broker, to stop or restart it.
    pub fn broker_mut(&mut self) -> anyhow::Result<&mut Broker> {
        let restartable = self.is_restartable();
        match self.broker.as_mut() {
            Some(b) if restartable => Ok(b),
            _ => anyhow::bail!(
                "this scenario restarts its broker, and {} is not a private one; unset MQTT_URL so the lab can start its own Mosquitto",
                self.describe
            ),
        }
    }

    /// A private Mosquitto with extra configuration, for the TLS and ACL
    /// scenarios and for tests that restart it.
    pub async fn private(options: broker::Options) -> anyhow::Result<Target> {
        Ok(Target::from_broker(
            broker::private(Kind::Mosquitto, options).await?,
        ))
    }
}
