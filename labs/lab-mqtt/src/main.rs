//! `cargo run -p lab-mqtt [SCENARIO]` — Chapter 4's lab.
//!
//! Without a scenario it walks through all of them except the `scale`
//! benchmark; `--help` lists them. The broker is yours if `MQTT_URL` is
//! set, else the one on port 1883, else a private Mosquitto, else a
//! container, else rumqttd embedded in the lab (it says so).

use std::process::ExitCode;

use clap::Parser;
use lab_mqtt::{
    Target, acl, anatomy, cuts, mqtt5, qos, retained, scale, session, tls, topics, will,
};
use labkit::cli::{self, Common, Scenario};

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "bytes",
        about: "one reading as an MQTT PUBLISH (QoS 0, 1, 2) and as Chapter 1's HTTP POST",
        notice: "the bytes before the reading: the topic travels in every PUBLISH, headers in every POST",
    },
    Scenario {
        name: "topics",
        about: "four subscriptions, five topics: who hears what",
        notice: "a broad filter catches commands it was not meant for; no wildcard reaches a $ topic",
    },
    Scenario {
        name: "qos",
        about: "the packets each QoS level costs, on the publisher's hop and the subscriber's",
        notice: "the subscriber's hop runs at the lower of the two levels",
    },
    Scenario {
        name: "cuts",
        about: "the publisher's connection cut at every byte of a QoS exchange",
        notice: "lost at QoS 0, duplicated at QoS 1, exactly once at QoS 2 only with a kept session",
    },
    Scenario {
        name: "retained",
        about: "a new subscriber receives the last retained value at once",
        notice: "one value per topic, not a history; an empty retained message clears it",
    },
    Scenario {
        name: "session",
        about: "QoS 1 messages queued for an absent subscriber, across a restart and a crash",
        notice: "a clean session gets nothing; a crash loses what the broker had not saved",
    },
    Scenario {
        name: "will",
        about: "a device that goes silent, and one that says goodbye",
        notice: "the will arrives only for the silent one, after the keep-alive ran out",
    },
    Scenario {
        name: "mqtt5",
        about: "MQTT 5: shared subscriptions, message expiry, request/response, topic aliases",
        notice: "each job to one member; the expired message never arrives; the alias saves the topic's bytes",
    },
    Scenario {
        name: "tls",
        about: "the same client and readings without and with TLS (private Mosquitto, throwaway certificates)",
        notice: "the handshake is paid once per connection; every PUBLISH then pays a record header and tag",
    },
    Scenario {
        name: "acl",
        about: "a publish the broker's ACL forbids, over MQTT 3.1.1 and MQTT 5 (private Mosquitto)",
        notice: "MQTT 3.1.1 acknowledges it as if nothing happened; MQTT 5 says why it was refused",
    },
    Scenario {
        name: "scale",
        about: "1,000 clients against a raw-TCP floor (a benchmark; not in the tour)",
        notice: "ratios against the floor measured in the same run, not absolute times",
    },
];

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
        let mut target = if args.embedded {
            Target::embedded()?
        } else {
            Target::for_cargo_run().await?
        };
        println!("broker: {}", target.describe);
        let tour = args.common.scenario.is_none();
        for scenario in args.common.selected(SCENARIOS) {
            if tour && scenario.name == "scale" {
                continue;
            }
            if !target.is_mosquitto()
                && matches!(
                    scenario.name,
                    "topics" | "cuts" | "mqtt5" | "will" | "tls" | "acl"
                )
            {
                println!(
                    "(skipping `{}`: it needs Mosquitto; rumqttd lacks what it shows)",
                    scenario.name
                );
                continue;
            }
            cli::announce(lab_mqtt::LAB, scenario);
            let report = match scenario.name {
                "bytes" => anatomy::run(&target).await?,
                "topics" => topics::run(&target).await?,
                "qos" => qos::run(&target).await?,
                "cuts" => cuts::run(&target).await?,
                "retained" => retained::run(&target).await?,
                "session" => session::run(&mut target).await?,
                "will" => will::run(&target).await?,
                "mqtt5" => mqtt5::run(&target).await?,
                "tls" => tls::run().await?,
                "acl" => acl::run().await?,
                "scale" => scale::run(&target).await?,
                other => anyhow::bail!("no scenario named {other}"),
            };
            cli::finish(&report, &args.common)?;
        }
        Ok(())
    })
}
