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

use super::credentials::Credentials;
#[cfg(feature = "docker")]
use super::recipe::ContainerPlan;
use super::recipe::{
    Facts, Launch, Layout, Recipe, Tls, read_n, refused, unexpected, url_with_user, write_file,
};
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

/// An MQTT 3.1.1 CONNECT: clean session, keep-alive 60 s, client id
/// "labkit-probe", and the user name and password when `login` has them.
fn connect_packet(login: &Credentials) -> Vec<u8> {
    fn field(out: &mut Vec<u8>, bytes: &[u8]) {
        let n = bytes.len().min(u16::MAX as usize);
        out.extend_from_slice(&(n as u16).to_be_bytes());
        out.extend_from_slice(&bytes[..n]);
    }
    let user = login.user.as_deref().or(login.token.as_deref());
    let mut flags = 0x02;
    let mut body = Vec::new();
    field(&mut body, b"labkit-probe");
    if let Some(user) = user {
        flags |= 0x80;
        field(&mut body, user.as_bytes());
        if let Some(password) = &login.password {
            flags |= 0x40;
            field(&mut body, password.as_bytes());
        }
    }
    let mut rest = vec![0, 4, b'M', b'Q', b'T', b'T', 4, flags, 0, 60];
    rest.extend_from_slice(&body);
    let mut packet = vec![0x10];
    // The remaining length as MQTT's variable-length integer.
    let mut n = rest.len();
    loop {
        let byte = (n % 128) as u8;
        n /= 128;
        packet.push(if n > 0 { byte | 0x80 } else { byte });
        if n == 0 {
            break;
        }
    }
    packet.extend_from_slice(&rest);
    packet
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

    fn launch(
        &self,
        layout: &Layout,
        _options: &Options,
        program: &Path,
        _lookup: &Lookup,
    ) -> Vec<Launch> {
        let mut command = Command::new(program);
        command.arg("-c").arg(layout.dir.join("mosquitto.conf"));
        vec![Launch {
            command,
            wait_for_port: None,
        }]
    }

    fn probe(&self, stream: &mut TcpStream, login: &Credentials) -> io::Result<()> {
        stream.write_all(&connect_packet(login))?;
        // CONNACK is 0x20, length 2, flags, return code.
        let connack = read_n(stream, 4)?;
        if connack[0] != 0x20 || connack[1] != 2 {
            // Shown as hex and as text: another protocol's answer is often
            // readable ("HTTP" from a web server).
            let text: String = connack
                .iter()
                .map(|&b| if b.is_ascii_graphic() { b as char } else { '.' })
                .collect();
            return Err(unexpected(format!(
                "it does not speak MQTT: a CONNACK starts 20 02, it answered {connack:02x?} (\"{text}\")"
            )));
        }
        match connack[3] {
            0 => stream.write_all(&[0xe0, 0x00]), // DISCONNECT
            4 => Err(refused("CONNACK 4: bad user name or password")),
            5 => Err(refused("CONNACK 5: not authorized")),
            // Any other answer (wrong version, id rejected, unavailable)
            // still proves the broker is serving MQTT.
            _ => Ok(()),
        }
    }

    fn url(&self, host: &str, port: u16, options: &Options) -> String {
        url_with_user("mqtt", options, host, port)
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
