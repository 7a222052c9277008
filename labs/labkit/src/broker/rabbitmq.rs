//! RabbitMQ, the AMQP 0-9-1 broker: its many environment variables, its
//! own epmd, its config file, and a probe that sends the AMQP protocol
//! header and waits for `Connection.Start`.
//!
//! RabbitMQ is an Erlang node, and an Erlang node needs a port mapper
//! (epmd) and a distribution port besides its AMQP port. A private instance
//! gets all three on free ports, plus its own `HOME` (for the Erlang
//! cookie), so it never meets the machine's own RabbitMQ. Its epmd runs in
//! the foreground in the broker's process group, so it dies with it.
//! An `epmd -daemon` would escape: it calls `setsid`, leaving the group
//! the watchdog ends. Any Erlang VM started without `-start_epmd false`
//! starts one when it finds no epmd — and RabbitMQ runs such VMs itself
//! (its epmd monitor re-checks epmd by starting `erl -sname ...`, which
//! happens when the group's epmd died first during a shutdown). So the
//! flag goes in `ERL_AFLAGS`, which every VM in the tree inherits, not
//! only on the node's own command line.
//!
//! The installed `rabbitmq-server` on Debian is a wrapper that switches to
//! the `rabbitmq` user; labkit runs the real script next to it instead.
//! That script starts `erl` as a child and turns SIGTERM into a clean stop.
//! A fresh node answers AMQP after 2–5 s of CPU-bound boot, so share one
//! among tests that only publish and consume.

use std::io::{self, Write};
use std::net::TcpStream;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::credentials::Credentials;
#[cfg(feature = "docker")]
use super::recipe::ContainerPlan;
use super::recipe::{
    Facts, Launch, Layout, PortNeed, Recipe, Tls, read_n, refused, unexpected, url_with_user,
    write_file,
};
use super::{BrokerError, Kind, Lookup, Options};

/// The RabbitMQ recipe.
pub(crate) struct RabbitMq;

static FACTS: Facts = Facts {
    kind: Kind::RabbitMq,
    protocol: "AMQP",
    env_var: "AMQP_URL",
    schemes: &[("amqp", 5672, Tls::Plain), ("amqps", 5671, Tls::Tls)],
    example_url: "amqp://guest:guest@127.0.0.1:5672/%2f",
    standard_port: 5672,
    program: "rabbitmq-server",
    apt_package: "rabbitmq-server",
    image: ("rabbitmq", "3"),
    container_dir: "/var/lib/rabbitmq",
    ready_timeout: Duration::from_secs(60),
    stop_timeout: Duration::from_secs(30),
};

/// Plugins that listen, the name of their port, and the config key prefix.
const LISTENING_PLUGINS: [(&str, &str, &str); 4] = [
    ("rabbitmq_stream", "stream", "stream.listeners.tcp.1"),
    ("rabbitmq_management", "management", "management.tcp.port"),
    ("rabbitmq_mqtt", "mqtt", "mqtt.listeners.tcp.1"),
    ("rabbitmq_stomp", "stomp", "stomp.listeners.tcp.1"),
];

fn config(layout: &Layout, options: &Options) -> Result<String, BrokerError> {
    let mut text = String::from("# Written by labkit for one private RabbitMQ.\n");
    if layout.in_container {
        // Reached through Docker's port mapping, so not from loopback (or,
        // on the host's network, on loopback at the port labkit picked).
        let listen = if layout.host_network() {
            format!("{}:{}", layout.bind, layout.port)
        } else {
            layout.port.to_string()
        };
        text.push_str(&format!(
            "listeners.tcp.default = {listen}\nloopback_users.guest = false\n"
        ));
    }
    text.push_str("log.console = true\nlog.console.level = info\nlog.file = false\n");
    if let Some((user, password)) = &options.user {
        text.push_str(&format!(
            "default_user = {user}\ndefault_pass = {password}\n"
        ));
    }
    for (plugin, port_name, key) in LISTENING_PLUGINS {
        if !options.plugins.iter().any(|p| p == plugin) {
            continue;
        }
        let port = layout.named(port_name);
        if key.ends_with(".port") {
            text.push_str(&format!(
                "{key} = {port}\nmanagement.tcp.ip = {}\n",
                layout.bind
            ));
        } else {
            text.push_str(&format!("{key} = {}:{port}\n", layout.bind));
        }
        if plugin == "rabbitmq_stream" {
            // Stream clients reconnect to the advertised address.
            text.push_str(&format!(
                "stream.advertised_host = localhost\nstream.advertised_port = {port}\n"
            ));
        }
    }
    text.push_str(&layout.reader_lines(options)?);
    Ok(text)
}

fn enabled_plugins(options: &Options) -> String {
    format!("[{}].\n", options.plugins.join(","))
}

/// A cookie nobody else uses; the node is only reachable on loopback.
fn cookie() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("LABKIT{}X{nanos}", std::process::id())
}

/// Debian's `/usr/sbin/rabbitmq-server` links to a wrapper that switches
/// user and reads the wrong cookie; the real script sits beside it.
pub(crate) fn real_script(found: &Path) -> PathBuf {
    let Ok(real) = found.canonicalize() else {
        return found.to_path_buf();
    };
    let beside = real.with_file_name("rabbitmq-server");
    if beside.is_file() { beside } else { real }
}

/// The start of a method frame's payload: class and method ids.
fn method(class: u16, method: u16) -> Vec<u8> {
    let mut p = class.to_be_bytes().to_vec();
    p.extend_from_slice(&method.to_be_bytes());
    p
}

fn short_str(out: &mut Vec<u8>, s: &str) {
    let n = s.len().min(255);
    out.push(n as u8);
    out.extend_from_slice(&s.as_bytes()[..n]);
}

fn long_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_be_bytes());
    out.extend_from_slice(b);
}

/// Send one method frame on channel 0.
fn send(stream: &mut TcpStream, payload: &[u8]) -> io::Result<()> {
    let mut frame = vec![1, 0, 0];
    frame.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    frame.extend_from_slice(payload);
    frame.push(0xCE);
    stream.write_all(&frame)
}

/// Read one frame and check it is the method `want`; a Connection.Close
/// instead is the broker saying no (403 refused login, 530 vhost not
/// allowed), and the connection ending right after the login is too.
fn expect_method(stream: &mut TcpStream, want: (u16, u16), name: &str) -> io::Result<Vec<u8>> {
    let head = match read_n(stream, 7) {
        Ok(h) => h,
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && want != (10, 10) => {
            return Err(refused(format!(
                "the connection was closed instead of {name}"
            )));
        }
        Err(e) => return Err(e),
    };
    let size = u32::from_be_bytes([head[3], head[4], head[5], head[6]]) as usize;
    if head[0] != 1 || !(4..=1 << 20).contains(&size) {
        return Err(unexpected(format!(
            "expected {name}, got the frame head {head:02x?}"
        )));
    }
    let body = read_n(stream, size + 1)?;
    let got = (
        u16::from_be_bytes([body[0], body[1]]),
        u16::from_be_bytes([body[2], body[3]]),
    );
    if got == want {
        return Ok(body[..size].to_vec());
    }
    if got == (10, 50) && size >= 7 {
        let code = u16::from_be_bytes([body[4], body[5]]);
        let len = (body[6] as usize).min(size - 7);
        let text = String::from_utf8_lossy(&body[7..7 + len]);
        return Err(if matches!(code, 403 | 530) {
            refused(format!("{code} {text}"))
        } else {
            unexpected(format!("Connection.Close {code} {text} instead of {name}"))
        });
    }
    Err(unexpected(format!("expected {name}, got method {got:?}")))
}

impl Recipe for RabbitMq {
    fn facts(&self) -> &'static Facts {
        &FACTS
    }

    fn ports(&self, options: &Options) -> Vec<PortNeed> {
        let mut needs = vec![PortNeed {
            name: "dist".into(),
            public: false,
        }];
        if options.seat.is_none() {
            // A cluster's nodes share one epmd (see `cluster/rabbitmq.rs`).
            needs.push(PortNeed {
                name: "epmd".into(),
                public: false,
            });
        }
        for (plugin, port_name, _) in LISTENING_PLUGINS {
            if options.plugins.iter().any(|p| p == plugin) {
                needs.push(PortNeed {
                    name: port_name.into(),
                    public: true,
                });
            }
        }
        needs
    }

    fn prepare(
        &self,
        layout: &Layout,
        options: &Options,
        _lookup: &Lookup,
    ) -> Result<(), BrokerError> {
        let home = layout.dir.join("home");
        std::fs::create_dir_all(&home)
            .map_err(|e| BrokerError::io(format!("creating {}", home.display()), e))?;
        let cookie_path = home.join(".erlang.cookie");
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o400)
            .open(&cookie_path)
            .and_then(|mut f| {
                let cookie = match &options.seat {
                    Some(seat) => seat.cookie.clone(),
                    None => cookie(),
                };
                f.write_all(cookie.as_bytes())
            })
            .map_err(|e| BrokerError::io(format!("writing {}", cookie_path.display()), e))?;
        write_file(&layout.dir.join("rabbitmq.conf"), &config(layout, options)?)?;
        write_file(
            &layout.dir.join("enabled_plugins"),
            &enabled_plugins(options),
        )?;
        write_file(&layout.dir.join("rabbitmq-env.conf"), "")
    }

    fn launch(
        &self,
        layout: &Layout,
        options: &Options,
        program: &Path,
        lookup: &Lookup,
    ) -> Vec<Launch> {
        let (epmd_port, node) = match &options.seat {
            Some(seat) => (seat.epmd_port, seat.node.clone()),
            None => (
                layout.named("epmd"),
                format!("labkit{}@localhost", layout.port),
            ),
        };
        let mut epmd = Command::new(lookup.find_program("epmd").unwrap_or("epmd".into()));
        epmd.args(["-address", layout.bind, "-port", &epmd_port.to_string()]);

        let dir = |rel: &str| layout.dir.join(rel);
        let mut server = Command::new(real_script(program));
        server
            .env("PATH", lookup.path_value())
            .env("HOME", dir("home"))
            .env("RABBITMQ_NODENAME", node)
            .env("RABBITMQ_NODE_IP_ADDRESS", layout.bind)
            .env("RABBITMQ_NODE_PORT", layout.port.to_string())
            .env("RABBITMQ_DIST_PORT", layout.named("dist").to_string())
            .env("ERL_EPMD_PORT", epmd_port.to_string())
            .env("ERL_EPMD_ADDRESS", layout.bind)
            .env("RABBITMQ_MNESIA_BASE", dir("mnesia"))
            .env("RABBITMQ_LOG_BASE", dir("log"))
            .env("RABBITMQ_PID_FILE", dir("rabbit.pid"))
            .env("RABBITMQ_ENABLED_PLUGINS_FILE", dir("enabled_plugins"))
            .env("RABBITMQ_CONF_ENV_FILE", dir("rabbitmq-env.conf"))
            .env("RABBITMQ_CONFIG_FILE", dir("rabbitmq.conf"))
            .env("RABBITMQ_ADVANCED_CONFIG_FILE", dir("advanced.config"))
            // No daemonised epmd from any VM in the tree (see the top of
            // this file); no busy-waiting schedulers on a shared machine.
            .env("ERL_AFLAGS", "-start_epmd false")
            .env(
                "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
                "-start_epmd false +sbwt none +sbwtdcpu none +sbwtdio none",
            );
        let server = Launch {
            command: server,
            wait_for_port: None,
        };
        if options.seat.is_some() {
            return vec![server]; // the cluster runs the epmd
        }
        vec![
            Launch {
                command: epmd,
                wait_for_port: Some(epmd_port),
            },
            server,
        ]
    }

    fn pid_file(&self, layout: &Layout) -> Option<PathBuf> {
        Some(layout.dir.join("rabbit.pid"))
    }

    fn probe(&self, stream: &mut TcpStream, login: &Credentials) -> io::Result<()> {
        stream.write_all(b"AMQP\x00\x00\x09\x01")?;
        expect_method(stream, (10, 10), "Connection.Start")?;
        let user = login.user.as_deref().unwrap_or("guest");
        let password = login.password.as_deref().unwrap_or("guest");
        // Start-Ok: client properties asking to be told why a login fails
        // (otherwise RabbitMQ just closes), PLAIN "\0user\0password", locale.
        let mut start_ok = method(10, 11);
        let mut caps = Vec::new();
        short_str(&mut caps, "authentication_failure_close");
        caps.extend_from_slice(b"t\x01");
        let mut props = Vec::new();
        short_str(&mut props, "capabilities");
        props.push(b'F');
        long_bytes(&mut props, &caps);
        long_bytes(&mut start_ok, &props);
        short_str(&mut start_ok, "PLAIN");
        long_bytes(&mut start_ok, format!("\0{user}\0{password}").as_bytes());
        short_str(&mut start_ok, "en_US");
        send(stream, &start_ok)?;
        let tune = expect_method(stream, (10, 30), "Connection.Tune")?;
        // Tune-Ok echoes channel-max and frame-max, with no heartbeats.
        let mut tune_ok = method(10, 31);
        tune_ok.extend_from_slice(tune.get(4..10).unwrap_or(&[0; 6]));
        tune_ok.extend_from_slice(&[0, 0]);
        send(stream, &tune_ok)?;
        let mut open = method(10, 40);
        short_str(&mut open, login.vhost.as_deref().unwrap_or("/"));
        open.extend_from_slice(&[0, 0]); // reserved shortstr, reserved bit
        send(stream, &open)?;
        expect_method(stream, (10, 41), "Connection.Open-Ok")?;
        let mut close = method(10, 50);
        close.extend_from_slice(&[0, 200, 0, 0, 0, 0, 0]); // 200, "", class 0, method 0
        send(stream, &close)?;
        let _ = expect_method(stream, (10, 51), "Connection.Close-Ok");
        Ok(())
    }

    fn url(&self, host: &str, port: u16, options: &Options) -> String {
        let options = match options.user {
            Some(_) => options.clone(),
            None => options.clone().user("guest", "guest"),
        };
        format!("{}/%2f", url_with_user("amqp", &options, host, port))
    }

    /// On the host's network, the node must not meet another node's epmd,
    /// distribution port or name (the machine's own RabbitMQ, or another
    /// test's container), nor listen beyond loopback.
    #[cfg(feature = "docker")]
    fn container_env(&self, layout: &Layout) -> Vec<(String, String)> {
        if !layout.host_network() {
            return Vec::new();
        }
        [
            (
                "RABBITMQ_NODENAME",
                format!("labkit{}@localhost", layout.port),
            ),
            ("ERL_EPMD_PORT", layout.named("epmd").to_string()),
            ("ERL_EPMD_ADDRESS", layout.bind.to_owned()),
            ("RABBITMQ_DIST_PORT", layout.named("dist").to_string()),
            (
                "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
                "-kernel inet_dist_use_interface {127,0,0,1}".to_owned(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    #[cfg(feature = "docker")]
    fn container(&self, layout: &Layout, options: &Options) -> Result<ContainerPlan, BrokerError> {
        Ok(ContainerPlan {
            port: layout.port,
            cmd: Vec::new(),
            files: vec![
                (
                    "/etc/rabbitmq/conf.d/90-labkit.conf".into(),
                    config(layout, options)?.into_bytes(),
                ),
                (
                    "/etc/rabbitmq/enabled_plugins".into(),
                    enabled_plugins(options).into_bytes(),
                ),
            ],
        })
    }
}
