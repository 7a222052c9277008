//! NATS with JetStream: its config file, command line and a probe that
//! reads the `INFO` line a NATS server sends to every new connection.
//!
//! JetStream keeps its streams under `{dir}/jetstream`, so a restart in
//! place keeps them. NATS exits 0 on SIGINT (1 on SIGTERM), so SIGINT is
//! its clean stop.

use std::io::{self, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use nix::sys::signal::Signal;

use super::credentials::Credentials;
#[cfg(feature = "docker")]
use super::recipe::ContainerPlan;
use super::recipe::{
    Facts, Launch, Layout, Recipe, Tls, read_line, refused, unexpected, url_with_user, write_file,
};
use super::{BrokerError, Kind, Lookup, Options};

/// The NATS recipe.
pub(crate) struct Nats;

static FACTS: Facts = Facts {
    kind: Kind::Nats,
    protocol: "NATS",
    env_var: "NATS_URL",
    schemes: &[("nats", 4222, Tls::Plain), ("tls", 4222, Tls::Tls)],
    example_url: "nats://127.0.0.1:4222",
    standard_port: 4222,
    program: "nats-server",
    apt_package: "nats-server",
    image: ("nats", "2"),
    container_dir: "/data",
    ready_timeout: Duration::from_secs(5),
    stop_timeout: Duration::from_secs(10),
};

/// A string as NATS config accepts it: double-quoted, JSON escapes.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn config(layout: &Layout, options: &Options) -> Result<String, BrokerError> {
    let mut text = format!(
        "# Written by labkit for one private NATS server.\n\
         listen: \"{bind}:{port}\"\n\
         jetstream {{\n  store_dir: {store}\n}}\n",
        bind = layout.bind,
        port = layout.port,
        store = quoted(&layout.path("jetstream")),
    );
    if let Some((user, password)) = &options.user {
        text.push_str(&format!(
            "authorization {{\n  user: {}\n  password: {}\n}}\n",
            quoted(user),
            quoted(password)
        ));
    }
    text.push_str(&layout.reader_lines(options)?);
    Ok(text)
}

impl Recipe for Nats {
    fn facts(&self) -> &'static Facts {
        &FACTS
    }

    fn prepare(
        &self,
        layout: &Layout,
        options: &Options,
        _lookup: &Lookup,
    ) -> Result<(), BrokerError> {
        write_file(&layout.dir.join("nats.conf"), &config(layout, options)?)
    }

    fn launch(
        &self,
        layout: &Layout,
        _options: &Options,
        program: &Path,
        _lookup: &Lookup,
    ) -> Vec<Launch> {
        let mut command = Command::new(program);
        command.arg("-c").arg(layout.dir.join("nats.conf"));
        vec![Launch {
            command,
            wait_for_port: None,
        }]
    }

    fn stop_signal(&self) -> Signal {
        Signal::SIGINT
    }

    fn probe(&self, stream: &mut TcpStream, login: &Credentials) -> io::Result<()> {
        let line = read_line(stream, 64 * 1024)?;
        if !line.starts_with("INFO ") {
            return Err(unexpected(format!("expected INFO {{...}}, got {line:?}")));
        }
        // Log in, then PING: PONG means the login was accepted.
        let mut connect = serde_json::json!({
            "verbose": false, "pedantic": false, "name": "labkit-probe",
            "lang": "rust", "version": env!("CARGO_PKG_VERSION"), "protocol": 1,
        });
        if let Some(user) = &login.user {
            connect["user"] = user.as_str().into();
        }
        if let Some(password) = &login.password {
            connect["pass"] = password.as_str().into();
        }
        if let Some(token) = &login.token {
            connect["auth_token"] = token.as_str().into();
        }
        stream.write_all(format!("CONNECT {connect}\r\nPING\r\n").as_bytes())?;
        for _ in 0..16 {
            let line = read_line(stream, 64 * 1024)?;
            match line.as_str() {
                "PONG" => return Ok(()),
                "PING" => stream.write_all(b"PONG\r\n")?,
                l if l.starts_with("-ERR") && l.to_ascii_lowercase().contains("auth") => {
                    return Err(refused(l.trim_start_matches("-ERR ").trim_matches('\'')));
                }
                l if l.starts_with("-ERR") => return Err(unexpected(l.to_owned())),
                _ => {} // +OK, a new INFO
            }
        }
        Err(unexpected("no PONG after CONNECT"))
    }

    fn url(&self, host: &str, port: u16, options: &Options) -> String {
        url_with_user("nats", options, host, port)
    }

    #[cfg(feature = "docker")]
    fn container(&self, layout: &Layout, options: &Options) -> Result<ContainerPlan, BrokerError> {
        let conf = "/etc/nats/labkit.conf";
        Ok(ContainerPlan {
            port: layout.port,
            cmd: vec!["-c".into(), conf.into()],
            files: vec![(conf.into(), config(layout, options)?.into_bytes())],
        })
    }
}
