//! Mosquitto, the MQTT broker: its config file, command line and a probe
//! that sends a real MQTT CONNECT and waits for the CONNACK.
//!
//! A private Mosquitto keeps its store in the data directory
//! (`persistence true`), so retained messages and persistent sessions
//! survive a clean restart — the durability lessons rely on that.

use std::io::{self, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[cfg(feature = "docker")]
use super::recipe::ContainerPlan;
use super::recipe::{Facts, Launch, Layout, Recipe, Tls, read_n, unexpected, write_file};
use super::{BrokerError, Kind, Lookup, Options};

/// The Mosquitto recipe.
pub(crate) struct Mosquitto;

static FACTS: Facts = Facts {
    kind: Kind::Mosquitto,
    protocol: "MQTT",
    env_var: "MQTT_URL",
    schemes: &[
        ("mqtt", 1883, Tls::Plain),
        ("tcp", 1883, Tls::Plain),
        ("mqtts", 8883, Tls::Tls),
        ("ssl", 8883, Tls::Tls),
    ],
    example_url: "mqtt://127.0.0.1:1883",
    standard_port: 1883,
    program: "mosquitto",
    apt_package: "mosquitto",
    image: ("eclipse-mosquitto", "2"),
    container_dir: "/mosquitto/data",
    ready_timeout: Duration::from_secs(5),
    stop_timeout: Duration::from_secs(10),
};

/// The configuration file, the same for a private process and a container.
fn config(layout: &Layout, options: &Options, password_file: &str) -> Result<String, BrokerError> {
    let mut text = format!(
        "# Written by labkit for one private Mosquitto.\n\
         listener {port} {bind}\n\
         persistence true\n\
         persistence_location {store}/\n\
         log_dest stderr\n\
         log_type error\nlog_type warning\nlog_type notice\nlog_type information\n",
        port = layout.port,
        bind = layout.bind,
        store = layout.dir.display(),
    );
    if options.user.is_some() {
        text.push_str(&format!(
            "allow_anonymous false\npassword_file {password_file}\n"
        ));
    } else {
        text.push_str("allow_anonymous true\n");
    }
    if layout.as_root {
        // Run as root, Mosquitto switches to the `mosquitto` user, which
        // cannot write a data directory that root created.
        text.push_str("user root\n");
    }
    text.push_str(&layout.reader_lines(options)?);
    Ok(text)
}

impl Recipe for Mosquitto {
    fn facts(&self) -> &'static Facts {
        &FACTS
    }

    fn prepare(
        &self,
        layout: &Layout,
        options: &Options,
        lookup: &Lookup,
    ) -> Result<(), BrokerError> {
        let passwd = layout.path("passwd");
        if let Some((user, password)) = &options.user {
            let tool = lookup.find_program("mosquitto_passwd").ok_or_else(|| {
                BrokerError::BadOption(
                    "a Mosquitto user needs `mosquitto_passwd` on PATH (it comes with the mosquitto package)".into(),
                )
            })?;
            let out = Command::new(&tool)
                .args(["-b", "-c", &passwd, user, password])
                .output()
                .map_err(|cause| BrokerError::Spawn {
                    program: tool.display().to_string(),
                    cause,
                })?;
            if !out.status.success() {
                return Err(BrokerError::BadOption(format!(
                    "mosquitto_passwd failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                )));
            }
        }
        write_file(
            &layout.dir.join("mosquitto.conf"),
            &config(layout, options, &passwd)?,
        )
    }

    fn launch(&self, layout: &Layout, program: &Path, _lookup: &Lookup) -> Vec<Launch> {
        let mut command = Command::new(program);
        command.arg("-c").arg(layout.dir.join("mosquitto.conf"));
        vec![Launch {
            command,
            wait_for_port: None,
        }]
    }

    fn probe(&self, stream: &mut TcpStream) -> io::Result<()> {
        // CONNECT, MQTT 3.1.1, clean session, keep-alive 60 s, client id "labkit-probe".
        let client_id = b"labkit-probe";
        let mut packet = vec![0x10, (10 + 2 + client_id.len()) as u8];
        packet.extend_from_slice(&[0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60]);
        packet.extend_from_slice(&[0, client_id.len() as u8]);
        packet.extend_from_slice(client_id);
        stream.write_all(&packet)?;
        // CONNACK is 0x20, length 2, flags, return code. A refusal (bad
        // credentials: code 5) still proves the broker is serving MQTT.
        let connack = read_n(stream, 4)?;
        if connack[0] != 0x20 || connack[1] != 2 {
            return Err(unexpected(format!(
                "expected CONNACK 20 02 .., got {connack:02x?}"
            )));
        }
        if connack[3] == 0 {
            stream.write_all(&[0xe0, 0x00])?; // DISCONNECT
        }
        Ok(())
    }

    fn url(&self, host: &str, port: u16, options: &Options) -> String {
        match &options.user {
            Some((u, p)) => format!("mqtt://{u}:{p}@{host}:{port}"),
            None => format!("mqtt://{host}:{port}"),
        }
    }

    #[cfg(feature = "docker")]
    fn container(&self, layout: &Layout, options: &Options) -> Result<ContainerPlan, BrokerError> {
        let conf = "/mosquitto/config/mosquitto.conf";
        let passwd = "/mosquitto/config/passwd";
        let mut cmd = Vec::new();
        if options.user.is_some() {
            // The image has mosquitto_passwd; user and password travel as
            // arguments ($0, $1), never through shell quoting.
            let (user, password) = options.user.clone().unwrap_or_default();
            cmd = vec![
                "sh".into(),
                "-c".into(),
                format!(
                    "mosquitto_passwd -b -c {passwd} \"$0\" \"$1\" && chown mosquitto {passwd} && exec mosquitto -c {conf}"
                ),
                user,
                password,
            ];
        }
        Ok(ContainerPlan {
            port: layout.port,
            cmd,
            files: vec![(conf.into(), config(layout, options, passwd)?.into_bytes())],
        })
    }
}
