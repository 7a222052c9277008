//! A private nginx in front of a lab's server: the reverse proxy most
//! readers' real-time traffic crosses in production.
//!
//! nginx is not a broker, but it is a real program a lesson must start,
//! configure, and be sure to end, so it runs the way private brokers do
//! (and with their machinery, from [`crate::broker`]): its own
//! configuration file and prefix in a temporary directory, a free port on
//! 127.0.0.1, its master and worker in one process group watched by the
//! same watchdog, killed when the [`Nginx`] handle drops or the process
//! that started it dies. Its errors are [`BrokerError`]s for that reason.
//!
//! A production nginx runs as a service with many workers, TLS and access
//! logs; this one has one worker, plain HTTP on loopback and no access log.
//!
//! The lesson writes only what goes inside `server { ... }` (its
//! `location` blocks); labkit writes the rest, including a
//! `location = /labkit-ready` that answers 204, which is how readiness is
//! checked.
//!
//! ```no_run
//! # async fn demo() -> Result<(), labkit::broker::BrokerError> {
//! let nginx = labkit::nginx::start(
//!     "location / { proxy_pass http://127.0.0.1:3000; proxy_buffering off; }",
//! ).await?;
//! println!("through nginx: http://{}/", nginx.addr());
//! # Ok(()) }
//! ```

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::broker::private::free_ports;
use crate::broker::process::{Group, WatchedDir, tail};
use crate::broker::recipe::Launch;
use crate::broker::{BrokerError, Lookup};

/// How long nginx may take to answer its first request.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// A running private nginx; dropping it stops nginx and removes its directory.
#[derive(Debug)]
pub struct Nginx {
    group: Group,
    port: u16,
    log: PathBuf,
    // Declared last: removed after the group has ended. The watchdog made
    // it, so no moment exists when it is there and nobody would remove it.
    dir: WatchedDir,
}

impl Nginx {
    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// The port nginx listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// nginx's error log (its stderr), for messages when a lesson fails.
    pub fn log_file(&self) -> &Path {
        &self.log
    }

    /// The configuration file labkit wrote, to show the reader.
    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("nginx.conf")
    }

    /// The process id of nginx's master process.
    pub fn pid(&self) -> Option<u32> {
        self.group.main_pid()
    }
}

/// The whole configuration: one worker, temp paths inside `dir`, one
/// server on `port` holding the lesson's `server_body`.
fn config(dir: &Path, port: u16, server_body: &str, as_root: bool) -> String {
    let d = dir.display();
    let user = if as_root { "user root;\n" } else { "" };
    format!(
        "# Written by labkit for one private nginx.\n\
         {user}worker_processes 1;\n\
         events {{ worker_connections 4096; }}\n\
         http {{\n\
         \x20   access_log off;\n\
         \x20   client_body_temp_path {d}/tmp/client_body;\n\
         \x20   proxy_temp_path {d}/tmp/proxy;\n\
         \x20   fastcgi_temp_path {d}/tmp/fastcgi;\n\
         \x20   uwsgi_temp_path {d}/tmp/uwsgi;\n\
         \x20   scgi_temp_path {d}/tmp/scgi;\n\
         \x20   server {{\n\
         \x20       listen 127.0.0.1:{port};\n\
         \x20       location = /labkit-ready {{ return 204; }}\n\
         {server_body}\n\
         \x20   }}\n\
         }}\n"
    )
}

/// Starts a private nginx whose `server` block holds `server_body`, and
/// waits until it answers. Fails with the package to install when nginx is
/// missing, and with the end of nginx's log when it rejects the config.
pub async fn start(server_body: &str) -> Result<Nginx, BrokerError> {
    start_with(server_body, Lookup::from_process()).await
}

/// [`start`], finding the `nginx` program through `lookup` (tests use an
/// empty one to see the error a reader without nginx gets).
pub async fn start_with(server_body: &str, lookup: Lookup) -> Result<Nginx, BrokerError> {
    let body = server_body.to_string();
    tokio::task::spawn_blocking(move || start_blocking(&body, &lookup))
        .await
        .map_err(|e| BrokerError::Io {
            what: "starting nginx".into(),
            cause: io::Error::other(e.to_string()),
        })?
}

fn start_blocking(server_body: &str, lookup: &Lookup) -> Result<Nginx, BrokerError> {
    let program = lookup
        .find_program("nginx")
        .ok_or_else(|| BrokerError::Io {
            what: "cannot start nginx".into(),
            cause: io::Error::new(
                io::ErrorKind::NotFound,
                "it is not installed (not on PATH nor in /usr/sbin); install it with `sudo apt-get install nginx-light` (or nginx)",
            ),
        })?;
    let io_err = |what: &str| {
        let what = what.to_string();
        move |cause| BrokerError::Io { what, cause }
    };
    let mut dir = WatchedDir::new("labkit-nginx-").map_err(io_err("creating nginx's directory"))?;
    std::fs::create_dir_all(dir.path().join("tmp")).map_err(io_err("creating nginx's tmp"))?;
    let port = free_ports(1).map_err(io_err("finding a free port"))?[0];
    let as_root = dir
        .path()
        .metadata()
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    let conf = dir.path().join("nginx.conf");
    std::fs::write(&conf, config(dir.path(), port, server_body, as_root))
        .map_err(io_err("writing nginx.conf"))?;
    let log = dir.path().join("nginx.log");
    let pid_file = dir.path().join("nginx.pid");

    let mut command = Command::new(&program);
    command
        .arg("-e")
        .arg("stderr")
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(&conf)
        .arg("-g")
        .arg(format!("daemon off; pid {};", pid_file.display()));
    let mut group = dir
        .spawn(
            vec![Launch {
                command,
                wait_for_port: None,
            }],
            &log,
        )
        .map_err(|cause| BrokerError::Spawn {
            program: program.display().to_string(),
            cause,
        })?;

    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        if let Ok(Some(status)) = group.main_exited() {
            return Err(BrokerError::Exited {
                program: "nginx".into(),
                status: status.to_string(),
                tail: tail(&log, 10),
                log,
            });
        }
        match probe(addr) {
            Ok(()) => break,
            Err(cause) if Instant::now() > deadline => {
                return Err(BrokerError::NotReady {
                    program: "nginx".into(),
                    port,
                    waited: READY_TIMEOUT,
                    cause: cause.to_string(),
                    tail: tail(&log, 10),
                    log,
                });
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    Ok(Nginx {
        group,
        port,
        log,
        dir,
    })
}

/// `GET /labkit-ready` must come back `204`.
fn probe(addr: SocketAddr) -> io::Result<()> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(200))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream.write_all(b"GET /labkit-ready HTTP/1.1\r\nHost: labkit\r\nConnection: close\r\n\r\n")?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    if answer.starts_with(b"HTTP/1.1 204") {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "expected 204 from /labkit-ready, got {:?}",
            String::from_utf8_lossy(&answer[..answer.len().min(40)])
        )))
    }
}
