//! `cargo run -p lab-grpc [SCENARIO]` — Chapter 2's lab.
//!
//! Without a scenario it walks through all of them; `--help` lists them.
//! `cargo run -p lab-grpc -- serve` runs the payment service on its own
//! (with reflection and gRPC-Web on), for your own clients.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use lab_grpc::{
    balance, browser, deadline, evolution, kinds, multiplex, protobuf, reflection, status, wire,
};
use labkit::cli::{self, Common, Scenario};

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "wire",
        about: "one unary call frame by frame, and its bytes against JSON over HTTP/1.1",
        notice: "the status arrives in a second HEADERS frame (the trailers), and call 2 is smaller than call 1",
    },
    Scenario {
        name: "kinds",
        about: "unary, server, client and bidirectional streaming: messages counted on the wire",
        notice: "every kind is one HTTP/2 stream; only the message counts differ",
    },
    Scenario {
        name: "multiplex",
        about: "100 concurrent calls on one connection, then a server limit of 10 streams",
        notice: "one TCP connection either way; past the limit calls wait instead of failing",
    },
    Scenario {
        name: "deadline",
        about: "a call past its deadline: DEADLINE_EXCEEDED, and the server cancels its work",
        notice: "the deadline travels as a header, and the server's handler never completes",
    },
    Scenario {
        name: "status",
        about: "all 17 status codes, each from a situation, with rich error details",
        notice: "which codes the handler chose and which came from gRPC itself",
    },
    Scenario {
        name: "evolution",
        about: "old and new clients and servers built from two versions of the .proto",
        notice: "added fields pass both ways; a changed field type breaks decoding",
    },
    Scenario {
        name: "balance",
        about: "two backends: an L4 balancer against client-side balancing",
        notice: "how many calls each backend got",
    },
    Scenario {
        name: "browser",
        about: "gRPC-Web from a page in headless Chromium (needs chromium, chromium-driver)",
        notice: "unary and server streaming work; a client stream is refused by the browser",
    },
    Scenario {
        name: "reflection",
        about: "a generic client that learns the schema from the server and calls it",
        notice: "the call is made without any generated code",
    },
    Scenario {
        name: "protobuf",
        about: "protobuf against JSON: sizes, encode and decode times (a benchmark)",
        notice: "the size ratio is exact; the time ratios depend on your machine",
    },
    Scenario {
        name: "serve",
        about: "run the payment service in the foreground (not part of the tour)",
        notice: "",
    },
];

#[derive(Parser)]
#[command(
    name = "lab-grpc",
    about = "Chapter 2: gRPC is HTTP/2 in a convincing costume, shown on the wire"
)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Where `serve` listens.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:50051")]
    listen: String,
}

fn main() -> ExitCode {
    let args: Args = cli::parse(SCENARIOS);
    cli::run(|| async move {
        if args.common.scenario.as_deref() == Some("serve") {
            return serve(&args.listen).await;
        }
        for scenario in args.common.selected(SCENARIOS) {
            if scenario.name == "serve" {
                continue;
            }
            cli::announce(lab_grpc::LAB, scenario);
            let report = match scenario.name {
                "wire" => wire::run().await?,
                "kinds" => kinds::run().await?,
                "multiplex" => multiplex::run().await?,
                "deadline" => deadline::run().await?,
                "status" => status::run().await?,
                "evolution" => evolution::run().await?,
                "balance" => balance::run().await?,
                "browser" => browser::run().await?,
                "reflection" => reflection::run().await?,
                "protobuf" => protobuf::run()?,
                other => anyhow::bail!("no scenario named {other}"),
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
