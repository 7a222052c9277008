//! `cargo run -p lab-amqp [SCENARIO]` — Chapter 5's lab.
//!
//! Without a scenario it walks through all of them; `--help` lists them.
//! Scenarios that only publish and consume use `AMQP_URL`, else the
//! RabbitMQ on port 5672, else a private one; `durability`, `security` and
//! `tls` always start a private RabbitMQ, because they restart it, add users
//! or need a TLS listener.

use std::process::ExitCode;

use lab_amqp::{
    LAB, consumers, dead_letters, durability, frames, levelling, queue_props, routing, security,
    streams, throughput, tls,
};
use labkit::broker::{self, Broker, Kind, Options};
use labkit::cli::{self, Common, Scenario};

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "frames",
        about: "one publish and one delivery, frame by frame, two channels on one connection",
        notice: "a message is three frames: method, content header, content body",
    },
    Scenario {
        name: "routing",
        about: "direct, fanout, topic and headers exchanges; unroutable messages",
        notice: "which queue got which message, and what mandatory and an alternate exchange change",
    },
    Scenario {
        name: "consumers",
        about: "competing consumers, prefetch 1 against 100, ack/nack/reject, a consumer that dies",
        notice: "nothing unacknowledged is ever lost: it comes back flagged redelivered",
    },
    Scenario {
        name: "durability",
        about: "the durable/transient matrix across a real restart; confirms against a crash (private broker)",
        notice: "the message survives in a durable queue even when its exchange does not",
    },
    Scenario {
        name: "dead-letters",
        about: "reject, TTL and max-length routed to a dead-letter exchange; a poison message parked",
        notice: "the x-death header says why each message died",
    },
    Scenario {
        name: "queue-props",
        about: "message and queue TTL, max-length overflow modes, priorities, quorum queues",
        notice: "drop-head keeps the newest; reject-publish nacks the newest",
    },
    Scenario {
        name: "levelling",
        about: "a burst absorbed by a queue and drained at the consumer's pace (chart)",
        notice: "the peak depth, and the steady slope down",
    },
    Scenario {
        name: "streams",
        about: "a RabbitMQ stream replayed from an offset, beside a queue",
        notice: "the stream still holds what a consumer acknowledged",
    },
    Scenario {
        name: "security",
        about: "a user limited to one virtual host and a name pattern (private broker)",
        notice: "the broker answers ACCESS_REFUSED, not the client",
    },
    Scenario {
        name: "tls",
        about: "one login over amqp:// and over amqps://, seen by a proxy (private broker)",
        notice: "with PLAIN over amqp:// the password crosses the wire as it is",
    },
    Scenario {
        name: "throughput",
        about: "persistent vs transient, confirms vs none, classic vs quorum (a benchmark)",
        notice: "the ratios between the rows",
    },
];

#[derive(clap::Parser)]
#[command(
    name = "lab-amqp",
    about = "Chapter 5: AMQP 0-9-1 and RabbitMQ, shown on your machine"
)]
struct Args {
    #[command(flatten)]
    common: Common,
}

fn main() -> ExitCode {
    let Args { common: args } = cli::parse(SCENARIOS);
    cli::run(|| async move {
        let mut shared: Option<Broker> = None;
        for scenario in args.selected(SCENARIOS) {
            cli::announce(LAB, scenario);
            let report = match scenario.name {
                "durability" => durability::run(&mut private(Options::new()).await?).await?,
                "security" => security::run(&private(Options::new()).await?).await?,
                "tls" => tls::run().await?,
                name => {
                    if shared.is_none() {
                        shared = Some(broker::for_cargo_run(Kind::RabbitMq).await?);
                    }
                    let b = shared.as_ref().expect("set just above");
                    let (url, addr) = (b.url(), b.addr());
                    match name {
                        "frames" => frames::run(url, addr).await?,
                        "routing" => routing::run(url).await?,
                        "consumers" => consumers::run(url, addr).await?,
                        "dead-letters" => dead_letters::run(url).await?,
                        "queue-props" => queue_props::run(url).await?,
                        "levelling" => levelling::run(url).await?,
                        "streams" => streams::run(url).await?,
                        "throughput" => throughput::run(url).await?,
                        other => anyhow::bail!("no scenario named {other}"),
                    }
                }
            };
            cli::finish(&report, &args)?;
        }
        Ok(())
    })
}

async fn private(options: Options) -> anyhow::Result<Broker> {
    println!("(starting a private RabbitMQ: 2–5 s)");
    Ok(broker::private(Kind::RabbitMq, options).await?)
}
