//! The third place a broker can come from: a container, when a Docker
//! engine answers.
//!
//! First a quick check that an engine is there at all — `GET /_ping` on the
//! socket `DOCKER_HOST` names, or on the usual socket paths — bounded to
//! 1.5 s, so a machine without Docker falls through to the error at once
//! instead of waiting on a client library's timeouts. Only then is
//! testcontainers asked to run the kind's image (a generic image with our
//! config file copied in). The host port is chosen by us and mapped
//! explicitly, so a stopped container starts again on the same port.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use testcontainers::core::{IntoContainerPort, WaitFor};
use testcontainers::runners::AsyncRunner;
use testcontainers::{ContainerAsync, GenericImage, ImageExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::private::free_ports;
use super::ready::{NotReady, wait_ready};
use super::recipe::{Layout, Recipe};
use super::{BrokerError, Lookup, Options};

/// How long the engine check may take in all.
const PING_LIMIT: Duration = Duration::from_millis(1500);

/// Where a Docker engine would be, as the Docker CLI and testcontainers
/// look for it: `DOCKER_HOST`, then the system socket, then rootless ones.
fn candidates(lookup: &Lookup) -> Vec<String> {
    if let Some(host) = lookup.get("DOCKER_HOST") {
        return vec![host.to_owned()];
    }
    let mut paths = vec![PathBuf::from("/var/run/docker.sock")];
    if let Some(dir) = lookup.get("XDG_RUNTIME_DIR") {
        paths.push(PathBuf::from(dir).join(".docker/run/docker.sock"));
    }
    if let Some(home) = lookup.get("HOME") {
        paths.push(PathBuf::from(home).join(".docker/run/docker.sock"));
        paths.push(PathBuf::from(home).join(".docker/desktop/docker.sock"));
    }
    let existing: Vec<String> = paths
        .iter()
        .filter(|p| p.exists())
        .map(|p| format!("unix://{}", p.display()))
        .collect();
    if existing.is_empty() {
        vec!["unix:///var/run/docker.sock".to_owned()]
    } else {
        existing
    }
}

/// The engine that answers `GET /_ping`, or why none did (one line).
pub(crate) async fn engine(lookup: &Lookup) -> Result<String, String> {
    let host = candidates(lookup).into_iter().next().unwrap_or_default();
    let tls = lookup.get("DOCKER_TLS_VERIFY").is_some();
    let outcome = tokio::time::timeout(PING_LIMIT, ping(&host, tls)).await;
    match outcome {
        Ok(Ok(())) => Ok(host),
        Ok(Err(e)) => Err(format!("{host}: {e}")),
        Err(_) => Err(format!("{host}: no answer within {PING_LIMIT:?}")),
    }
}

async fn ping(host: &str, tls: bool) -> std::io::Result<()> {
    if let Some(path) = host.strip_prefix("unix://") {
        if !std::path::Path::new(path).exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such socket",
            ));
        }
        http_ping(tokio::net::UnixStream::connect(path).await?).await
    } else if let Some(addr) = host.strip_prefix("tcp://") {
        let stream = tokio::net::TcpStream::connect(addr.trim_end_matches('/')).await?;
        // A TLS-protected engine does not speak plain HTTP; connecting is all
        // we can check without a TLS stack, so let testcontainers judge.
        if tls {
            return Ok(());
        }
        http_ping(stream).await
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "labkit only checks unix:// and tcp:// Docker hosts",
        ))
    }
}

async fn http_ping(mut stream: impl AsyncRead + AsyncWrite + Unpin) -> std::io::Result<()> {
    stream
        .write_all(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
        .await?;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 512];
    while answer.len() < 4096 {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
        if answer.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let status = String::from_utf8_lossy(&answer);
    let first = status.lines().next().unwrap_or("");
    if first.starts_with("HTTP/1.") && first.contains(" 200") {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not a Docker engine (answered {first:?})"),
        ))
    }
}

/// A running (or stopped) container and where to reach it.
pub(crate) struct Container {
    inner: Option<ContainerAsync<GenericImage>>,
    recipe: &'static dyn Recipe,
    /// Who the readiness probe logs in as.
    login: super::credentials::Credentials,
    pub host: String,
    pub port: u16,
    pub named: BTreeMap<String, u16>,
}

impl std::fmt::Debug for Container {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = self.inner.as_ref().map(|c| c.id().to_owned());
        f.debug_struct("Container")
            .field("id", &id)
            .field("port", &self.port)
            .finish()
    }
}

fn docker(what: &str, e: impl std::fmt::Display) -> BrokerError {
    BrokerError::Container(format!("{what}: {e}"))
}

impl Container {
    /// Run the kind's image with our config, mapped to free host ports,
    /// and wait until it answers its protocol.
    pub async fn start(
        recipe: &'static dyn Recipe,
        options: &Options,
    ) -> Result<Container, BrokerError> {
        let facts = recipe.facts();
        let mut names: Vec<String> = recipe
            .ports(options)
            .into_iter()
            .filter(|n| n.public)
            .map(|n| n.name)
            .collect();
        names.extend(options.ports.iter().cloned());
        let ports = free_ports(names.len() + 1)
            .map_err(|e| BrokerError::io("finding free ports on 127.0.0.1", e))?;
        // Extra ports keep the same number inside and outside, so
        // config lines and advertised addresses agree.
        let named: BTreeMap<String, u16> =
            names.into_iter().zip(ports[1..].iter().copied()).collect();
        let layout = Layout {
            dir: PathBuf::from(facts.container_dir),
            bind: "0.0.0.0",
            port: facts.standard_port,
            ports: named.clone(),
            as_root: false,
            in_container: true,
        };
        let plan = recipe.container(&layout, options)?;
        let (name, tag) = facts.image;
        let mut request = GenericImage::new(name, tag)
            .with_wait_for(WaitFor::Nothing)
            .with_mapped_port(ports[0], plan.port.tcp())
            .with_startup_timeout(facts.ready_timeout);
        for port in named.values() {
            request = request.with_mapped_port(*port, port.tcp());
        }
        if !plan.cmd.is_empty() {
            request = request.with_cmd(plan.cmd);
        }
        for (path, bytes) in plan.files {
            request = request.with_copy_to(path, bytes);
        }
        let inner = request
            .start()
            .await
            .map_err(|e| docker(&format!("running {name}:{tag}"), e))?;
        let host = match inner.get_host().await {
            Ok(h) if h.to_string() == "localhost" => "127.0.0.1".to_owned(),
            Ok(h) => h.to_string(),
            Err(e) => return Err(docker("finding the container's host", e)),
        };
        let login =
            super::url::login_of(recipe.facts().kind, &recipe.url(&host, ports[0], options));
        let mut container = Container {
            inner: Some(inner),
            recipe,
            login,
            host,
            port: ports[0],
            named,
        };
        container.wait_ready().await?;
        Ok(container)
    }

    async fn wait_ready(&mut self) -> Result<(), BrokerError> {
        let facts = self.recipe.facts();
        let addr = resolve(&self.host, self.port).await?;
        let mut extra = Vec::new();
        for port in self.named.values() {
            extra.push(resolve(&self.host, *port).await?);
        }
        let deadline = Instant::now() + facts.ready_timeout;
        match wait_ready(self.recipe, addr, &self.login, &extra, deadline, || None).await {
            Ok(()) => Ok(()),
            Err(NotReady::GaveUp(why) | NotReady::TimedOut(why)) => {
                Err(BrokerError::Container(format!(
                    "{}:{} did not answer within {:?} ({why})",
                    facts.image.0, facts.image.1, facts.ready_timeout
                )))
            }
        }
    }

    fn inner(&self) -> Result<&ContainerAsync<GenericImage>, BrokerError> {
        self.inner
            .as_ref()
            .ok_or_else(|| BrokerError::Container("the container is gone".into()))
    }

    /// `docker stop`: SIGTERM, then SIGKILL after `secs`.
    pub async fn stop(&mut self, secs: i32) -> Result<(), BrokerError> {
        self.inner()?
            .stop_with_timeout(Some(secs))
            .await
            .map_err(|e| docker("stopping the container", e))
    }

    /// `docker start` and wait until it answers.
    pub async fn start_again(&mut self) -> Result<(), BrokerError> {
        self.inner()?
            .start()
            .await
            .map_err(|e| docker("starting the container", e))?;
        self.wait_ready().await
    }

    /// `docker pause` / `docker unpause`.
    pub async fn pause(&self, pause: bool) -> Result<(), BrokerError> {
        let inner = self.inner()?;
        let done = if pause {
            inner.pause().await
        } else {
            inner.unpause().await
        };
        done.map_err(|e| docker("pausing or resuming the container", e))
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        let Some(inner) = self.inner.take() else {
            return;
        };
        // testcontainers removes the container from an async runtime;
        // the caller's may already be gone, so lend it one if needed.
        if tokio::runtime::Handle::try_current().is_ok() {
            drop(inner);
        } else {
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(async move { drop(inner) });
                }
            })
            .join();
        }
    }
}

async fn resolve(host: &str, port: u16) -> Result<SocketAddr, BrokerError> {
    tokio::net::lookup_host((host, port))
        .await
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| BrokerError::Container(format!("cannot resolve {host}")))
}
