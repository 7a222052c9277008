//! `cargo run -p lab-rest [SCENARIO]` — Chapter 1's lab.
//!
//! Without a scenario it walks through all of them; `--help` lists them.
//! `cargo run -p lab-rest -- serve` runs the lab's server on its own, and
//! `--server URL` points the scenarios at such a server instead of an
//! in-process one.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use lab_rest::{Target, anatomy, caching, idempotency, json_cost, keepalive, multiplex, polling};
use labkit::cli::{self, Common, Scenario};

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "bytes",
        about: "the bytes of one HTTP/1.1 request and response, heads against bodies",
        notice: "how much of each exchange is headers; the reading itself is the small part",
    },
    Scenario {
        name: "keepalive",
        about: "200 requests on fresh connections against one kept-alive connection",
        notice: "the TCP connection count, and what the extra handshakes cost even on loopback",
    },
    Scenario {
        name: "multiplex",
        about: "100 concurrent requests over HTTP/1.1 (unbounded, 6 lanes) and HTTP/2",
        notice: "connections used, and how long the last request waits with only six lanes",
    },
    Scenario {
        name: "json",
        about: "JSON encode/decode time and bytes for growing payloads (a benchmark)",
        notice: "the share of bytes that are field names, repeated in every record",
    },
    Scenario {
        name: "polling",
        about: "waiting for events: polling on a timer against long-polling",
        notice: "empty answers, bytes per delivered event and the delay each way adds",
    },
    Scenario {
        name: "idempotency",
        about: "a POST retried after the proxy cut the connection, with and without a key",
        notice: "the number of charges the same failure makes",
    },
    Scenario {
        name: "caching",
        about: "ETag revalidation: a 304 answer instead of the whole page",
        notice: "the response body bytes of the second request",
    },
    Scenario {
        name: "serve",
        about: "run the lab's server in the foreground (not part of the tour)",
        notice: "",
    },
];

#[derive(Parser)]
#[command(
    name = "lab-rest",
    about = "Chapter 1: what HTTP/1.1 + JSON costs, measured on your machine"
)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Run the scenarios against a lab server already running at this URL
    /// (start one with `cargo run -p lab-rest -- serve`).
    #[arg(long, value_name = "URL")]
    server: Option<String>,

    /// Where `serve` listens.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:3000")]
    listen: String,
}

fn main() -> ExitCode {
    let args: Args = cli::parse(SCENARIOS);
    cli::run(|| async move {
        if args.common.scenario.as_deref() == Some("serve") {
            return serve(&args.listen).await;
        }
        let target = match &args.server {
            Some(url) => Target::remote(url).await?,
            None => Target::local().await?,
        };
        for scenario in args.common.selected(SCENARIOS) {
            if scenario.name == "serve" {
                continue;
            }
            cli::announce(lab_rest::LAB, scenario);
            let report = match scenario.name {
                "bytes" => anatomy::run(&target).await?,
                "keepalive" => keepalive::run(&target).await?,
                "multiplex" => multiplex::run(&target).await?,
                "json" => json_cost::run()?,
                "polling" => polling::run(&target).await?,
                "idempotency" => idempotency::run(&target).await?,
                "caching" => caching::run(&target).await?,
                other => anyhow::bail!("no scenario named {other}"),
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
