//! `cargo run -p lab-capnp [SCENARIO]` — Chapter 7's lab.
//!
//! Without a scenario it walks through the tour; `--help` lists them all.

use std::process::ExitCode;

use clap::Parser;
use lab_capnp::{
    LAB, Lab, SCENARIOS, capabilities, codecs, evolution, layout, pipeline, readtime, sizes,
    zerocopy,
};
use labkit::cli::{self, Common};

#[derive(Parser)]
#[command(
    name = "lab-capnp",
    about = "Chapter 7: Cap'n Proto and the binary formats beside it, measured on your machine"
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
                "sizes" => sizes::run(&lab).await?,
                "layout" => layout::run(&lab).await?,
                "zerocopy" => zerocopy::run(&lab).await?,
                "readtime" => readtime::run(&lab).await?,
                "codecs" => codecs::run(&lab).await?,
                "pipeline" => pipeline::run(&lab).await?,
                "capabilities" => capabilities::run(&lab).await?,
                "evolution" => evolution::run(&lab).await?,
                other => unreachable!("clap accepts only listed scenarios, not {other}"),
            };
            cli::finish(&report, &args.common)?;
        }
        Ok(())
    })
}
