//! The one value every lab-realtime scenario is handed: what scenarios
//! share, started on first use.
//!
//! Most scenarios talk to the lab's server, so the lab keeps one, started
//! the first time a scenario asks; its event log carries on from scenario
//! to scenario, as a real server's would. A scenario that must start from
//! an empty log (`browser`) asks for a fresh server of its own. `scaleout`
//! needs Redis, found or started on first use. Chapter 1's API, which the
//! lab's server mounts unchanged, is reached only through
//! [`lab_rest::baseline`].

use anyhow::Context;
use lab_rest::baseline::{self, Target};
use labkit::broker::{self, Broker, Kind};
use tokio::sync::OnceCell;

use crate::server::{self, RunningServer};

/// What lab-realtime's scenarios share.
#[derive(Default)]
pub struct Lab {
    server: OnceCell<RunningServer>,
    redis: OnceCell<Broker>,
}

impl Lab {
    /// A lab that has started nothing yet: `--help`, or a scenario that
    /// brings its own servers, costs nothing.
    pub fn new() -> Lab {
        Lab::default()
    }

    /// The lab's server (SSE, WebSocket and Chapter 1's API on one port),
    /// in this process on a free port of 127.0.0.1; it stops with the lab.
    pub async fn server(&self) -> anyhow::Result<&RunningServer> {
        self.server
            .get_or_try_init(|| async {
                server::spawn_local()
                    .await
                    .context("cannot start the lab's server on 127.0.0.1")
            })
            .await
    }

    /// A server of its own for one scenario, with an empty event log; it
    /// stops when the returned value drops.
    pub async fn fresh_server(&self) -> anyhow::Result<RunningServer> {
        server::spawn_local()
            .await
            .context("cannot start a fresh lab server on 127.0.0.1")
    }

    /// Redis, for the chat relay between two servers: the reader's
    /// (`REDIS_URL`), the one on port 6379, else a private one.
    pub async fn broker(&self) -> anyhow::Result<&Broker> {
        self.redis
            .get_or_try_init(|| async { broker::for_cargo_run(Kind::Redis).await })
            .await
            .map_err(anyhow::Error::from)
    }

    /// Chapter 1's API (polling and long-polling) as the lab's server mounts
    /// it: the yardstick `push` measures SSE and WebSocket against.
    pub async fn baseline(&self) -> anyhow::Result<Target> {
        Ok(baseline::at(self.server().await?.addr))
    }
}

/// Chromium (for `browser`) and nginx (for `proxies`) the machine answers
/// for: the trait's default.
impl labkit::cli::Lab for Lab {}
