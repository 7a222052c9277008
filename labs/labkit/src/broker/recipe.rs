//! The recipe one kind of broker follows: its facts (env variable, package,
//! image), its configuration file, its command line and its readiness probe.
//!
//! Each kind lives in its own file (`mosquitto.rs`, `rabbitmq.rs`, ...) and
//! implements [`Recipe`]. Adding a kind (Kafka, say) means one new file, one
//! variant of [`Kind`] and one line in [`Kind::recipe`]; starting, stopping,
//! watching and cleaning up are shared by every kind.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use nix::sys::signal::Signal;

use super::credentials::{Credentials, encode};
use super::{BrokerError, Kind, Lookup, Options};

/// What is fixed about one kind of broker.
#[derive(Debug)]
pub(crate) struct Facts {
    pub kind: Kind,
    /// The protocol a reader asks for: "MQTT", "AMQP", "NATS", "Redis".
    pub protocol: &'static str,
    /// The variable a reader sets to bring their own broker.
    pub env_var: &'static str,
    /// URL schemes accepted in that variable, with their default ports;
    /// the first is the one labkit writes. TLS schemes are only checked
    /// for a TCP answer.
    pub schemes: &'static [(&'static str, u16, Tls)],
    /// A correct value for the variable, shown in error messages.
    pub example_url: &'static str,
    /// Where the service usually listens (a lab's `cargo run` may use it).
    pub standard_port: u16,
    /// The program looked up on the search path.
    pub program: &'static str,
    /// The Debian/Ubuntu package that installs it.
    pub apt_package: &'static str,
    /// The container image and tag used when Docker answers.
    pub image: (&'static str, &'static str),
    /// The data directory inside that container.
    #[cfg_attr(not(feature = "docker"), allow(dead_code))]
    pub container_dir: &'static str,
    /// How long a fresh start may take before labkit gives up.
    pub ready_timeout: Duration,
    /// How long a clean stop may take before labkit kills the broker.
    pub stop_timeout: Duration,
}

/// Whether a URL scheme wraps the protocol in TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tls {
    Plain,
    Tls,
}

/// Where a broker will run and what it was given: the same recipe writes
/// configuration for a private process and for a container.
#[derive(Debug)]
pub(crate) struct Layout {
    /// The data directory as the broker sees it.
    pub dir: PathBuf,
    /// The address to listen on: loopback for a private process, every
    /// interface inside a container.
    pub bind: &'static str,
    /// The main port as the broker sees it.
    pub port: u16,
    /// Named ports (the reader's and the recipe's own).
    pub ports: BTreeMap<String, u16>,
    /// Whether the broker runs as root and must be told to stay so
    /// (Mosquitto drops to its own user otherwise).
    pub as_root: bool,
    /// Inside a container rather than a private process.
    pub in_container: bool,
}

impl Layout {
    /// A named port; recipes only ask for ports they declared.
    pub fn named(&self, name: &str) -> u16 {
        self.ports.get(name).copied().unwrap_or(0)
    }

    /// In a container on the host's own network (a Docker daemon without a
    /// bridge, as in CI): the broker listens on loopback, on ports labkit
    /// picked, instead of on every interface behind a port mapping.
    #[cfg_attr(not(feature = "docker"), allow(dead_code))]
    pub fn host_network(&self) -> bool {
        self.in_container && self.bind != "0.0.0.0"
    }

    /// A path inside the data directory, as a string for a config file.
    pub fn path(&self, rel: &str) -> String {
        self.dir.join(rel).display().to_string()
    }

    /// A reader's config line with `{dir}` and `{port:NAME}` filled in.
    pub fn expand(&self, line: &str) -> Result<String, BrokerError> {
        let mut out = line.replace("{dir}", &self.dir.display().to_string());
        while let Some(start) = out.find("{port:") {
            let end = out[start..].find('}').map(|e| start + e).ok_or_else(|| {
                BrokerError::BadOption(format!("unclosed {{port:...}} in config line {line:?}"))
            })?;
            let name = &out[start + 6..end];
            let port = self.ports.get(name).ok_or_else(|| {
                BrokerError::BadOption(format!(
                    "config line {line:?} uses {{port:{name}}} but no port {name:?} was asked for; add .port({name:?}) to the Options"
                ))
            })?;
            out.replace_range(start..=end, &port.to_string());
        }
        Ok(out)
    }

    /// Every reader's config line, expanded, one per line.
    pub fn reader_lines(&self, options: &Options) -> Result<String, BrokerError> {
        let mut text = String::new();
        for line in &options.lines {
            text.push_str(&self.expand(line)?);
            text.push('\n');
        }
        Ok(text)
    }
}

/// A port a recipe needs besides the main one.
#[derive(Debug)]
pub(crate) struct PortNeed {
    pub name: String,
    /// Public ports are the reader's to use and must accept connections
    /// before the broker counts as ready; private ones (RabbitMQ's
    /// distribution and epmd ports) are the broker's own business.
    pub public: bool,
}

/// One process to start, in order; the last one is the broker itself.
#[derive(Debug)]
pub(crate) struct Launch {
    pub command: Command,
    /// A helper must accept TCP on this port before the next one starts.
    pub wait_for_port: Option<u16>,
}

/// A container for when Docker answers.
#[cfg(feature = "docker")]
#[derive(Debug)]
pub(crate) struct ContainerPlan {
    /// The port the broker listens on inside the container.
    pub port: u16,
    /// The command, replacing the image's default (empty: keep it).
    pub cmd: Vec<String>,
    /// Files to copy in before it starts: (path in the container, contents).
    pub files: Vec<(String, Vec<u8>)>,
}

/// Everything one kind of broker knows about itself.
pub(crate) trait Recipe: Sync {
    /// What is fixed about this kind.
    fn facts(&self) -> &'static Facts;

    /// Where the program is installed when it is not on `PATH` (Debian
    /// keeps PostgreSQL's server in a versioned directory).
    fn installed_elsewhere(&self) -> Option<PathBuf> {
        None
    }

    /// Ports needed besides the main one (the reader's come on top).
    fn ports(&self, _options: &Options) -> Vec<PortNeed> {
        Vec::new()
    }

    /// Write the configuration into the data directory (for a private
    /// process) before the first start.
    fn prepare(
        &self,
        layout: &Layout,
        options: &Options,
        lookup: &Lookup,
    ) -> Result<(), BrokerError>;

    /// The processes to start, helpers first, the broker last.
    fn launch(
        &self,
        layout: &Layout,
        options: &Options,
        program: &Path,
        lookup: &Lookup,
    ) -> Vec<Launch>;

    /// The signal that asks the broker to shut down cleanly.
    fn stop_signal(&self) -> Signal {
        Signal::SIGTERM
    }

    /// A file where the broker writes its own pid, when the process labkit
    /// starts is only a wrapper around it.
    fn pid_file(&self, _layout: &Layout) -> Option<PathBuf> {
        None
    }

    /// Speak just enough of the protocol to know the broker is serving,
    /// logging in as `login` says. A refused login is an error of kind
    /// [`io::ErrorKind::PermissionDenied`] (see [`refused`]).
    fn probe(&self, stream: &mut TcpStream, login: &Credentials) -> io::Result<()>;

    /// The URL a client library takes.
    fn url(&self, host: &str, port: u16, options: &Options) -> String;

    /// How to run this kind in a container.
    #[cfg(feature = "docker")]
    fn container(&self, layout: &Layout, options: &Options) -> Result<ContainerPlan, BrokerError>;

    /// Environment variables for the container, on top of the image's.
    #[cfg(feature = "docker")]
    fn container_env(&self, _layout: &Layout) -> Vec<(String, String)> {
        Vec::new()
    }
}

impl std::fmt::Debug for dyn Recipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.facts().kind)
    }
}

/// Read exactly `n` bytes, or fail saying how many came.
pub(crate) fn read_n(stream: &mut TcpStream, n: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        match stream.read(&mut buf[got..])? {
            0 => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("connection closed after {got} of {n} bytes"),
                ));
            }
            k => got += k,
        }
    }
    Ok(buf)
}

/// Read up to the first `\r\n` (at most `max` bytes).
pub(crate) fn read_line(stream: &mut TcpStream, max: usize) -> io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\r\n") {
        if line.len() >= max {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
        }
        if stream.read(&mut byte)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed mid-line",
            ));
        }
        line.push(byte[0]);
    }
    line.truncate(line.len() - 2);
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// The broker answered and said no to the login; `why` is its own words.
pub(crate) fn refused(why: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, why.into())
}

/// `scheme://[user[:password]@]host:port`, user and password percent-encoded,
/// for the URL a private instance or container hands out.
pub(crate) fn url_with_user(scheme: &str, options: &Options, host: &str, port: u16) -> String {
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    match &options.user {
        Some((u, p)) => format!("{scheme}://{}:{}@{host}:{port}", encode(u), encode(p)),
        None => format!("{scheme}://{host}:{port}"),
    }
}

/// A protocol answer that is not what the probe expected.
pub(crate) fn unexpected(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.into())
}

/// Write a file in the data directory, saying which on failure.
pub(crate) fn write_file(path: &Path, contents: &str) -> Result<(), BrokerError> {
    std::fs::write(path, contents)
        .map_err(|e| BrokerError::io(format!("writing {}", path.display()), e))
}
