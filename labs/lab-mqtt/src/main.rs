//! `cargo run -p lab-mqtt [SCENARIO]` — Chapter 4's lab.
//!
//! Without a scenario it walks through all of them except the `scale`
//! benchmark; `--help` lists them. The broker is yours if `MQTT_URL` is
//! set, else the one on port 1883, else a private Mosquitto, else a
//! container, else rumqttd embedded in the lab (it says so).

use std::process::ExitCode;

use clap::Parser;
use lab_mqtt::{
    LAB, Lab, SCENARIOS, acl, bytes, cuts, mqtt5, qos, retained, scale, session, tls, topics, will,
};
use labkit::cli::{self, Common};

#[derive(Parser)]
#[command(
    name = "lab-mqtt",
    about = "Chapter 4: MQTT against a real broker — bytes, QoS, cuts, sessions, wills"
)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Use rumqttd embedded in the lab even if a broker is available
    /// (what happens on a machine with no broker at all).
    #[arg(long)]
    embedded: bool,
}

fn main() -> ExitCode {
    let args: Args = cli::parse(SCENARIOS);
    cli::run(|| async move {
        let lab = if args.embedded {
            Lab::embedded()
        } else {
            Lab::for_cargo_run()
        };
        println!("broker: {}", lab.broker().await?.describe());
        for scenario in args.common.selected(SCENARIOS) {
            if !cli::begin(LAB, scenario, &lab, &args.common)? {
                continue;
            }
            let report = match scenario.name {
                "bytes" => bytes::run(&lab).await?,
                "topics" => topics::run(&lab).await?,
                "qos" => qos::run(&lab).await?,
                "cuts" => cuts::run(&lab).await?,
                "retained" => retained::run(&lab).await?,
                "session" => session::run(&lab).await?,
                "will" => will::run(&lab).await?,
                "mqtt5" => mqtt5::run(&lab).await?,
                "tls" => tls::run(&lab).await?,
                "acl" => acl::run(&lab).await?,
                "scale" => scale::run(&lab).await?,
                other => unreachable!("clap accepts only listed scenarios, not {other}"),
            };
            cli::finish(&report, &args.common)?;
        }
        Ok(())
    })
}
