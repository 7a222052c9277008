//! Knowing a broker is ready: connect and speak a few bytes of its protocol.
//!
//! An open port is not enough — Docker's port proxy accepts connections
//! before the broker inside listens, and RabbitMQ opens ports before it
//! can serve. So every readiness check here is a real protocol exchange
//! over raw TCP (see each kind's `probe`), retried until a deadline.

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use super::credentials::Credentials;
use super::recipe::Recipe;

/// How long one probe attempt may take.
const ATTEMPT: Duration = Duration::from_secs(1);
/// The pause between attempts.
const INTERVAL: Duration = Duration::from_millis(25);

/// Connect once and run the kind's probe, logging in as `login` (blocking,
/// bounded by `ATTEMPT` for the connect and for each read or write).
pub(crate) fn probe_once(
    recipe: &dyn Recipe,
    addr: SocketAddr,
    login: &Credentials,
) -> io::Result<()> {
    let mut stream = TcpStream::connect_timeout(&addr, ATTEMPT)?;
    stream.set_read_timeout(Some(ATTEMPT))?;
    stream.set_write_timeout(Some(ATTEMPT))?;
    stream.set_nodelay(true)?;
    recipe.probe(&mut stream, login)
}

/// Connect once, nothing more (for TLS URLs and extra ports).
pub(crate) fn connect_once(addr: SocketAddr) -> io::Result<()> {
    TcpStream::connect_timeout(&addr, ATTEMPT).map(drop)
}

/// Why waiting for readiness ended without success.
pub(crate) enum NotReady {
    /// `gave_up` said to stop (the process exited), with its reason.
    GaveUp(String),
    /// The deadline passed; the last attempt's error.
    TimedOut(String),
}

/// Probe `addr` (logging in as `login`) until it answers, `deadline`
/// passes, or `gave_up` returns a reason to stop; then wait the same way
/// for each of `extra` to accept a connection.
pub(crate) async fn wait_ready(
    recipe: &'static dyn Recipe,
    addr: SocketAddr,
    login: &Credentials,
    extra: &[SocketAddr],
    deadline: Instant,
    mut gave_up: impl FnMut() -> Option<String>,
) -> Result<(), NotReady> {
    let mut targets = vec![(addr, true)];
    targets.extend(extra.iter().map(|a| (*a, false)));
    for (target, speak) in targets {
        loop {
            if let Some(reason) = gave_up() {
                return Err(NotReady::GaveUp(reason));
            }
            let login = login.clone();
            let attempt = tokio::task::spawn_blocking(move || {
                if speak {
                    probe_once(recipe, target, &login)
                } else {
                    connect_once(target)
                }
            })
            .await
            .unwrap_or_else(|e| Err(io::Error::other(e.to_string())));
            match attempt {
                Ok(()) => break,
                // A refused login is an answer: the broker serves. (A lesson
                // may set up its own users in config lines labkit cannot
                // see; whether the lab's login works is the lab's to show.)
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => break,
                Err(e) if Instant::now() >= deadline => {
                    return Err(NotReady::TimedOut(format!("{target}: {e}")));
                }
                Err(_) => tokio::time::sleep(INTERVAL).await,
            }
        }
    }
    Ok(())
}
