//! `cargo run -p lab-frontier [SCENARIO]` — Chapter 9's lab.
//!
//! Without a scenario it walks through the tour; `--help` lists them all.

use std::process::ExitCode;

use clap::Parser;
use lab_frontier::{
    LAB, Lab, SCENARIOS, batching, columnar, handshakes, hol, http3, migration, p2p, reactive,
    replay, sync, webtransport,
};
use labkit::cli::{self, Common};

#[derive(Parser)]
#[command(
    name = "lab-frontier",
    about = "Chapter 9: the frontier made runnable — QUIC, HTTP/3, WebTransport, local-first \
             sync, reactive queries, batching, peer to peer — measured on your machine"
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
                "hol" => hol::run(&lab).await?,
                "handshakes" => handshakes::run(&lab).await?,
                "replay" => replay::run(&lab).await?,
                "migration" => migration::run(&lab).await?,
                "http3" => http3::run(&lab).await?,
                "webtransport" => webtransport::run(&lab).await?,
                "sync" => sync::run(&lab).await?,
                "reactive" => reactive::run(&lab).await?,
                "batching" => batching::run(&lab).await?,
                "p2p" => p2p::run(&lab).await?,
                "columnar" => columnar::run(&lab).await?,
                other => unreachable!("clap accepts only listed scenarios, not {other}"),
            };
            cli::finish(&report, &args.common)?;
        }
        Ok(())
    })
}
