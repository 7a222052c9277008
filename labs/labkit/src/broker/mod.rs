//! A real message broker for every lab: Mosquitto (MQTT), RabbitMQ (AMQP
//! 0-9-1), NATS with JetStream, or Redis — from wherever one can be had.
//!
//! The places, tried in order:
//!
//! 1. **The reader's own**, named by `MQTT_URL`, `AMQP_URL`, `NATS_URL` or
//!    `REDIS_URL`. A malformed value is an error, not a fall-through: the
//!    reader asked for that broker.
//! 2. **The shared service on the standard port** (1883, 5672, 4222, 6379),
//!    only for a lab's `cargo run` ([`for_cargo_run`]); tests never use it.
//! 3. **A private instance** of the installed program ([`private()`]): free
//!    ports, its own temporary data directory, stopped and removed when the
//!    [`Broker`] drops, and never outliving the process that started it.
//! 4. **A container**, when a Docker engine answers (feature `docker`).
//! 5. Otherwise a one-line [`BrokerError::NotFound`] naming the package to
//!    install, the variable to set, or Docker to start.
//!
//! | file | what it holds |
//! |---|---|
//! | `find.rs` | the order above, and the error when everything fails |
//! | `handle.rs` | [`Broker`]: where to connect; stop, start, kill, pause |
//! | `private.rs` | a private instance: ports, data directory, restart in place |
//! | `cluster.rs`, `cluster/` | N private nodes joined into one cluster, faults by node |
//! | `process.rs` | its processes as one group, and the watchdog |
//! | `ready.rs` | waiting for a real protocol answer |
//! | `docker.rs` | the Docker engine check and the container |
//! | `recipe.rs` | what each kind must say about itself |
//! | `mosquitto.rs`, `rabbitmq.rs`, `nats.rs`, `redis.rs`, `postgres.rs` | one kind each: config file, command line, probe |
//! | `url.rs`, `lookup.rs`, `options.rs`, `error.rs` | the reader's URL, the environment, extra config, errors |
//! | `credentials.rs` | who to log in as, and masking the password in everything printed |
//!
//! ## Credentials
//!
//! A URL's user, password, NATS token, AMQP vhost and Redis database reach
//! the broker: labkit's probe logs in with them (a refusal is
//! [`BrokerError::Refused`], said once), and the [`Broker`] hands them on
//! through [`Broker::url`] (whole, for the client only) and
//! [`Broker::endpoint`] (parsed). Everything labkit prints — errors,
//! `Debug`, [`Broker`]'s `Display`, [`Broker::masked_url`] — shows the
//! password as `***`. How a lab passes them on:
//!
//! ```no_run
//! # async fn demo(broker: labkit::broker::Broker) {
//! // rumqttc takes host, port and credentials apart:
//! let e = broker.endpoint();
//! // let mut options = rumqttc::MqttOptions::new("lab", &e.host, e.port);
//! if let Some(user) = &e.credentials.user {
//!     let password = e.credentials.password.clone().unwrap_or_default();
//!     // options.set_credentials(user, password);
//! #   let _ = (user, password);
//! }
//! // lapin, async-nats and redis take the URL whole (vhost, token, database included):
//! // lapin::Connection::connect(broker.url(), lapin::ConnectionProperties::default())
//! // async_nats::connect(broker.url())
//! // redis::Client::open(broker.url())
//! println!("using {broker}"); // prints the URL with `***` for the password
//! # }
//! ```
//!
//! ```no_run
//! # async fn demo() -> Result<(), labkit::broker::BrokerError> {
//! use labkit::broker::{self, Kind, Options};
//! // A lab's `cargo run`: any broker will do.
//! let mqtt = broker::for_cargo_run(Kind::Mosquitto).await?;
//! println!("connect to {}", mqtt.url());
//! // A test that restarts its broker: a private one only.
//! let mut redis = broker::private(Kind::Redis, Options::new().config_line("appendonly yes")).await?;
//! redis.restart().await?;
//! # Ok(()) }
//! ```

mod cluster;
mod credentials;
#[cfg(feature = "docker")]
mod docker;
mod error;
mod find;
mod handle;
mod lookup;
mod mosquitto;
mod nats;
mod options;
pub(crate) mod ports;
pub(crate) mod postgres;
pub(crate) mod private;
pub(crate) mod process;
mod rabbitmq;
mod ready;
pub(crate) mod recipe;
mod redis;
mod url;

pub use cluster::{Cluster, Node, cluster};
pub use credentials::{Credentials, Endpoint, mask};
pub use error::BrokerError;
pub use find::{Finder, Place};
pub use handle::{Broker, Source};
pub use lookup::{Lookup, PROGRAMS_VAR};
pub use options::Options;

use recipe::Recipe;

/// The kinds of broker labkit can provide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Eclipse Mosquitto, an MQTT 3.1.1/5 broker.
    Mosquitto,
    /// RabbitMQ, an AMQP 0-9-1 broker (streams and MQTT through plugins).
    RabbitMq,
    /// NATS, with JetStream enabled.
    Nats,
    /// Redis, for its pub/sub and streams.
    Redis,
    /// PostgreSQL, with a logical write-ahead log (Chapter 9's reactive
    /// queries). Not in [`Kind::ALL`]: it is a database, not a broker.
    Postgres,
}

impl Kind {
    /// Every kind, for listings and loops.
    pub const ALL: [Kind; 4] = [Kind::Mosquitto, Kind::RabbitMq, Kind::Nats, Kind::Redis];

    /// The recipe that runs this kind; a new kind adds one line here.
    pub(crate) fn recipe(self) -> &'static dyn Recipe {
        match self {
            Kind::Mosquitto => &mosquitto::Mosquitto,
            Kind::RabbitMq => &rabbitmq::RabbitMq,
            Kind::Nats => &nats::Nats,
            Kind::Redis => &redis::Redis,
            Kind::Postgres => &postgres::Postgres,
        }
    }

    /// The protocol readers know it by: "MQTT", "AMQP", "NATS", "Redis".
    pub fn protocol(self) -> &'static str {
        self.recipe().facts().protocol
    }

    /// The environment variable that points labkit at the reader's broker.
    pub fn env_var(self) -> &'static str {
        self.recipe().facts().env_var
    }

    /// A correct value for that variable.
    pub fn example_url(self) -> &'static str {
        self.recipe().facts().example_url
    }

    /// The port the service usually listens on.
    pub fn standard_port(self) -> u16 {
        self.recipe().facts().standard_port
    }

    /// The program a private instance runs.
    pub fn program(self) -> &'static str {
        self.recipe().facts().program
    }

    /// The Debian/Ubuntu package that installs that program.
    pub fn apt_package(self) -> &'static str {
        self.recipe().facts().apt_package
    }

    /// The container image (`name:tag`) used when Docker answers.
    pub fn image(self) -> String {
        let (name, tag) = self.recipe().facts().image;
        format!("{name}:{tag}")
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Mosquitto => "Mosquitto",
            Kind::RabbitMq => "RabbitMQ",
            Kind::Nats => "NATS",
            Kind::Redis => "Redis",
            Kind::Postgres => "PostgreSQL",
        })
    }
}

/// An MQTT broker for a test: `MQTT_URL`, else a private Mosquitto, else a
/// container, else an error saying what to install.
pub async fn mosquitto() -> Result<Broker, BrokerError> {
    Finder::new(Kind::Mosquitto).find().await
}

/// An AMQP broker for a test: `AMQP_URL`, else a private RabbitMQ, else a
/// container. A private RabbitMQ costs ~5 CPU-seconds: share one where you can.
pub async fn rabbitmq() -> Result<Broker, BrokerError> {
    Finder::new(Kind::RabbitMq).find().await
}

/// A NATS server with JetStream for a test: `NATS_URL`, else private, else a container.
pub async fn nats() -> Result<Broker, BrokerError> {
    Finder::new(Kind::Nats).find().await
}

/// A Redis for a test: `REDIS_URL`, else private, else a container.
pub async fn redis() -> Result<Broker, BrokerError> {
    Finder::new(Kind::Redis).find().await
}

/// A private PostgreSQL for a test: always private (the lessons need
/// `wal_level = logical`, which a shared server seldom has).
pub async fn postgres(options: Options) -> Result<Broker, BrokerError> {
    private(Kind::Postgres, options).await
}

/// A private instance and nothing else, for tests that stop, restart,
/// crash, pause or fill their broker, or need [`Options`].
pub async fn private(kind: Kind, options: Options) -> Result<Broker, BrokerError> {
    Finder::new(kind)
        .places(&[Place::Private])
        .options(options)
        .find()
        .await
}

/// A broker for a lab's `cargo run`: the reader's URL, else the service
/// already on the standard port, else private, else a container.
pub async fn for_cargo_run(kind: Kind) -> Result<Broker, BrokerError> {
    Finder::for_cargo_run(kind).find().await
}
