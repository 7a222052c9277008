//! [`Broker`]: the handle a lab holds — where to connect, where the broker
//! came from, and, for a broker labkit runs, the levers a lesson pulls:
//! stop and start in place, crash, pause.
//!
//! Dropping the handle ends a private instance and deletes its data
//! directory (or removes the container). A broker from the reader's URL or
//! the shared standard port is only borrowed: labkit never stops it.

use std::net::SocketAddr;
use std::path::Path;

use nix::sys::signal::Signal;

use super::credentials::{Credentials, Endpoint, mask};
use super::private::Private;
use super::{BrokerError, Kind};

/// Where a [`Broker`] came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The reader's URL in this environment variable.
    Env { var: &'static str },
    /// The service already listening on the kind's standard port.
    Standard,
    /// A private instance labkit started from the installed program.
    Private,
    /// A container labkit started through Docker.
    Container { image: String },
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Env { var } => write!(f, "{var}"),
            Source::Standard => f.write_str("the shared service on the standard port"),
            Source::Private => f.write_str("a private instance"),
            Source::Container { image } => write!(f, "a {image} container"),
        }
    }
}

/// What a handle owns, if anything.
#[derive(Debug)]
pub(crate) enum Backend {
    /// Somebody else's broker.
    Borrowed,
    Private(Box<Private>),
    #[cfg(feature = "docker")]
    Container(Box<super::docker::Container>),
}

/// A running broker and how to reach it.
///
/// `Debug` and [`Broker::masked_url`] hide the password; [`Broker::url`]
/// and [`Broker::endpoint`] keep it, for the client library only.
pub struct Broker {
    pub(crate) kind: Kind,
    pub(crate) url: String,
    pub(crate) host: String,
    pub(crate) addr: SocketAddr,
    /// Only TCP can be checked (the reader's URL uses TLS).
    pub(crate) tls: bool,
    /// The user, password, vhost or database the URL carries.
    pub(crate) credentials: Credentials,
    pub(crate) source: Source,
    pub(crate) backend: Backend,
}

impl std::fmt::Debug for Broker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Broker")
            .field("kind", &self.kind)
            .field("url", &self.masked_url())
            .field("addr", &self.addr)
            .field("source", &self.source)
            .field("backend", &self.backend)
            .finish()
    }
}

impl std::fmt::Display for Broker {
    /// `MQTT at mqtt://alice:***@127.0.0.1:1883 (MQTT_URL)`: safe to print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at {} ({})",
            self.kind.protocol(),
            self.masked_url(),
            self.source
        )
    }
}

impl Broker {
    /// Which kind of broker this is.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The URL to hand to a client library, credentials included — never
    /// to print: print [`Broker::masked_url`] (or the `Broker` itself).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL with its password (or NATS token) as `***`, for messages.
    pub fn masked_url(&self) -> String {
        mask(&self.url)
    }

    /// Who to log in as: user, password, token, AMQP vhost, Redis database.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Host, port, TLS and credentials, parsed, for a client library that
    /// takes them apart rather than as a URL (rumqttc's `MqttOptions`; see
    /// the table in [`super::credentials`]).
    pub fn endpoint(&self) -> Endpoint {
        Endpoint {
            host: self.host.clone(),
            port: self.addr.port(),
            tls: self.tls,
            credentials: self.credentials.clone(),
        }
    }

    /// The host part of the URL.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The main port (MQTT, AMQP, NATS or Redis protocol).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The resolved address, for raw TCP (and for the labs' recording proxy).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where this broker came from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// A private instance's data directory (kept across stop and start).
    pub fn data_dir(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Private(p) => Some(p.data_dir()),
            _ => None,
        }
    }

    /// A private instance's log file (its stdout and stderr).
    pub fn log_file(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Private(p) => Some(p.log_file()),
            _ => None,
        }
    }

    /// A port asked for by name in [`Options::port`](super::Options::port),
    /// or opened by a RabbitMQ plugin (`stream`, `management`, `mqtt`, `stomp`).
    pub fn extra_port(&self, name: &str) -> Option<u16> {
        match &self.backend {
            Backend::Private(p) => p.named_port(name),
            #[cfg(feature = "docker")]
            Backend::Container(c) => c.named.get(name).copied(),
            Backend::Borrowed => None,
        }
    }

    /// The broker's process id while a private instance runs.
    pub fn pid(&self) -> Option<u32> {
        match &self.backend {
            Backend::Private(p) => p.pid(),
            _ => None,
        }
    }

    /// Check now that the broker answers its protocol and takes the
    /// credentials (a fresh connection, a login, a few bytes each way).
    pub async fn probe(&self) -> Result<(), BrokerError> {
        let recipe = self.kind.recipe();
        super::find::answers(recipe, self.addr, self.tls, &self.credentials)
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied => super::find::refused(
                    self.kind,
                    match &self.source {
                        Source::Env { var } => format!("{var}={}", self.masked_url()),
                        other => format!("{} ({other})", self.masked_url()),
                    },
                    self.addr,
                    &self.credentials,
                    e,
                ),
                _ => BrokerError::NoAnswer {
                    protocol: self.kind.protocol(),
                    address: self.addr.to_string(),
                    cause: e.to_string(),
                },
            })
    }

    /// Shut the broker down cleanly (SIGTERM; SIGINT for NATS) and wait for
    /// it to exit. Its port and data directory stay for [`Broker::start`].
    pub async fn stop(&mut self) -> Result<(), BrokerError> {
        match &mut self.backend {
            Backend::Private(p) => {
                p.stop().await;
                Ok(())
            }
            #[cfg(feature = "docker")]
            Backend::Container(c) => {
                let secs = self.kind.recipe().facts().stop_timeout.as_secs() as i32;
                c.stop(secs).await
            }
            Backend::Borrowed => Err(self.not_ours("stop")),
        }
    }

    /// Start again on the same port with the same data, and wait until it
    /// answers. Does nothing if it runs.
    pub async fn start(&mut self) -> Result<(), BrokerError> {
        match &mut self.backend {
            Backend::Private(p) => p.start().await,
            #[cfg(feature = "docker")]
            Backend::Container(c) => c.start_again().await,
            Backend::Borrowed => Err(self.not_ours("start")),
        }
    }

    /// [`stop`](Broker::stop) then [`start`](Broker::start).
    pub async fn restart(&mut self) -> Result<(), BrokerError> {
        self.stop().await?;
        self.start().await
    }

    /// Crash it: SIGKILL to every process, no chance to save anything.
    /// (A container gets `docker stop -t 0`: SIGTERM then SIGKILL at once.)
    pub async fn kill(&mut self) -> Result<(), BrokerError> {
        match &mut self.backend {
            Backend::Private(p) => p.kill().await,
            #[cfg(feature = "docker")]
            Backend::Container(c) => c.stop(0).await,
            Backend::Borrowed => Err(self.not_ours("kill")),
        }
    }

    /// Freeze it (SIGSTOP): connections stay open, nothing answers — what a
    /// long garbage-collection pause or a hung machine looks like.
    pub async fn pause(&mut self) -> Result<(), BrokerError> {
        self.freeze(true).await
    }

    /// Thaw it (SIGCONT) after [`Broker::pause`].
    pub async fn resume(&mut self) -> Result<(), BrokerError> {
        self.freeze(false).await
    }

    async fn freeze(&mut self, pause: bool) -> Result<(), BrokerError> {
        let action = if pause { "pause" } else { "resume" };
        match &mut self.backend {
            Backend::Private(p) => p.signal(
                action,
                if pause {
                    Signal::SIGSTOP
                } else {
                    Signal::SIGCONT
                },
            ),
            #[cfg(feature = "docker")]
            Backend::Container(c) => c.pause(pause).await,
            Backend::Borrowed => Err(self.not_ours(action)),
        }
    }

    fn not_ours(&self, action: &'static str) -> BrokerError {
        BrokerError::NotOurs {
            action,
            origin: match &self.source {
                Source::Standard => format!(
                    "the shared service on 127.0.0.1:{}",
                    self.kind.standard_port()
                ),
                other => other.to_string(),
            },
        }
    }
}
