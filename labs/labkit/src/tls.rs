//! Throwaway TLS certificates: a certificate authority and one server
//! certificate, made when a lab runs, written to a temporary folder that
//! goes away with them.
//!
//! Why made at run time: a certificate checked into the repository expires
//! one day and breaks every chapter that uses it; one made now cannot.
//! Why files: brokers (Mosquitto's `cafile`/`certfile`/`keyfile`, RabbitMQ's
//! `ssl_options.*`) read PEM files, while clients take the CA as text
//! ([`Throwaway::ca_pem`]).
//!
//! The folder is removed when the [`Throwaway`] drops, and — through a tiny
//! `sh` watchdog holding a pipe, as private brokers do (see
//! `broker::process`) — also when the process ends without running `Drop`:
//! Ctrl-C, a panic that aborts, SIGKILL. A private key is left behind only
//! if `sh` cannot be started.
//!
//! A real deployment gets its certificates from a CA people trust (or an
//! internal one with rotation and revocation); this one is trusted by
//! nothing but the lab that made it, and uses rcgen's defaults (ECDSA P-256,
//! no expiry set by hand).
//!
//! ```
//! let certs = labkit::tls::Throwaway::new("lab-x throwaway CA", &["localhost"]).unwrap();
//! assert!(certs.ca_pem().starts_with("-----BEGIN CERTIFICATE-----"));
//! assert!(certs.key_file().exists());
//! let dir = certs.dir().to_path_buf();
//! drop(certs);
//! assert!(!dir.exists());
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use anyhow::Context;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use tempfile::TempDir;

/// Waits for our end of its stdin to close; removes the folder unless told
/// `disarm` first. It ignores SIGINT and SIGHUP, which a terminal's Ctrl-C
/// sends to the whole foreground process group, so it outlives the lab by
/// the moment it needs.
const WATCHDOG: &str = r#"trap '' INT HUP
read -r line
[ "$line" = disarm ] && exit 0
rm -rf -- "$1"
exit 0"#;

/// A CA, a server certificate it signed and the server's private key, as
/// PEM text and as files (`ca.pem`, `cert.pem`, `key.pem`) in a temporary
/// folder. Keep it alive as long as a broker may read the files (a
/// restarted broker reads them again).
#[derive(Debug)]
pub struct Throwaway {
    ca_pem: String,
    cert_pem: String,
    key_pem: String,
    ca_file: PathBuf,
    cert_file: PathBuf,
    key_file: PathBuf,
    /// Held for its `Drop`; declared before `dir`, so it is disarmed
    /// before the folder is removed.
    _watchdog: Option<Watchdog>,
    dir: TempDir,
}

impl Throwaway {
    /// A CA whose common name is `ca_name`, and a server certificate valid
    /// for `names` (host names or IP addresses, e.g. `["localhost"]` or
    /// `["127.0.0.1", "localhost"]`), the first of which is also its common
    /// name. A client must connect with one of `names`, or its check of the
    /// certificate fails — as it should.
    pub fn new(ca_name: &str, names: &[&str]) -> anyhow::Result<Throwaway> {
        let Some(first) = names.first() else {
            anyhow::bail!("a server certificate needs at least one name, e.g. \"localhost\"");
        };
        // ANCHOR: make
        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::new(Vec::<String>::new())?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, ca_name);
        let ca_pem = ca.self_signed(&ca_key)?.pem();
        let server_key = KeyPair::generate()?;
        let mut server =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .with_context(|| format!("{names:?} are not host names or IP addresses"))?;
        server.distinguished_name.push(DnType::CommonName, *first);
        let cert_pem = server
            .signed_by(&server_key, &Issuer::new(ca, ca_key))?
            .pem();
        // ANCHOR_END: make
        let key_pem = server_key.serialize_pem();

        let dir = tempfile::Builder::new()
            .prefix("labkit-tls-")
            .tempdir()
            .context("cannot make a temporary folder for the certificates")?;
        let watchdog = Watchdog::start(dir.path());
        let write = |name: &str, text: &str| -> anyhow::Result<PathBuf> {
            let path = dir.path().join(name);
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(path)
        };
        Ok(Throwaway {
            ca_file: write("ca.pem", &ca_pem)?,
            cert_file: write("cert.pem", &cert_pem)?,
            key_file: write("key.pem", &key_pem)?,
            ca_pem,
            cert_pem,
            key_pem,
            _watchdog: watchdog,
            dir,
        })
    }

    /// The CA certificate, PEM: what a client is told to trust.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The server certificate, PEM.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The server's private key, PEM (PKCS#8).
    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// `ca.pem` in [`dir`](Self::dir).
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// `cert.pem` in [`dir`](Self::dir).
    pub fn cert_file(&self) -> &Path {
        &self.cert_file
    }

    /// `key.pem` in [`dir`](Self::dir).
    pub fn key_file(&self) -> &Path {
        &self.key_file
    }

    /// The temporary folder holding the three files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// The `sh` that removes the folder if we die without dropping.
#[derive(Debug)]
struct Watchdog {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Watchdog {
    /// `None` when `sh` cannot run: the folder is then removed on drop only.
    fn start(dir: &Path) -> Option<Watchdog> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg("labkit-tls-watchdog")
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take();
        Some(Watchdog { child, stdin })
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"disarm\n");
        }
        // It exits at once on `disarm` (or removes the folder on EOF).
        let _ = self.child.wait();
    }
}
