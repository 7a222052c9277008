//! Where the scenarios find the lab's server: in-process, or at `--server URL`.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use reqwest::Url;

use crate::server::{self, RunningServer};

/// The server the scenarios talk to (always through a labkit proxy).
pub enum Target {
    /// A server started by this process on a free port.
    Local(RunningServer),
    /// A server started elsewhere with `cargo run -p lab-rest -- serve`.
    Remote { addr: SocketAddr },
}

impl Target {
    /// Starts the API in-process on 127.0.0.1 and a free port.
    pub async fn local() -> anyhow::Result<Target> {
        let server = server::spawn_local()
            .await
            .context("cannot start the lab's server on 127.0.0.1")?;
        Ok(Target::Local(server))
    }

    /// Uses a server that is already running at `url`, after checking that
    /// it answers `GET /health` like the lab's server does.
    pub async fn remote(url: &str) -> anyhow::Result<Target> {
        let parsed = Url::parse(url).map_err(|e| {
            anyhow!(
                "--server {url:?} is not a URL ({e}); expected something like http://127.0.0.1:3000"
            )
        })?;
        if parsed.scheme() != "http" {
            bail!(
                "--server {url} uses {}://, but the lab's server speaks plain http:// (start it with `cargo run -p lab-rest -- serve`)",
                parsed.scheme()
            );
        }
        let addr = *parsed
            .socket_addrs(|| Some(80))
            .with_context(|| format!("cannot resolve the host of --server {url}"))?
            .first()
            .ok_or_else(|| anyhow!("the host of --server {url} has no address"))?;
        let health = format!("http://{addr}/health");
        let answer = reqwest::Client::new()
            .get(&health)
            .timeout(Duration::from_secs(3))
            .send()
            .await
            .map_err(|e| {
                anyhow!(
                    "nothing answers at {url} ({}). Start the lab's server with `cargo run -p lab-rest -- serve --listen {addr}`, or leave out --server to run one in-process",
                    crate::client::why(&e)
                )
            })?;
        if !answer.status().is_success() || answer.text().await.unwrap_or_default() != "ok" {
            bail!(
                "{url} answered, but not like the lab's server (GET /health should say \"ok\"); is it another program?"
            );
        }
        Ok(Target::Remote { addr })
    }

    /// The server's socket address.
    pub fn addr(&self) -> SocketAddr {
        match self {
            Target::Local(server) => server.addr,
            Target::Remote { addr } => *addr,
        }
    }
}
