//! `cargo run -p lab-rest [SCENARIO]` — Chapter 1's lab.
//!
//! Without a scenario it walks through the tour; `--help` lists them all.
//! `cargo run -p lab-rest -- serve` runs the lab's server on its own, and
//! `--server URL` points the scenarios at such a server instead of an
//! in-process one.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use lab_rest::{
    LAB, Lab, SCENARIOS, bytes, caching, idempotency, json, keepalive, multiplex, polling,
};
use labkit::cli::{self, Common};

#[derive(Parser)]
#[command(
    name = "lab-rest",
    about = "Chapter 1: what HTTP/1.1 + JSON costs, measured on your machine",
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    common: Common,

    /// Run the scenarios against a lab server already running at this URL
    /// (start one with `cargo run -p lab-rest -- serve`).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the lab's server in the foreground, for curl, a browser or `--server`.
    Serve {
        /// Where the server listens.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:3000")]
        listen: String,
    },
}

fn main() -> ExitCode {
    let args: Args = cli::parse(SCENARIOS);
    cli::run(|| async move {
        if let Some(Command::Serve { listen }) = &args.command {
            return serve(listen).await;
        }
        let lab = match &args.server {
            Some(url) => Lab::remote(url).await?,
            None => Lab::local().await?,
        };
        for scenario in args.common.selected(SCENARIOS) {
            if !cli::begin(LAB, scenario, &lab, &args.common)? {
                continue;
            }
            let report = match scenario.name {
                "bytes" => bytes::run(&lab).await?,
                "keepalive" => keepalive::run(&lab).await?,
                "multiplex" => multiplex::run(&lab).await?,
                "json" => json::run(&lab).await?,
                "polling" => polling::run(&lab).await?,
                "idempotency" => idempotency::run(&lab).await?,
                "caching" => caching::run(&lab).await?,
                other => unreachable!("clap accepts only listed scenarios, not {other}"),
            };
            cli::finish(&report, &args.common)?;
        }
        Ok(())
    })
}

/// Runs the server until Ctrl-C.
async fn serve(listen: &str) -> anyhow::Result<()> {
    let listener = cli::listen(listen).await?;
    let server = lab_rest::server::spawn(listener).await?;
    println!("lab-rest server on http://{} — Ctrl-C to stop", server.addr);
    println!("try: curl -i http://{}/readings/7", server.addr);
    tokio::signal::ctrl_c()
        .await
        .context("cannot wait for Ctrl-C")?;
    Ok(())
}
