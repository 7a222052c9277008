//! Everything that can go wrong while getting a broker, each said in one
//! sentence that tells the reader what to do next.
//!
//! The most common failure on a reader's machine is "there is no broker at
//! all", so [`BrokerError::NotFound`] lists every place that was tried and
//! ends with the exact fix: the package to install, the variable to set, or
//! Docker to start.

use std::path::PathBuf;
use std::time::Duration;

/// Why no broker could be had, or why a broker could not be stopped,
/// started, killed or paused.
#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    /// Every place was tried and none gave a broker.
    #[error("no {protocol} broker: {tried}. Fix: {fix}.")]
    NotFound {
        /// "MQTT", "AMQP", "NATS" or "Redis".
        protocol: &'static str,
        /// What was tried, in order, and why each failed.
        tried: String,
        /// What the reader can do about it.
        fix: String,
    },

    /// The reader set an environment variable that does not hold a usable URL.
    #[error(
        "{var}={value:?} is not a valid {protocol} URL ({reason}); set it like {var}={example}"
    )]
    BadEnvUrl {
        var: &'static str,
        /// The value, its password masked.
        value: String,
        protocol: &'static str,
        reason: String,
        example: &'static str,
    },

    /// The reader's URL is well formed but nothing answers there.
    #[error(
        "{var}={value} is set, but no {protocol} broker answers at {address} ({cause}); start that broker, or unset {var} to let labkit start one"
    )]
    EnvNotAnswering {
        var: &'static str,
        /// The value, its password masked.
        value: String,
        protocol: &'static str,
        address: String,
        cause: String,
    },

    /// The broker answers but refused the user, password, token, vhost or
    /// database the URL gave. Said once, with the URL masked.
    #[error(
        "{origin}: the {protocol} broker at {address} answers, but it refused {who} ({reason}); correct the user name, password, vhost or database in that URL"
    )]
    Refused {
        /// Where the URL came from, masked: `MQTT_URL=mqtt://alice:***@host:1883`.
        origin: String,
        protocol: &'static str,
        address: String,
        /// Who was refused: `user "alice" with the password given`.
        who: String,
        /// The broker's own words: `CONNACK 5: not authorized`.
        reason: String,
    },

    /// A broker program could not be run at all.
    #[error("could not run {program}: {cause}")]
    Spawn {
        program: String,
        cause: std::io::Error,
    },

    /// A broker program exited before it answered its protocol.
    #[error("{program} exited ({status}) before it was ready; the end of {log}:\n{tail}", log = log.display())]
    Exited {
        program: String,
        status: String,
        log: PathBuf,
        tail: String,
    },

    /// A broker program kept running but did not answer its protocol in time.
    #[error("{program} did not answer on port {port} within {waited:?} ({cause}); the end of {log}:\n{tail}", log = log.display())]
    NotReady {
        program: String,
        port: u16,
        waited: Duration,
        cause: String,
        log: PathBuf,
        tail: String,
    },

    /// An option given in [`Options`](super::Options) cannot be honoured.
    #[error("bad broker option: {0}")]
    BadOption(String),

    /// Stop, start, kill or pause was asked of a broker labkit does not own.
    #[error(
        "cannot {action} a broker that came from {origin}: only a private instance can be; use labkit::broker::private(..) for this"
    )]
    NotOurs {
        action: &'static str,
        origin: String,
    },

    /// Pause, resume or kill was asked of a private instance that is stopped.
    #[error("cannot {action} {program}: it is not running; call start() first")]
    NotRunning {
        action: &'static str,
        program: String,
    },

    /// [`Broker::probe`](super::Broker::probe) got no protocol answer.
    #[error("no {protocol} answer from {address}: {cause}")]
    NoAnswer {
        protocol: &'static str,
        address: String,
        cause: String,
    },

    /// A file or directory the private instance needs could not be made.
    #[error("{what}: {cause}")]
    Io { what: String, cause: std::io::Error },

    /// The Docker engine answered but could not run or control the container.
    #[error("Docker: {0}")]
    Container(String),
}

impl BrokerError {
    /// Shorthand for an I/O failure with what was being done.
    pub(crate) fn io(what: impl Into<String>, cause: std::io::Error) -> Self {
        BrokerError::Io {
            what: what.into(),
            cause,
        }
    }

    /// The error squeezed onto one line, for listing inside [`BrokerError::NotFound`].
    pub(crate) fn one_line(&self) -> String {
        match self {
            BrokerError::Exited {
                status, tail, log, ..
            } => format!(
                "exited ({status}): {}; see {}",
                last_line(tail),
                log.display()
            ),
            BrokerError::NotReady {
                waited,
                cause,
                tail,
                log,
                ..
            } => format!(
                "no answer within {waited:?} ({cause}): {}; see {}",
                last_line(tail),
                log.display()
            ),
            other => other.to_string().replace('\n', " "),
        }
    }
}

fn last_line(tail: &str) -> &str {
    tail.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(str::trim)
        .unwrap_or("(empty log)")
}
