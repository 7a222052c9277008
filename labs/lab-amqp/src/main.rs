//! `cargo run -p lab-amqp [SCENARIO]` — Chapter 5's lab.
//!
//! Without a scenario it walks through the tour; `--help` lists them all.
//! Scenarios that only publish and consume use `AMQP_URL`, else the
//! RabbitMQ on port 5672, else a private one; `durability`, `security` and
//! `tls` always start a private RabbitMQ, because they restart it, add users
//! or need a TLS listener; `placement`, `failover`, `classic-down`,
//! `minority` and `replication` share a private three-node cluster.

use std::process::ExitCode;

use clap::Parser;
use lab_amqp::{
    LAB, Lab, SCENARIOS, classic_down, consumers, dead_letters, durability, failover, frames,
    levelling, minority, placement, queue_props, replication, routing, security, streams,
    throughput, tls,
};
use labkit::cli::{self, Common};

#[derive(Parser)]
#[command(
    name = "lab-amqp",
    about = "Chapter 5: AMQP 0-9-1 and RabbitMQ, shown on your machine"
)]
struct Args {
    #[command(flatten)]
    common: Common,
}

fn main() -> ExitCode {
    let args: Args = cli::parse(SCENARIOS);
    cli::run(|| async move {
        let lab = Lab::new();
        for scenario in args.common.selected(SCENARIOS) {
            if !cli::begin(LAB, scenario, &lab, &args.common)? {
                continue;
            }
            let report = match scenario.name {
                "frames" => frames::run(&lab).await?,
                "routing" => routing::run(&lab).await?,
                "consumers" => consumers::run(&lab).await?,
                "durability" => durability::run(&lab).await?,
                "dead-letters" => dead_letters::run(&lab).await?,
                "queue-props" => queue_props::run(&lab).await?,
                "levelling" => levelling::run(&lab).await?,
                "streams" => streams::run(&lab).await?,
                "security" => security::run(&lab).await?,
                "tls" => tls::run(&lab).await?,
                "throughput" => throughput::run(&lab).await?,
                "placement" => placement::run(&lab).await?,
                "failover" => failover::run(&lab).await?,
                "classic-down" => classic_down::run(&lab).await?,
                "minority" => minority::run(&lab).await?,
                "replication" => replication::run(&lab).await?,
                other => unreachable!("clap accepts only listed scenarios, not {other}"),
            };
            cli::finish(&report, &args.common)?;
        }
        Ok(())
    })
}
