//! The broker a scenario talks to: its address, what it is, and — for a
//! private Mosquitto — the means to stop and start it again.
//!
//! Where the broker comes from is [`crate::Lab`]'s business; this handle is
//! what the Lab hands out. Restarting goes through `&self` (a lock inside),
//! so a scenario that restarts the broker shares it like any other.

use std::net::SocketAddr;

use anyhow::Context;
use labkit::broker::{self, Kind, Options};
use tokio::sync::Mutex;

use crate::embedded::Embedded;

/// A running MQTT broker: a Mosquitto labkit found or started, or the
/// rumqttd embedded in the lab.
pub struct Broker {
    addr: SocketAddr,
    describe: String,
    /// `Some` for Mosquitto: the labkit handle, locked while it restarts.
    mosquitto: Option<Mutex<broker::Broker>>,
    restartable: bool,
    tls_port: Option<u16>,
    _embedded: Option<Embedded>,
}

/// The user and password of the reader's `MQTT_URL`, if it had them.
///
/// Every MQTT connection the lab makes is built from an address alone (often
/// the recording proxy's), so the login the reader gave is kept here once,
/// when the broker is found, and added by [`crate::client::options`].
static LOGIN: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();

/// The login from `MQTT_URL`, for a client's CONNECT.
pub fn login() -> Option<(&'static str, &'static str)> {
    LOGIN.get().map(|(u, p)| (u.as_str(), p.as_str()))
}

impl Broker {
    /// Wraps a Mosquitto labkit found or started.
    pub fn from_labkit(broker: broker::Broker) -> Broker {
        if matches!(broker.source(), broker::Source::Env { .. }) {
            let c = broker.credentials();
            if let Some(user) = &c.user {
                let _ = LOGIN.set((user.clone(), c.password.clone().unwrap_or_default()));
            }
        }
        Broker {
            addr: broker.addr(),
            describe: format!("Mosquitto at {} ({})", broker.addr(), broker.source()),
            restartable: matches!(broker.source(), broker::Source::Private),
            tls_port: broker.extra_port("tls"),
            mosquitto: Some(Mutex::new(broker)),
            _embedded: None,
        }
    }

    /// rumqttd, started inside this process: the last resort.
    pub fn embedded() -> anyhow::Result<Broker> {
        let embedded = Embedded::start()
            .context("no MQTT broker found, and the embedded rumqttd did not start")?;
        Ok(Broker {
            addr: embedded.addr,
            describe: "rumqttd (embedded in the lab)".into(),
            mosquitto: None,
            restartable: false,
            tls_port: None,
            _embedded: Some(embedded),
        })
    }

    /// A private Mosquitto on a free port with extra configuration: for the
    /// TLS and ACL scenarios, and for whatever restarts its broker.
    pub async fn private(options: Options) -> anyhow::Result<Broker> {
        Ok(Broker::from_labkit(
            broker::private(Kind::Mosquitto, options).await?,
        ))
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What it is, for headings and report titles: "Mosquitto at … (private)".
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// Whether this is Mosquitto (not the embedded rumqttd).
    pub fn is_mosquitto(&self) -> bool {
        self.mosquitto.is_some()
    }

    /// Whether this is a private broker the lab may stop and restart.
    pub fn is_restartable(&self) -> bool {
        self.restartable
    }

    /// The TLS listener's port, for a broker started with one.
    pub fn tls_port(&self) -> Option<u16> {
        self.tls_port
    }

    /// Stops the broker cleanly (SIGTERM: Mosquitto writes its store) and
    /// starts it again on the same port and data directory.
    pub async fn restart(&self) -> anyhow::Result<()> {
        self.restartable()?.lock().await.restart().await?;
        Ok(())
    }

    /// Kills the broker (SIGKILL: no chance to save anything) and starts it
    /// again on the same port and data directory.
    pub async fn crash_and_start(&self) -> anyhow::Result<()> {
        let mut broker = self.restartable()?.lock().await;
        broker.kill().await?;
        broker.start().await?;
        Ok(())
    }

    fn restartable(&self) -> anyhow::Result<&Mutex<broker::Broker>> {
        match &self.mosquitto {
            Some(b) if self.restartable => Ok(b),
            _ => anyhow::bail!(
                "this scenario restarts its broker, and {} is not a private one; unset MQTT_URL so the lab can start its own Mosquitto",
                self.describe
            ),
        }
    }
}
