//! `cargo run -p lab-grpc [SCENARIO]` — Chapter 2's lab.
//!
//! Without a scenario it walks through the tour; `--help` lists them all.
//! `cargo run -p lab-grpc -- serve` runs the payment service on its own
//! (with reflection and gRPC-Web on), for your own clients.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use lab_grpc::{
    LAB, Lab, SCENARIOS, balance, browser, deadline, evolution, kinds, multiplex, protobuf,
    reflection, status, wire,
};
use labkit::cli::{self, Common};

#[derive(Parser)]
#[command(
    name = "lab-grpc",
    about = "Chapter 2: gRPC is HTTP/2 in a convincing costume, shown on the wire",
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
    /// Run the payment service in the foreground (reflection and gRPC-Web
    /// on), for your own gRPC clients or a browser.
    Serve {
        /// Where the service listens.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:50051")]
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
                "wire" => wire::run(&lab).await?,
                "kinds" => kinds::run(&lab).await?,
                "multiplex" => multiplex::run(&lab).await?,
                "deadline" => deadline::run(&lab).await?,
                "status" => status::run(&lab).await?,
                "evolution" => evolution::run(&lab).await?,
                "balance" => balance::run(&lab).await?,
                "browser" => browser::run(&lab).await?,
                "reflection" => reflection::run(&lab).await?,
                "protobuf" => protobuf::run(&lab).await?,
                other => unreachable!("clap accepts only listed scenarios, not {other}"),
            };
            cli::finish(&report, &args.common)?;
        }
        Ok(())
    })
}

/// Runs the service until Ctrl-C.
async fn serve(listen: &str) -> anyhow::Result<()> {
    let listener = cli::listen(listen).await?;
    let options = lab_grpc::server::Options {
        reflection: true,
        name: "serve".into(),
        ..Default::default()
    };
    let server = lab_grpc::server::spawn_on(listener, options).await?;
    println!(
        "lab-grpc payment service on {} (h2c; gRPC-Web and reflection on) — Ctrl-C to stop",
        server.addr
    );
    tokio::signal::ctrl_c()
        .await
        .context("cannot wait for Ctrl-C")?;
    Ok(())
}
