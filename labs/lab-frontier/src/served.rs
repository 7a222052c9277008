//! The lab's QUIC server application: every bidirectional stream is one
//! request; the server reads it to its end, notes it in a shared log (the
//! "side effect" a replay would repeat) and answers `done: <request>`.
//!
//! It accepts early data (0-RTT) whenever TLS does: quinn hands the server
//! the connection before the handshake is over (`into_0rtt`), so requests
//! that arrived in 0-RTT packets are read at once. A real server would
//! accept early data only for requests that are safe to run twice.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use quinn::Endpoint;

/// One request the server carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub request: String,
    /// The address the request's last bytes came from, as the server saw it.
    pub from: SocketAddr,
    /// Which connection it came on (quinn's `stable_id`, unique per
    /// connection of the server's endpoint).
    pub connection: usize,
}

/// Every request the server carried out, shared with the scenario.
pub type Log = Arc<Mutex<Vec<Done>>>;

/// The most a request may be.
const MAX_REQUEST: usize = 8 << 20;

/// Requests up to this long are echoed in the answer; longer ones counted.
const SHORT: usize = 64;

/// Serves `endpoint` until it is closed or the task is dropped.
pub async fn serve(endpoint: Endpoint, log: Log) {
    while let Some(incoming) = endpoint.accept().await {
        let log = log.clone();
        tokio::spawn(async move {
            let Ok(connecting) = incoming.accept() else {
                return;
            };
            // Server side, `into_0rtt` always succeeds: the connection is
            // usable before the handshake completes.
            let conn = match connecting.into_0rtt() {
                Ok((conn, _)) => conn,
                Err(connecting) => match connecting.await {
                    Ok(conn) => conn,
                    Err(_) => return,
                },
            };
            while let Ok((mut send, mut recv)) = conn.accept_bi().await {
                let log = log.clone();
                let conn = conn.clone();
                tokio::spawn(async move {
                    let Ok(body) = recv.read_to_end(MAX_REQUEST).await else {
                        return;
                    };
                    let request = String::from_utf8_lossy(&body).into_owned();
                    let answer = if request.len() <= SHORT {
                        format!("done: {request}")
                    } else {
                        format!("done: {} bytes", request.len())
                    };
                    lock(&log).push(Done {
                        request,
                        from: conn.remote_address(),
                        connection: conn.stable_id(),
                    });
                    let _ = send.write_all(answer.as_bytes()).await;
                    let _ = send.finish();
                    let _ = send.stopped().await;
                });
            }
        });
    }
}

/// Sends `request` on a new stream of `conn` and reads the whole answer.
pub async fn ask(conn: &quinn::Connection, request: &str) -> anyhow::Result<String> {
    let (mut send, mut recv) = conn.open_bi().await?;
    send.write_all(request.as_bytes()).await?;
    send.finish()?;
    let answer = recv.read_to_end(MAX_REQUEST).await?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
