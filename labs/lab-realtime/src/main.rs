//! `cargo run -p lab-realtime [SCENARIO]` — Chapter 3's lab.
//!
//! Without a scenario it walks through all of them; `--help` lists them.
//! `cargo run -p lab-realtime -- serve` runs the lab's server and its demo
//! page on their own (open http://127.0.0.1:3003/ in a browser).

use std::process::ExitCode;

use anyhow::Context;
use lab_realtime::{
    browser, drain, frames, handshake, idle, proxies, push, scaleout, server, socketio, sse_format,
};
use labkit::broker::{self, Kind};
use labkit::cli::{self, Common, Scenario};

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "handshake",
        about: "the HTTP Upgrade request, the 101 answer, Sec-WebSocket-Accept by hand",
        notice: "the accept value computed here equals the server's",
    },
    Scenario {
        name: "frames",
        about: "frame headers by payload size, masking, ping/pong, fragments, close codes",
        notice: "2, 4 or 10 header bytes, +4 on every client frame; an unmasked client frame ends the connection",
    },
    Scenario {
        name: "push",
        about: "the same events by polling, long-polling, SSE and WebSocket, side by side",
        notice: "requests and bytes per event, and the delay polling adds",
    },
    Scenario {
        name: "sse",
        about: "a server-sent events response, line by line: id, event, data, retry",
        notice: "a plain GET and a plain 200; the body is text blocks ended by blank lines",
    },
    Scenario {
        name: "browser",
        about: "headless Chromium's EventSource reconnects with Last-Event-ID after a cut",
        notice: "the ids the page lists: every event once, in order",
    },
    Scenario {
        name: "proxies",
        about: "SSE and WebSocket through a real nginx, with and without the right settings",
        notice: "buffered events arrive in one lump; the upgrade fails without the headers",
    },
    Scenario {
        name: "scaleout",
        about: "two WebSocket servers: a chat message crosses only through Redis pub/sub",
        notice: "what the client on the other server heard",
    },
    Scenario {
        name: "idle",
        about: "thousands of idle WebSocket connections and the server's memory",
        notice: "memory per connection (a measurement, not a limit)",
    },
    Scenario {
        name: "drain",
        about: "a server shuts down with close 1001; its client resumes on another server",
        notice: "the ids received from each server: none lost, none twice",
    },
    Scenario {
        name: "socketio",
        about: "a plain WebSocket client against a Socket.IO server (socketioxide)",
        notice: "the Engine.IO open packet, and what happens to a message that is not one",
    },
    Scenario {
        name: "serve",
        about: "run the lab's server and demo page in the foreground (not part of the tour)",
        notice: "",
    },
];

#[derive(clap::Parser)]
#[command(
    name = "lab-realtime",
    about = "Chapter 3: WebSockets and server-sent events, measured on your machine"
)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Where `serve` listens.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:3003")]
    listen: String,
}

fn main() -> ExitCode {
    let args: Args = cli::parse(SCENARIOS);
    cli::run(|| async move {
        if args.common.scenario.as_deref() == Some("serve") {
            return serve(&args.listen).await;
        }
        let local = server::spawn_local()
            .await
            .context("cannot start the lab's server on 127.0.0.1")?;
        let (addr, hub) = (local.addr, local.hub.clone());
        for scenario in args.common.selected(SCENARIOS) {
            if scenario.name == "serve" {
                continue;
            }
            cli::announce(lab_realtime::LAB, scenario);
            let report = match scenario.name {
                "handshake" => handshake::run(addr).await?,
                "frames" => frames::run(addr).await?,
                "push" => push::run(addr, &hub).await?,
                "sse" => sse_format::run(addr, &hub).await?,
                "browser" => {
                    // A fresh server: the page must start from an empty log.
                    let fresh = server::spawn_local().await?;
                    browser::run(fresh.addr, &fresh.hub).await?
                }
                "proxies" => proxies::run(addr, &hub).await?,
                "scaleout" => {
                    let redis = broker::for_cargo_run(Kind::Redis).await?;
                    scaleout::run(redis.url()).await?
                }
                "idle" => idle::run().await?,
                "drain" => drain::run().await?,
                "socketio" => socketio::run().await?,
                other => anyhow::bail!("no scenario named {other}"),
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
