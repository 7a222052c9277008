//! The one value every lab-mqtt scenario is handed, and where its broker
//! comes from.
//!
//! Every scenario talks to a real MQTT broker. `cargo run` takes one from
//! labkit (your `MQTT_URL`, the service on port 1883, a private Mosquitto,
//! or a container); only when none of those is available does it start
//! rumqttd, a broker written in Rust, inside the lab's own process, and it
//! says so, because a few of Mosquitto's behaviours (its keep-alive timer,
//! its ACL file) are Mosquitto's, not MQTT's. Tests always use a real
//! Mosquitto, private when they restart it.

use labkit::broker::{self, Kind, Options};
use labkit::cli::Need;
use tokio::sync::OnceCell;

use crate::Broker;

/// Where the lab looks for its broker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// labkit's order for `cargo run`, then the embedded rumqttd.
    CargoRun,
    /// `MQTT_URL`, else a private Mosquitto (never a reader's shared one).
    Tests,
    /// rumqttd inside the lab, even if a Mosquitto is at hand (`--embedded`).
    Embedded,
}

/// What lab-mqtt's scenarios share: the broker, found on first use, and
/// private Mosquittos for the scenarios that configure or restart their own.
pub struct Lab {
    place: Place,
    broker: OnceCell<Broker>,
}

impl Lab {
    /// The lab as `cargo run` sets it up: labkit's order, then rumqttd.
    pub fn for_cargo_run() -> Lab {
        Lab::at(Place::CargoRun)
    }

    /// The lab as the tests set it up: `MQTT_URL`, else a private Mosquitto.
    pub fn for_tests() -> Lab {
        Lab::at(Place::Tests)
    }

    /// The lab on rumqttd embedded in its own process (`--embedded`): what a
    /// machine with no broker at all gets.
    pub fn embedded() -> Lab {
        Lab::at(Place::Embedded)
    }

    fn at(place: Place) -> Lab {
        Lab {
            place,
            broker: OnceCell::new(),
        }
    }

    /// The broker the scenarios share, found (or started) on first use.
    pub async fn broker(&self) -> anyhow::Result<&Broker> {
        self.broker.get_or_try_init(|| self.find()).await
    }

    async fn find(&self) -> anyhow::Result<Broker> {
        match self.place {
            Place::Tests => Ok(Broker::from_labkit(broker::mosquitto().await?)),
            Place::Embedded => Broker::embedded(),
            Place::CargoRun => match broker::for_cargo_run(Kind::Mosquitto).await {
                Ok(found) => Ok(Broker::from_labkit(found)),
                Err(broker::BrokerError::NotFound { .. }) => {
                    let embedded = Broker::embedded()?;
                    eprintln!(
                        "note: no Mosquitto here (install it with `sudo apt-get install mosquitto` \
                         or set MQTT_URL); using rumqttd, a Rust broker embedded in this lab, on {}. \
                         Scenarios that need Mosquitto are skipped.",
                        embedded.addr()
                    );
                    Ok(embedded)
                }
                Err(e) => Err(e.into()),
            },
        }
    }

    /// A private Mosquitto of the scenario's own, with extra configuration
    /// (a TLS listener, an ACL), stopped when the value drops.
    pub async fn private_broker(&self, options: Options) -> anyhow::Result<Broker> {
        Broker::private(options).await
    }
}

/// The lab knows which broker it found: when it is the embedded rumqttd,
/// the scenarios that show Mosquitto's behaviour cannot run.
impl labkit::cli::Lab for Lab {
    fn lacks(&self, need: Need) -> Option<String> {
        if need != Need::Mosquitto {
            return need.missing_here();
        }
        let mosquitto = match self.broker.get() {
            Some(broker) => broker.is_mosquitto(),
            None => self.place != Place::Embedded,
        };
        (!mosquitto).then(|| {
            "it needs Mosquitto; rumqttd (embedded) lacks what it shows \
             (install: sudo apt-get install mosquitto)"
                .to_string()
        })
    }
}
