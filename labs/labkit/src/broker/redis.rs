//! Redis: its config file, command line and a probe that sends `PING` and
//! expects `+PONG`.
//!
//! By default a private Redis saves nothing (`save ""`): most lessons use
//! it as a fast, forgetful broker. A durability lesson adds
//! `Options::new().config_line("appendonly yes")` and the append-only file
//! lands in the data directory, which a restart in place keeps.

use std::io::{self, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::credentials::Credentials;
#[cfg(feature = "docker")]
use super::recipe::ContainerPlan;
use super::recipe::{
    Facts, Launch, Layout, Recipe, Tls, read_line, refused, unexpected, url_with_user, write_file,
};
use super::{BrokerError, Kind, Lookup, Options};

/// The Redis recipe.
pub(crate) struct Redis;

static FACTS: Facts = Facts {
    kind: Kind::Redis,
    protocol: "Redis",
    env_var: "REDIS_URL",
    schemes: &[("redis", 6379, Tls::Plain), ("rediss", 6379, Tls::Tls)],
    example_url: "redis://127.0.0.1:6379",
    standard_port: 6379,
    program: "redis-server",
    apt_package: "redis-server",
    image: ("redis", "7"),
    container_dir: "/data",
    ready_timeout: Duration::from_secs(5),
    stop_timeout: Duration::from_secs(10),
};

/// A string as redis.conf accepts it: double-quoted, backslash escapes.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn config(layout: &Layout, options: &Options) -> Result<String, BrokerError> {
    let mut text = format!(
        "# Written by labkit for one private Redis.\n\
         port {port}\n\
         bind {bind}\n\
         dir {dir}\n\
         save \"\"\n\
         daemonize no\n\
         logfile \"\"\n",
        port = layout.port,
        bind = layout.bind,
        dir = quoted(&layout.dir.display().to_string()),
    );
    if layout.in_container {
        // Reached through Docker's port mapping, not from loopback.
        text.push_str("protected-mode no\n");
    }
    if let Some((user, password)) = &options.user {
        if user.contains(char::is_whitespace) || password.contains(char::is_whitespace) {
            return Err(BrokerError::BadOption(
                "a Redis user and password cannot contain spaces".into(),
            ));
        }
        if user == "default" {
            text.push_str(&format!("requirepass {}\n", quoted(password)));
        } else {
            text.push_str(&format!(
                "user default off\nuser {user} on >{password} ~* &* +@all\n"
            ));
        }
    }
    text.push_str(&layout.reader_lines(options)?);
    Ok(text)
}

/// Send one command as a RESP array (so a password may hold any byte) and
/// read the one-line answer.
fn command(stream: &mut TcpStream, args: &[&str]) -> io::Result<String> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    stream.write_all(&out)?;
    read_line(stream, 1024)
}

impl Recipe for Redis {
    fn facts(&self) -> &'static Facts {
        &FACTS
    }

    fn prepare(
        &self,
        layout: &Layout,
        options: &Options,
        _lookup: &Lookup,
    ) -> Result<(), BrokerError> {
        write_file(&layout.dir.join("redis.conf"), &config(layout, options)?)
    }

    fn launch(
        &self,
        layout: &Layout,
        _options: &Options,
        program: &Path,
        _lookup: &Lookup,
    ) -> Vec<Launch> {
        let mut command = Command::new(program);
        command.arg(layout.dir.join("redis.conf"));
        vec![Launch {
            command,
            wait_for_port: None,
        }]
    }

    fn probe(&self, stream: &mut TcpStream, login: &Credentials) -> io::Result<()> {
        if let Some(password) = &login.password {
            let mut auth = vec!["AUTH"];
            auth.extend(login.user.as_deref());
            auth.push(password);
            let answer = command(stream, &auth)?;
            if answer != "+OK" {
                return Err(refused(answer.trim_start_matches('-')));
            }
        }
        if let Some(db) = login.database {
            let answer = command(stream, &["SELECT", &db.to_string()])?;
            if answer != "+OK" {
                return Err(refused(answer.trim_start_matches('-')));
            }
        }
        let line = command(stream, &["PING"])?;
        if line == "+PONG" {
            Ok(())
        } else if line.starts_with("-NOAUTH") {
            Err(refused(line.trim_start_matches('-')))
        } else {
            Err(unexpected(format!("expected +PONG, got {line:?}")))
        }
    }

    fn url(&self, host: &str, port: u16, options: &Options) -> String {
        url_with_user("redis", options, host, port)
    }

    #[cfg(feature = "docker")]
    fn container(&self, layout: &Layout, options: &Options) -> Result<ContainerPlan, BrokerError> {
        let conf = "/usr/local/etc/redis/labkit.conf";
        Ok(ContainerPlan {
            port: layout.port,
            cmd: vec!["redis-server".into(), conf.into()],
            files: vec![(conf.into(), config(layout, options)?.into_bytes())],
        })
    }
}
