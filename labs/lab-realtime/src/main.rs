//! `cargo run -p lab-realtime [SCENARIO]` — Chapter 3's lab.
//!
//! Without a scenario it walks through the tour; `--help` lists them all.
//! `cargo run -p lab-realtime -- serve` runs the lab's server and its demo
//! page on their own (open http://127.0.0.1:3003/ in a browser).

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use lab_realtime::{
    LAB, Lab, SCENARIOS, browser, drain, frames, handshake, idle, proxies, push, scaleout, server,
    socketio, sse,
};
use labkit::cli::{self, Common};

#[derive(Parser)]
#[command(
    name = "lab-realtime",
    about = "Chapter 3: WebSockets and server-sent events, measured on your machine",
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    common: Common,
}

#[derive(Subcommand)]
enum Command {
    /// Run the lab's server and demo page in the foreground, for curl or a browser.
    Serve {
        /// Where the server listens.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:3003")]
        listen: String,
    },
}

fn main() -> ExitCode {
    let args: Args = cli::parse(SCENARIOS);
    cli::run(|| async move {
        if let Some(Command::Serve { listen }) = &args.command {
            return serve(listen).await;
        }
        let lab = Lab::new();
        for scenario in args.common.selected(SCENARIOS) {
            if !cli::begin(LAB, scenario, &lab, &args.common)? {
                continue;
            }
            let report = match scenario.name {
                "handshake" => handshake::run(&lab).await?,
                "frames" => frames::run(&lab).await?,
                "push" => push::run(&lab).await?,
                "sse" => sse::run(&lab).await?,
                "browser" => browser::run(&lab).await?,
                "proxies" => proxies::run(&lab).await?,
                "scaleout" => scaleout::run(&lab).await?,
                "idle" => idle::run(&lab).await?,
                "drain" => drain::run(&lab).await?,
                "socketio" => socketio::run(&lab).await?,
                other => unreachable!("clap accepts only listed scenarios, not {other}"),
            };
            cli::finish(&report, &args.common)?;
        }
        Ok(())
    })
}

/// Runs the server and its demo page until Ctrl-C.
async fn serve(listen: &str) -> anyhow::Result<()> {
    let listener = cli::listen(listen).await?;
    let hub = server::Hub::new(Default::default(), None);
    let running = server::spawn(listener, hub).await?;
    println!(
        "lab-realtime server on http://{} — open it in a browser; Ctrl-C to stop",
        running.addr
    );
    println!(
        "publish: curl -X POST -H 'content-type: application/json' -d '{{\"kind\":\"door-opened\"}}' http://{}/events",
        running.addr
    );
    tokio::signal::ctrl_c()
        .await
        .context("cannot wait for Ctrl-C")?;
    Ok(())
}
