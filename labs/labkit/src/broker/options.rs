//! What a lesson may ask of a broker beyond the defaults: extra lines in its
//! configuration file, extra listening ports, RabbitMQ plugins, a user and
//! password.
//!
//! Config lines may say `{dir}` (the data directory) and `{port:NAME}` (a
//! port allocated for NAME with [`Options::port`]); labkit fills them in, so
//! a TLS lesson can write `listener {port:tls} 127.0.0.1` without knowing
//! which port is free.

/// Extra configuration for a private broker (or a container). `Debug`
/// hides the password.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub(crate) lines: Vec<String>,
    pub(crate) ports: Vec<String>,
    pub(crate) plugins: Vec<String>,
    pub(crate) user: Option<(String, String)>,
    /// Set by [`super::cluster`] for one node of a cluster: its name and
    /// what it shares with the others. Never set by a reader.
    pub(crate) seat: Option<super::cluster::Seat>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("lines", &self.lines)
            .field("ports", &self.ports)
            .field("plugins", &self.plugins)
            .field("user", &self.user.as_ref().map(|(u, _)| (u, "***")))
            .field("seat", &self.seat.as_ref().map(|s| &s.node))
            .finish()
    }
}

impl Options {
    /// The defaults: nothing extra.
    pub fn new() -> Self {
        Options::default()
    }

    /// Append a line to the broker's configuration file
    /// (`mosquitto.conf`, `rabbitmq.conf`, `nats.conf` or `redis.conf`).
    #[must_use]
    pub fn config_line(mut self, line: impl Into<String>) -> Self {
        self.lines.push(line.into());
        self
    }

    /// Allocate a free port called `name`, usable as `{port:name}` in config
    /// lines and read back with [`Broker::extra_port`](super::Broker::extra_port).
    /// The broker must listen on it: readiness waits until it accepts.
    #[must_use]
    pub fn port(mut self, name: impl Into<String>) -> Self {
        self.ports.push(name.into());
        self
    }

    /// Enable a RabbitMQ plugin, e.g. `rabbitmq_stream`. Plugins that listen
    /// (stream, management, mqtt, stomp) get a port named after what they
    /// serve: `stream`, `management`, `mqtt`, `stomp`.
    #[must_use]
    pub fn plugin(mut self, name: impl Into<String>) -> Self {
        self.plugins.push(name.into());
        self
    }

    /// Require this user and password (anonymous access is refused where
    /// the broker can do that). The URL carries them.
    #[must_use]
    pub fn user(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.user = Some((user.into(), password.into()));
        self
    }

    /// Whether nothing was asked beyond the defaults; only then may a shared
    /// broker on the standard port stand in for a private one.
    pub fn is_default(&self) -> bool {
        *self == Options::default()
    }
}
