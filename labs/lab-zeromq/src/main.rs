//! `cargo run -p lab-zeromq [SCENARIO]` — Chapter 6's lab.
//!
//! Without a scenario it walks through the tour; `--help` lists them all.
//! There is no server to start: every socket lives inside this process,
//! talking over 127.0.0.1, `ipc://` files in a temporary folder, or
//! `inproc://`.

use std::process::ExitCode;

use clap::Parser;
use lab_zeromq::{
    LAB, Lab, SCENARIOS, curve, heal, loss, pair, pipeline, pubsub, reqrep, router, transports,
};
use labkit::cli::{self, Common};

#[derive(Parser)]
#[command(
    name = "lab-zeromq",
    about = "Chapter 6: ZeroMQ's patterns, losses, wire and security, on the real libzmq"
)]
struct Args {
    #[command(flatten)]
    common: Common,
}

fn main() -> ExitCode {
    let args: Args = cli::parse(SCENARIOS);
    cli::run(|| async move {
        let lab = Lab::new()?;
        for scenario in args.common.selected(SCENARIOS) {
            if !cli::begin(LAB, scenario, &lab, &args.common)? {
                continue;
            }
            let report = match scenario.name {
                "reqrep" => reqrep::run(&lab).await?,
                "router" => router::run(&lab).await?,
                "pubsub" => pubsub::run(&lab).await?,
                "pipeline" => pipeline::run(&lab).await?,
                "pair" => pair::run(&lab).await?,
                "loss" => loss::run(&lab).await?,
                "curve" => curve::run(&lab).await?,
                "heal" => heal::run(&lab).await?,
                "transports" => transports::run(&lab).await?,
                other => unreachable!("clap accepts only listed scenarios, not {other}"),
            };
            cli::finish(&report, &args.common)?;
        }
        Ok(())
    })
}
