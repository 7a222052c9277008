//! The third place a broker can come from: a container, when a Docker
//! engine answers.
//!
//! First a quick check that an engine is there at all — `GET /_ping` on the
//! socket `DOCKER_HOST` names, or on the usual socket paths — bounded to
//! 1.5 s, so a machine without Docker falls through to the error at once
//! instead of waiting on a client library's timeouts.
//! Only then is testcontainers asked to run the kind's image (a generic
//! image with our config file copied in).
//!
//! Two networks:
//!
//! - **Bridge** (the default, what Docker Desktop and a stock engine give):
//!   the broker listens on every interface inside its container; labkit
//!   picks a free host port, maps the broker's port to it (so a stopped
//!   container starts again on the same port) and reads the mapping back
//!   from Docker.
//! - **Host** (`LABKIT_DOCKER_NETWORK=host`, for an engine with no bridge,
//!   as in CI's private daemon): no mapping exists, so labkit picks free
//!   loopback ports and tells the broker to listen on 127.0.0.1 there.
//!
//! A container outlives the process that asked for it unless someone
//! removes it, and `Drop` does not run when a test is killed. So each
//! container gets a watchdog like a private instance's (`process.rs`): a
//! tiny `sh` holding a pipe only we write to, which runs `docker rm -f`
//! when the pipe closes, however we died. (It needs the `docker` command;
//! without it a killed run leaves its container, labelled `org.labkit.pid`,
//! for `docker rm`.)

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
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

/// The variable that says the engine has only host networking.
pub const NETWORK_VAR: &str = "LABKIT_DOCKER_NETWORK";

/// The container watchdog: waits for end-of-file on its stdin (a `disarm`
/// line ends it quietly), then removes the container `$1`. It ignores
/// Ctrl-C and hang-ups, which are meant for the test.
const WATCHDOG: &str = r#"trap '' INT HUP PIPE
while read -r word; do
    [ "$word" = disarm ] && exit 0
done
exec docker rm -f -v "$1" >/dev/null 2>&1"#;

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
    /// Removes the container if this process dies without dropping it.
    watchdog: Option<Child>,
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
    /// Run the kind's image with our config on free ports (mapped on a
    /// bridge, on loopback on the host's network), and wait until it
    /// answers its protocol.
    pub async fn start(
        recipe: &'static dyn Recipe,
        options: &Options,
        engine: &str,
        lookup: &Lookup,
    ) -> Result<Container, BrokerError> {
        let facts = recipe.facts();
        let host_network = lookup.get(NETWORK_VAR) == Some("host");
        // On a bridge only the public ports leave the container; on the
        // host's network every port the broker opens must be a free one.
        let needs = recipe.ports(options);
        let mut names: Vec<String> = needs
            .iter()
            .filter(|n| n.public || host_network)
            .map(|n| n.name.clone())
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
            bind: if host_network { "127.0.0.1" } else { "0.0.0.0" },
            port: if host_network {
                ports[0]
            } else {
                facts.standard_port
            },
            ports: named.clone(),
            as_root: false,
            in_container: true,
        };
        let plan = recipe.container(&layout, options)?;
        let (name, tag) = facts.image;
        let mut request = GenericImage::new(name, tag)
            .with_wait_for(WaitFor::Nothing)
            .with_startup_timeout(facts.ready_timeout)
            .with_label("org.labkit.kind", format!("{:?}", facts.kind))
            .with_label("org.labkit.pid", std::process::id().to_string());
        if host_network {
            request = request.with_network("host");
        } else {
            request = request.with_mapped_port(ports[0], plan.port.tcp());
            for port in named.values() {
                request = request.with_mapped_port(*port, port.tcp());
            }
        }
        for (key, value) in recipe.container_env(&layout) {
            request = request.with_env_var(key, value);
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
        let watchdog = watch(engine, inner.id());
        let (host, port) = if host_network {
            ("127.0.0.1".to_owned(), ports[0])
        } else {
            let host = match inner.get_host().await {
                Ok(h) if h.to_string() == "localhost" => "127.0.0.1".to_owned(),
                Ok(h) => h.to_string(),
                Err(e) => return Err(docker("finding the container's host", e)),
            };
            let mapped = inner
                .get_host_port_ipv4(plan.port.tcp())
                .await
                .map_err(|e| docker("reading the container's port mapping", e))?;
            (host, mapped)
        };
        let login = super::url::login_of(recipe.facts().kind, &recipe.url(&host, port, options));
        let mut container = Container {
            inner: Some(inner),
            watchdog,
            recipe,
            login,
            host,
            port,
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
        let watchdog = self.watchdog.take();
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
        // Removed by testcontainers: the watchdog may go quietly.
        if let Some(mut child) = watchdog {
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(b"disarm\n");
            }
            let _ = child.wait();
        }
    }
}

/// Start the watchdog for container `id` (see the top of this file), or
/// none when `sh` cannot be started.
fn watch(engine: &str, id: &str) -> Option<Child> {
    Command::new("sh")
        .args(["-c", WATCHDOG, "labkit-container-watchdog", id])
        .env("DOCKER_HOST", engine)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group, so a Ctrl-C meant for us does not reach it.
        .process_group(0)
        .spawn()
        .ok()
}

async fn resolve(host: &str, port: u16) -> Result<SocketAddr, BrokerError> {
    tokio::net::lookup_host((host, port))
        .await
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| BrokerError::Container(format!("cannot resolve {host}")))
}
