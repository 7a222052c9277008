//! Small helpers every scenario uses: bind to a free loopback port, wait
//! for a peer's handshake, receive with a deadline, and run blocking
//! libzmq code from async code.
//!
//! libzmq's API is blocking (its own I/O threads do the networking), so the
//! scenarios are plain functions and `run` hands them to a blocking thread.

use std::time::Duration;

use anyhow::{Context as _, anyhow};

/// Binds `sock` to a free TCP port on 127.0.0.1 and returns the endpoint a
/// peer connects to, e.g. `tcp://127.0.0.1:43117`.
pub fn bind_tcp(sock: &zmq::Socket) -> anyhow::Result<String> {
    sock.bind("tcp://127.0.0.1:*")
        .context("cannot bind a ZeroMQ socket on 127.0.0.1")?;
    endpoint(sock)
}

/// The endpoint `sock` was last bound to.
pub fn endpoint(sock: &zmq::Socket) -> anyhow::Result<String> {
    sock.get_last_endpoint()?
        .map_err(|_| anyhow!("libzmq returned an endpoint that is not UTF-8"))
}

/// The TCP port of an endpoint such as `tcp://127.0.0.1:43117`.
pub fn port(endpoint: &str) -> anyhow::Result<u16> {
    endpoint
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| anyhow!("{endpoint} has no port"))
}

/// A new socket of `kind` that drops unsent messages when closed: a lab
/// must never hang on exit waiting for a peer that is gone.
pub fn socket(ctx: &zmq::Context, kind: zmq::SocketType) -> anyhow::Result<zmq::Socket> {
    let s = ctx.socket(kind).context("cannot create a ZeroMQ socket")?;
    s.set_linger(0)?;
    Ok(s)
}

/// Receives one multipart message, or `None` if none arrives within `wait`.
pub fn recv_within(sock: &zmq::Socket, wait: Duration) -> anyhow::Result<Option<Vec<Vec<u8>>>> {
    if sock.poll(zmq::POLLIN, wait.as_millis() as i64)? == 0 {
        return Ok(None);
    }
    Ok(Some(sock.recv_multipart(0)?))
}

/// Watches `sock` and returns once `n` peers have finished the ZMTP
/// handshake with it: before that, a PUSH or PUB socket has nowhere to put
/// a message for them. `monitor` must be a fresh name.
pub struct Handshakes {
    events: zmq::Socket,
}

impl Handshakes {
    /// Starts watching `sock` (call before peers connect).
    pub fn watch(ctx: &zmq::Context, sock: &zmq::Socket, name: &str) -> anyhow::Result<Self> {
        let addr = format!("inproc://monitor-{name}");
        sock.monitor(&addr, zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32)?;
        let events = socket(ctx, zmq::PAIR)?;
        events.connect(&addr)?;
        Ok(Handshakes { events })
    }

    /// Waits for `n` more successful handshakes (20 s at most).
    pub fn wait(&self, n: usize) -> anyhow::Result<()> {
        for seen in 0..n {
            if recv_within(&self.events, Duration::from_secs(20))?.is_none() {
                anyhow::bail!("only {seen} of {n} peers finished their handshake within 20 s");
            }
        }
        Ok(())
    }
}

/// Runs blocking libzmq code on a thread where blocking is allowed.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| anyhow!("a lab thread failed: {e}"))?
}

/// Sleeps a little: only ever to let a pattern show itself (a subscriber
/// that is away, a worker that is slow), never to make a test pass.
pub fn pause(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}
