//! PostgreSQL: a private cluster made with `initdb`, run by `postgres`
//! itself, and a probe that sends the protocol's startup message and
//! expects `AuthenticationOk`.
//!
//! Debian keeps the server programs out of `PATH`, in
//! `/usr/lib/postgresql/<version>/bin`; labkit looks there too. The cluster
//! runs with `wal_level = logical`, so a lesson can open a logical
//! replication slot (Chapter 9's reactive queries), listens on loopback
//! only, trusts every local login (no password: it lives only as long as
//! the test) and opens no Unix socket.
//!
//! PostgreSQL refuses to run as root. When the lab runs as root, `initdb`
//! and `postgres` run as the `postgres` user (through util-linux's
//! `setpriv`, which `exec`s, so the process labkit watches is the server
//! itself), and the cluster's own directory is handed to that user.
//!
//! A production database runs as a service with its data on lasting
//! storage and password or certificate logins; this one is a throwaway.

use std::io::{self, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use nix::sys::signal::Signal;

use super::credentials::Credentials;
#[cfg(feature = "docker")]
use super::recipe::ContainerPlan;
use super::recipe::{Facts, Launch, Layout, Recipe, Tls, read_n, refused, unexpected};
use super::{BrokerError, Kind, Lookup, Options};

/// The PostgreSQL recipe.
pub(crate) struct Postgres;

static FACTS: Facts = Facts {
    kind: Kind::Postgres,
    protocol: "PostgreSQL",
    env_var: "DATABASE_URL",
    schemes: &[
        ("postgresql", 5432, Tls::Plain),
        ("postgres", 5432, Tls::Plain),
    ],
    example_url: "postgresql://postgres@127.0.0.1:5432/postgres",
    standard_port: 5432,
    program: "postgres",
    apt_package: "postgresql",
    image: ("postgres", "15"),
    container_dir: "/var/lib/postgresql/data",
    ready_timeout: Duration::from_secs(15),
    stop_timeout: Duration::from_secs(10),
};

/// Where Debian and Ubuntu install the server programs, newest first.
const SERVER_DIRS: &str = "/usr/lib/postgresql";

/// The user PostgreSQL runs as when labkit runs as root.
const SERVICE_USER: &str = "postgres";

/// The installed `postgres` in Debian's versioned directory, newest version
/// first, when it is not on `PATH`.
pub(crate) fn installed_server() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(SERVER_DIRS)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let program = e.path().join("bin/postgres");
            program.is_file().then_some((version, program))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, p)| p)
}

/// The service user's uid and gid, read from `/etc/passwd`.
fn service_user() -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        (fields.next()? == SERVICE_USER).then_some(())?;
        let _password = fields.next()?;
        Some((fields.next()?.parse().ok()?, fields.next()?.parse().ok()?))
    })
}

/// The cluster's own directory, inside labkit's data directory.
fn cluster_dir(layout: &Layout) -> PathBuf {
    layout.dir.join("cluster")
}

/// `program args...`, run as the service user when labkit is root.
fn as_service_user(layout: &Layout, program: &Path) -> Command {
    match (layout.as_root, service_user()) {
        (true, Some((uid, gid))) => {
            let mut command = Command::new("setpriv");
            command
                .arg(format!("--reuid={uid}"))
                .arg(format!("--regid={gid}"))
                .arg("--clear-groups")
                .arg("--")
                .arg(program);
            command
        }
        _ => Command::new(program),
    }
}

impl Recipe for Postgres {
    fn facts(&self) -> &'static Facts {
        &FACTS
    }

    fn installed_elsewhere(&self) -> Option<PathBuf> {
        installed_server()
    }

    fn prepare(
        &self,
        layout: &Layout,
        options: &Options,
        _lookup: &Lookup,
    ) -> Result<(), BrokerError> {
        if options.user.is_some() || !options.plugins.is_empty() || !options.ports.is_empty() {
            return Err(BrokerError::BadOption(
                "a private PostgreSQL takes config lines only (`name = value`)".into(),
            ));
        }
        let cluster = cluster_dir(layout);
        std::fs::create_dir(&cluster)
            .map_err(|e| BrokerError::io(format!("creating {}", cluster.display()), e))?;
        if layout.as_root {
            use std::os::unix::fs::PermissionsExt;
            let (uid, gid) = service_user().ok_or_else(|| {
                BrokerError::BadOption(format!(
                    "PostgreSQL will not run as root and there is no `{SERVICE_USER}` user to run it as; run the lab as another user"
                ))
            })?;
            let io = |what: &str, e| BrokerError::io(format!("{what} {}", cluster.display()), e);
            std::os::unix::fs::chown(&cluster, Some(uid), Some(gid))
                .map_err(|e| io("handing to postgres", e))?;
            // The service user must be able to reach its directory.
            std::fs::set_permissions(&layout.dir, std::fs::Permissions::from_mode(0o711))
                .map_err(|e| io("opening the way to", e))?;
        }
        let program = installed_server().unwrap_or_else(|| PathBuf::from(FACTS.program));
        let initdb = program.with_file_name("initdb");
        let output = as_service_user(layout, &initdb)
            .args(["--auth=trust", "--username=postgres", "--encoding=UTF8"])
            .args(["--no-sync", "--no-instructions", "-D"])
            .arg(&cluster)
            .output()
            .map_err(|e| BrokerError::Spawn {
                program: initdb.display().to_string(),
                cause: e,
            })?;
        if !output.status.success() {
            let said = String::from_utf8_lossy(&output.stderr);
            return Err(BrokerError::BadOption(format!(
                "initdb failed ({}): {}",
                output.status,
                said.lines().last().unwrap_or("no output")
            )));
        }
        // Appending keeps the file's owner (the service user) as it is.
        let conf = cluster.join("postgresql.conf");
        let lines = layout.reader_lines(options)?;
        std::fs::OpenOptions::new()
            .append(true)
            .open(&conf)
            .and_then(|mut f| {
                f.write_all(b"\n# Added by labkit for this lesson.\n")?;
                f.write_all(lines.as_bytes())
            })
            .map_err(|e| BrokerError::io(format!("writing {}", conf.display()), e))?;
        Ok(())
    }

    fn launch(
        &self,
        layout: &Layout,
        _options: &Options,
        program: &Path,
        _lookup: &Lookup,
    ) -> Vec<Launch> {
        let mut command = as_service_user(layout, program);
        command
            .arg("-D")
            .arg(cluster_dir(layout))
            .args(["-p", &layout.port.to_string()])
            .args(["-c", &format!("listen_addresses={}", layout.bind)])
            .args(["-c", "unix_socket_directories="])
            .args(["-c", "wal_level=logical"])
            .args(["-c", "max_wal_senders=4", "-c", "max_replication_slots=4"])
            .args(["-c", "fsync=off", "-c", "shared_buffers=16MB"]);
        vec![Launch {
            command,
            wait_for_port: None,
        }]
    }

    /// SIGINT is PostgreSQL's "fast" shutdown: it ends open sessions (a
    /// replication stream included) instead of waiting for them.
    fn stop_signal(&self) -> Signal {
        Signal::SIGINT
    }

    fn probe(&self, stream: &mut TcpStream, login: &Credentials) -> io::Result<()> {
        let user = login.user.as_deref().unwrap_or("postgres");
        stream.write_all(&startup_message(&[
            ("user", user),
            ("database", "postgres"),
        ]))?;
        let head = read_n(stream, 5)?;
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if !(4..=64 * 1024).contains(&len) {
            return Err(unexpected(format!("a message of {len} bytes")));
        }
        let body = read_n(stream, len - 4)?;
        match head[0] {
            b'R' if body.starts_with(&[0, 0, 0, 0]) => Ok(()),
            b'R' => Err(refused("PostgreSQL asks for a password")),
            b'E' => {
                let fields = error_fields(&body);
                let code = fields.iter().find(|(k, _)| *k == b'C').map(|(_, v)| v);
                let message = fields
                    .iter()
                    .find(|(k, _)| *k == b'M')
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                match code.map(String::as_str) {
                    Some(c) if c.starts_with("28") => Err(refused(message)),
                    _ => Err(unexpected(message)),
                }
            }
            other => Err(unexpected(format!(
                "expected an authentication message, got {:?}",
                other as char
            ))),
        }
    }

    fn url(&self, host: &str, port: u16, _options: &Options) -> String {
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        format!("postgresql://postgres@{host}:{port}/postgres")
    }

    /// The official image, told to trust logins (it refuses to start
    /// without a password otherwise) and to keep a logical WAL.
    #[cfg(feature = "docker")]
    fn container(&self, layout: &Layout, _options: &Options) -> Result<ContainerPlan, BrokerError> {
        let script = format!(
            "export POSTGRES_HOST_AUTH_METHOD=trust; exec docker-entrypoint.sh postgres -p {} -c wal_level=logical",
            layout.port
        );
        Ok(ContainerPlan {
            port: layout.port,
            cmd: vec!["sh".into(), "-c".into(), script],
            files: Vec::new(),
        })
    }
}

/// The frontend's first message: length, protocol 3.0, then `name\0value\0`
/// pairs and a closing zero.
pub(crate) fn startup_message(params: &[(&str, &str)]) -> Vec<u8> {
    let mut body = 196_608u32.to_be_bytes().to_vec(); // 3 << 16: protocol 3.0
    for (name, value) in params {
        body.extend_from_slice(name.as_bytes());
        body.push(0);
        body.extend_from_slice(value.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut message = ((body.len() + 4) as u32).to_be_bytes().to_vec();
    message.extend_from_slice(&body);
    message
}

/// An `ErrorResponse` body: one-byte field codes, each with a text value.
fn error_fields(body: &[u8]) -> Vec<(u8, String)> {
    body.split(|b| *b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| (f[0], String::from_utf8_lossy(&f[1..]).into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_message_counts_its_own_length() {
        let m = startup_message(&[("user", "postgres")]);
        assert_eq!(
            u32::from_be_bytes([m[0], m[1], m[2], m[3]]) as usize,
            m.len()
        );
        assert_eq!(&m[4..8], &[0, 3, 0, 0]);
        assert!(m.ends_with(b"postgres\0\0"));
    }

    #[test]
    fn error_fields_are_split_by_code() {
        let f = error_fields(b"SFATAL\0C28P01\0Mno\0\0");
        assert_eq!(f[1], (b'C', "28P01".to_owned()));
    }
}
