//! A private broker: the installed program, run on free ports with its own
//! temporary data directory, owned by one [`Broker`](super::Broker) handle.
//!
//! Nothing is shared with the machine's own services or with other tests,
//! so a test may stop, restart, crash, pause or fill it. Stopping keeps the
//! ports and the data directory, so starting again is a restart in place —
//! what durability lessons need. Dropping the handle ends the processes and
//! removes the directory.
//!
//! A production broker runs as a system service, under its own user, with
//! storage that outlives any one program; this one lives in a temporary
//! directory for as long as the test or lab that started it.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use super::credentials::Credentials;
pub(crate) use super::ports::free_ports;
use super::process::{Group, Watchdog, tail};
use super::ready::{NotReady, wait_ready};
use super::recipe::{Layout, Recipe};
use super::{BrokerError, Lookup, Options};

/// How many log lines an error message quotes.
const TAIL_LINES: usize = 20;

/// One private broker. Its [`Watchdog`] made the data directory and lives
/// as long as the handle: if this process dies at any moment — starting,
/// running, stopped, shutting down — it ends the processes and removes the
/// directory. On a normal drop we do both ourselves and disarm it.
#[derive(Debug)]
pub(crate) struct Private {
    group: Option<Group>,
    recipe: &'static dyn Recipe,
    program: PathBuf,
    lookup: Lookup,
    /// What the test asked for; the recipe reads it again at every start.
    options: Options,
    layout: Layout,
    public: Vec<String>,
    /// Who the readiness probe logs in as (the user from the options).
    login: Credentials,
    log: PathBuf,
    /// `None` only after [`Private::keep_dir`].
    watchdog: Option<Watchdog>,
    dir: PathBuf,
}

impl Private {
    /// Make the data directory and configuration, start, wait until ready.
    pub async fn start_new(
        recipe: &'static dyn Recipe,
        program: PathBuf,
        options: &Options,
        lookup: &Lookup,
    ) -> Result<Private, BrokerError> {
        let facts = recipe.facts();
        let prefix = format!("labkit-{}-", facts.program);
        let watchdog = tokio::task::spawn_blocking(move || Watchdog::with_new_dir(&prefix))
            .await
            .map_err(|e| BrokerError::io("starting the watchdog", std::io::Error::other(e)))?
            .map_err(|e| BrokerError::io("creating a temporary data directory", e))?;
        let dir = watchdog.dir().to_path_buf();
        // Dropped on an early error: the watchdog (disarmed by its own
        // Drop) leaves the directory, so remove it first.
        let mut cleanup = Cleanup(Some(dir.clone()));

        let needs = recipe.ports(options);
        let mut names: Vec<(String, bool)> =
            needs.into_iter().map(|n| (n.name, n.public)).collect();
        for name in &options.ports {
            if names.iter().any(|(n, _)| n == name) {
                return Err(BrokerError::BadOption(format!(
                    "port name {name:?} is already used by the {} recipe; pick another",
                    facts.program
                )));
            }
            names.push((name.clone(), true));
        }
        let ports = free_ports(names.len() + 1)
            .map_err(|e| BrokerError::io("finding free ports on 127.0.0.1", e))?;
        let layout = Layout {
            dir: dir.clone(),
            bind: "127.0.0.1",
            port: ports[0],
            ports: names
                .iter()
                .zip(&ports[1..])
                .map(|((n, _), p)| (n.clone(), *p))
                .collect::<BTreeMap<_, _>>(),
            as_root: dir.metadata().map(|m| m.uid() == 0).unwrap_or(false),
            in_container: false,
        };
        recipe.prepare(&layout, options, lookup)?;
        cleanup.0 = None;

        let login =
            super::url::login_of(facts.kind, &recipe.url("127.0.0.1", layout.port, options));
        let mut private = Private {
            login,
            group: None,
            recipe,
            log: dir.join(format!("{}.log", facts.program)),
            program,
            lookup: lookup.clone(),
            options: options.clone(),
            layout,
            public: names
                .into_iter()
                .filter_map(|(n, public)| public.then_some(n))
                .collect(),
            watchdog: Some(watchdog),
            dir,
        };
        match private.start().await {
            Ok(()) => Ok(private),
            Err(e) => {
                private.keep_dir();
                Err(e)
            }
        }
    }

    /// The main port.
    pub fn port(&self) -> u16 {
        self.layout.port
    }

    /// A port the reader or a plugin asked for.
    pub fn named_port(&self, name: &str) -> Option<u16> {
        self.public
            .iter()
            .any(|n| n == name)
            .then(|| self.layout.named(name))
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    /// The file that collects the broker's output.
    pub fn log_file(&self) -> &Path {
        &self.log
    }

    /// Whether the processes are running (possibly paused).
    pub fn is_running(&mut self) -> bool {
        match &mut self.group {
            Some(group) => matches!(group.main_exited(), Ok(None)),
            None => false,
        }
    }

    /// The broker's process id (for RabbitMQ, the Erlang VM's, read from
    /// its pid file once it has written one).
    pub fn pid(&self) -> Option<u32> {
        let group = self.group.as_ref()?;
        self.recipe
            .pid_file(&self.layout)
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|s| s.trim().parse().ok())
            .or_else(|| group.main_pid())
    }

    /// Start on the same ports and data directory; wait until it answers.
    /// Does nothing if it is already running.
    pub async fn start(&mut self) -> Result<(), BrokerError> {
        if self.is_running() {
            return Ok(());
        }
        self.end(Signal::SIGKILL, Duration::ZERO).await; // whatever is left of a crash
        let facts = self.recipe.facts();
        let launches = self
            .recipe
            .launch(&self.layout, &self.options, &self.program, &self.lookup);
        let log = self.log.clone();
        let Some(mut watchdog) = self.watchdog.take() else {
            return Err(BrokerError::io(
                "starting the broker",
                std::io::Error::other("its data directory was kept; start a new one"),
            ));
        };
        let (spawned, watchdog) = tokio::task::spawn_blocking(move || {
            let spawned = Group::spawn_watched(launches, &log, &mut watchdog);
            if spawned.is_err() {
                watchdog.unwatch(); // the half-started group ended as it dropped
            }
            (spawned, watchdog)
        })
        .await
        .map_err(|e| BrokerError::io("starting the broker", std::io::Error::other(e)))?;
        self.watchdog = Some(watchdog);
        let group = spawned.map_err(|cause| BrokerError::Spawn {
            program: self.program.display().to_string(),
            cause,
        })?;
        let program = group.main_name().to_owned();
        self.group = Some(group);

        let addr = SocketAddr::from(([127, 0, 0, 1], self.layout.port));
        let extra: Vec<SocketAddr> = self
            .public
            .iter()
            .map(|n| SocketAddr::from(([127, 0, 0, 1], self.layout.named(n))))
            .collect();
        let deadline = Instant::now() + facts.ready_timeout;
        let group = self.group.as_mut();
        let outcome = match group {
            Some(group) => {
                wait_ready(
                    self.recipe,
                    addr,
                    &self.login,
                    &extra,
                    deadline,
                    || match group.main_exited() {
                        Ok(Some(status)) => Some(status.to_string()),
                        Ok(None) => None,
                        Err(e) => Some(e.to_string()),
                    },
                )
                .await
            }
            None => Ok(()),
        };
        let Err(why) = outcome else {
            return Ok(());
        };
        self.end(Signal::SIGKILL, Duration::ZERO).await;
        let tail = tail(&self.log, TAIL_LINES);
        Err(match why {
            NotReady::GaveUp(status) => BrokerError::Exited {
                program,
                status,
                log: self.log.clone(),
                tail,
            },
            NotReady::TimedOut(cause) => BrokerError::NotReady {
                program,
                port: self.layout.port,
                waited: facts.ready_timeout,
                cause,
                log: self.log.clone(),
                tail,
            },
        })
    }

    /// Ask the broker to shut down cleanly and wait for it; the data stays.
    pub async fn stop(&mut self) {
        let facts = self.recipe.facts();
        self.end(self.recipe.stop_signal(), facts.stop_timeout)
            .await;
    }

    /// SIGKILL every process: a crash, with no chance to save anything.
    pub async fn kill(&mut self) -> Result<(), BrokerError> {
        self.running_group("kill")?;
        self.end(Signal::SIGKILL, Duration::ZERO).await;
        Ok(())
    }

    /// SIGSTOP (pause) or SIGCONT (resume) every process.
    pub fn signal(&mut self, action: &'static str, signal: Signal) -> Result<(), BrokerError> {
        self.running_group(action)?.signal_all(signal);
        Ok(())
    }

    fn running_group(&mut self, action: &'static str) -> Result<&Group, BrokerError> {
        if !self.is_running() {
            return Err(BrokerError::NotRunning {
                action,
                program: self.recipe.facts().program.to_owned(),
            });
        }
        self.group.as_ref().ok_or(BrokerError::NotRunning {
            action,
            program: self.recipe.facts().program.to_owned(),
        })
    }

    /// End the processes off the async runtime's threads, then tell the
    /// watchdog the group is gone.
    async fn end(&mut self, first: Signal, grace: Duration) {
        if let Some(mut group) = self.group.take() {
            let _ = tokio::task::spawn_blocking(move || group.end(first, grace)).await;
        }
        if let Some(w) = &mut self.watchdog {
            w.unwatch();
        }
    }

    /// Keep the data directory after this handle is gone (for a failed
    /// start, so the log named in the error can still be read).
    fn keep_dir(mut self) -> PathBuf {
        drop(self.group.take());
        if let Some(mut w) = self.watchdog.take() {
            w.disarm();
        }
        self.dir.clone()
    }
}

impl Drop for Private {
    /// End the processes, remove the directory, then disarm the watchdog
    /// (which would have done both had we died first). Blocking, bounded.
    fn drop(&mut self) {
        drop(self.group.take());
        if let Some(mut w) = self.watchdog.take() {
            w.unwatch();
            let _ = std::fs::remove_dir_all(&self.dir);
            w.disarm();
        }
    }
}

/// Removes a directory when dropped, unless told otherwise (`.0 = None`).
struct Cleanup(Option<PathBuf>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
