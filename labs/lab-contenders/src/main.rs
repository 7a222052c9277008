//! `cargo run -p lab-contenders [SCENARIO]` — Chapter 8's lab.
//!
//! Without a scenario it walks through the tour; `--help` lists them all.

use std::process::ExitCode;

use clap::Parser;
use lab_contenders::compare;
use lab_contenders::graphql;
use lab_contenders::nats_cluster;
use lab_contenders::otlp;
use lab_contenders::{
    LAB, Lab, SCENARIOS, avro, jsonrpc, nats_ack, nats_away, nats_dedup, nats_kv, nats_queue,
    nats_request, nats_stream, nats_subjects, thrift, twirp, xmlrpc,
};
use labkit::cli::{self, Common};

#[derive(Parser)]
#[command(
    name = "lab-contenders",
    about = "Chapter 8: the lesser-known contenders, each run for real on the same payment"
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
                "nats-subjects" => nats_subjects::run(&lab).await?,
                "nats-request" => nats_request::run(&lab).await?,
                "nats-queue" => nats_queue::run(&lab).await?,
                "nats-away" => nats_away::run(&lab).await?,
                "nats-stream" => nats_stream::run(&lab).await?,
                "nats-dedup" => nats_dedup::run(&lab).await?,
                "nats-ack" => nats_ack::run(&lab).await?,
                "nats-kv" => nats_kv::run(&lab).await?,
                "nats-cluster" => nats_cluster::run(&lab).await?,
                "thrift" => thrift::run(&lab).await?,
                "avro" => avro::run(&lab).await?,
                "twirp" => twirp::run(&lab).await?,
                "jsonrpc" => jsonrpc::run(&lab).await?,
                "xmlrpc" => xmlrpc::run(&lab).await?,
                "graphql" => graphql::run(&lab).await?,
                "otlp" => otlp::run(&lab).await?,
                "compare" => compare::run(&lab).await?,
                other => unreachable!("clap accepts only listed scenarios, not {other}"),
            };
            cli::finish(&report, &args.common)?;
        }
        Ok(())
    })
}
