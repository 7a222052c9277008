//! The last resort for `cargo run`: rumqttd, an MQTT broker written in
//! Rust, started inside the lab's own process on a free port.
//!
//! It lets a reader with neither Mosquitto nor Docker still see MQTT's
//! packets and QoS levels. It is not what the tests use: the claims of the
//! chapter are checked against Mosquitto.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use anyhow::Context;

/// A running embedded broker; it lives as long as the process.
pub struct Embedded {
    pub addr: SocketAddr,
}

impl Embedded {
    /// Starts rumqttd on a free loopback port and waits until it accepts.
    pub fn start() -> anyhow::Result<Embedded> {
        let addr = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .context("cannot find a free port on 127.0.0.1")?;
        let config: rumqttd::Config = toml::from_str(&format!(
            r#"
            id = 0
            [router]
            id = 0
            max_connections = 10010
            max_outgoing_packet_count = 200
            max_segment_size = 104857600
            max_segment_count = 10
            [v4.1]
            name = "v4-1"
            listen = "{addr}"
            next_connection_delay_ms = 0
            [v4.1.connections]
            connection_timeout_ms = 60000
            max_payload_size = 20480
            max_inflight_count = 100
            dynamic_filters = true
            "#
        ))
        .context("the embedded broker's configuration does not parse")?;
        std::thread::Builder::new()
            .name("rumqttd".into())
            .spawn(move || {
                let mut broker = rumqttd::Broker::new(config);
                if let Err(e) = broker.start() {
                    eprintln!("error: the embedded rumqttd stopped: {e}");
                }
            })
            .context("cannot start a thread for the embedded broker")?;
        let started = Instant::now();
        while TcpStream::connect(addr).is_err() {
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(5),
                "the embedded rumqttd did not accept connections on {addr} within 5 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(Embedded { addr })
    }
}
