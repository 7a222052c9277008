//! A UDP relay that records every datagram and loses the ones it is told to:
//! the [`Proxy`](crate::wire::Proxy) of protocols that run over UDP (QUIC,
//! HTTP/3, WebTransport).
//!
//! Where the TCP proxy can only hold bytes back (a user-space relay cannot
//! drop a TCP segment: the kernel under it would resend it), this one really
//! drops datagrams, and the protocol above has to notice and resend on its
//! own — which is what a lesson on QUIC's loss recovery needs to see.
//!
//! The proxy listens on one loopback port. For each client address it sees,
//! it opens its own socket towards the server, so the server sees one peer
//! per client address: when a client moves to a new port (QUIC's connection
//! migration), the server sees the proxy's new socket, a new address.
//!
//! Faults, settable while traffic flows, per direction:
//!
//! - **Loss**: a chosen share of datagrams is dropped, chosen by a seeded
//!   generator, so the same seed drops the same datagrams of the same run.
//! - **Drop next**: the next `n` datagrams are dropped, one shot, to lose a
//!   precise one (the one a lesson has just caused to be sent).
//! - **Delay**: every datagram is passed on `d` after it arrived, in order.
//! - **Replay**: datagrams recorded earlier are sent again to the server from
//!   a fresh socket, as an attacker who captured them would.
//!
//! A real network also reorders, duplicates and corrupts datagrams, and loses
//! them in bursts; the lab's lessons need none of that.
//!
//! ```no_run
//! # async fn demo(server: std::net::SocketAddr) -> std::io::Result<()> {
//! use labkit::wire::{Direction, UdpProxy};
//!
//! let proxy = UdpProxy::start(server).await?;
//! proxy.set_loss(Direction::ToClient, 0.05, 7); // 5 % of the answers, seed 7
//! // ... point the QUIC client at proxy.addr() ...
//! println!("{} dropped", proxy.dropped(Direction::ToClient));
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::wire::Direction;

/// One datagram the proxy received, dropped or not.
#[derive(Debug, Clone)]
pub struct Datagram {
    /// When the proxy received it, since the proxy started.
    pub at: Duration,
    pub dir: Direction,
    /// The client address it came from or was meant for.
    pub client: SocketAddr,
    pub bytes: Bytes,
    /// Whether a fault dropped it.
    pub dropped: bool,
}

/// A recording UDP relay between clients and one server, with loss and
/// delay. Dropping it stops every task it started.
#[derive(Debug)]
pub struct UdpProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

#[derive(Debug)]
struct Shared {
    server: SocketAddr,
    started: Instant,
    front: Arc<UdpSocket>,
    /// One socket towards the server per client address, and its reader task.
    upstream: Mutex<HashMap<SocketAddr, Upstream>>,
    faults: Mutex<[DirFaults; 2]>,
    forwarded: [AtomicU64; 2],
    dropped: [AtomicU64; 2],
    log: Mutex<Vec<Datagram>>,
    lines: [mpsc::UnboundedSender<Queued>; 2],
}

/// A socket towards the server, and the task reading the server's answers.
type Upstream = (Arc<UdpSocket>, JoinHandle<()>);

#[derive(Debug, Default, Clone)]
struct DirFaults {
    /// Share of datagrams to drop, 0.0..=1.0.
    loss: f64,
    /// The seeded generator's state (splitmix64).
    rng: u64,
    drop_next: u64,
    delay: Duration,
}

#[derive(Debug)]
struct Queued {
    leave_at: Instant,
    client: SocketAddr,
    bytes: Bytes,
}

impl UdpProxy {
    /// Starts a proxy on a free loopback port that relays to `server`.
    pub async fn start(server: SocketAddr) -> io::Result<UdpProxy> {
        let front = Arc::new(UdpSocket::bind("127.0.0.1:0").await?);
        let addr = front.local_addr()?;
        let (to_server, to_server_rx) = mpsc::unbounded_channel();
        let (to_client, to_client_rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            server,
            started: Instant::now(),
            front: front.clone(),
            upstream: Mutex::default(),
            faults: Mutex::default(),
            forwarded: Default::default(),
            dropped: Default::default(),
            log: Mutex::default(),
            lines: [to_server, to_client],
        });
        let tasks = vec![
            tokio::spawn(receive_from_clients(shared.clone())),
            tokio::spawn(delay_line(
                shared.clone(),
                Direction::ToServer,
                to_server_rx,
            )),
            tokio::spawn(delay_line(
                shared.clone(),
                Direction::ToClient,
                to_client_rx,
            )),
        ];
        Ok(UdpProxy {
            addr,
            shared,
            tasks,
        })
    }

    /// Where clients send their datagrams.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Drops `share` (0.0 to 1.0) of the datagrams going `dir` from now on,
    /// chosen by a generator seeded with `seed`.
    pub fn set_loss(&self, dir: Direction, share: f64, seed: u64) {
        let mut faults = lock(&self.shared.faults);
        let f = &mut faults[dir.index()];
        f.loss = share.clamp(0.0, 1.0);
        f.rng = seed;
    }

    /// One shot: drops the next `n` datagrams going `dir`.
    pub fn drop_next(&self, dir: Direction, n: u64) {
        lock(&self.shared.faults)[dir.index()].drop_next = n;
    }

    /// Passes every datagram going `dir` on `d` after it arrived, in order.
    pub fn set_delay(&self, dir: Direction, d: Duration) {
        lock(&self.shared.faults)[dir.index()].delay = d;
    }

    /// No more loss, drops or delay.
    pub fn clear(&self) {
        *lock(&self.shared.faults) = Default::default();
    }

    /// Datagrams passed on in `dir` so far.
    pub fn forwarded(&self, dir: Direction) -> u64 {
        self.shared.forwarded[dir.index()].load(Ordering::Relaxed)
    }

    /// Datagrams dropped in `dir` so far.
    pub fn dropped(&self, dir: Direction) -> u64 {
        self.shared.dropped[dir.index()].load(Ordering::Relaxed)
    }

    /// Every datagram received so far, dropped or not, in arrival order.
    pub fn recording(&self) -> Vec<Datagram> {
        lock(&self.shared.log).clone()
    }

    /// How many client addresses the proxy has relayed for (a client that
    /// moved to a new port counts twice).
    pub fn client_addresses(&self) -> usize {
        lock(&self.shared.upstream).len()
    }

    /// Sends `datagrams` to the server again, in order, from a fresh socket
    /// (as an attacker who recorded them would), and returns that socket's
    /// address. Whatever the server answers is read and thrown away.
    pub async fn replay_to_server(&self, datagrams: &[Bytes]) -> io::Result<SocketAddr> {
        let socket = UdpSocket::bind("127.0.0.1:0").await?;
        socket.connect(self.shared.server).await?;
        for d in datagrams {
            socket.send(d).await?;
        }
        let addr = socket.local_addr()?;
        // Keep the socket open a while so the server's answers find a port.
        tokio::spawn(async move {
            let mut buf = vec![0; 65_536];
            let deadline = tokio::time::sleep(Duration::from_secs(2));
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    _ = &mut deadline => return,
                    r = socket.recv(&mut buf) => if r.is_err() { return },
                }
            }
        });
        Ok(addr)
    }
}

impl Drop for UdpProxy {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        for (_, (_, task)) in lock(&self.shared.upstream).drain() {
            task.abort();
        }
    }
}

impl Shared {
    /// Records a datagram, decides its fate and queues it on the delay line.
    fn arrive(&self, dir: Direction, client: SocketAddr, bytes: Bytes) {
        let (drop, delay) = {
            let mut faults = lock(&self.faults);
            let f = &mut faults[dir.index()];
            let drop = if f.drop_next > 0 {
                f.drop_next -= 1;
                true
            } else {
                f.loss > 0.0 && unit(&mut f.rng) < f.loss
            };
            (drop, f.delay)
        };
        let now = Instant::now();
        lock(&self.log).push(Datagram {
            at: now - self.started,
            dir,
            client,
            bytes: bytes.clone(),
            dropped: drop,
        });
        if drop {
            self.dropped[dir.index()].fetch_add(1, Ordering::Relaxed);
            return;
        }
        let _ = self.lines[dir.index()].send(Queued {
            leave_at: now + delay,
            client,
            bytes,
        });
    }

    /// The socket towards the server for `client`, opened on first use.
    async fn upstream_for(self: &Arc<Self>, client: SocketAddr) -> io::Result<Arc<UdpSocket>> {
        if let Some((socket, _)) = lock(&self.upstream).get(&client) {
            return Ok(socket.clone());
        }
        let socket = Arc::new(UdpSocket::bind("127.0.0.1:0").await?);
        socket.connect(self.server).await?;
        let reader = tokio::spawn(receive_from_server(self.clone(), socket.clone(), client));
        let mut upstream = lock(&self.upstream);
        if let Some((existing, _)) = upstream.get(&client) {
            reader.abort();
            return Ok(existing.clone());
        }
        upstream.insert(client, (socket.clone(), reader));
        Ok(socket)
    }
}

async fn receive_from_clients(shared: Arc<Shared>) {
    let mut buf = vec![0; 65_536];
    while let Ok((n, client)) = shared.front.recv_from(&mut buf).await {
        if shared.upstream_for(client).await.is_err() {
            continue;
        }
        shared.arrive(
            Direction::ToServer,
            client,
            Bytes::copy_from_slice(&buf[..n]),
        );
    }
}

async fn receive_from_server(shared: Arc<Shared>, socket: Arc<UdpSocket>, client: SocketAddr) {
    let mut buf = vec![0; 65_536];
    // An error here is an ICMP "port unreachable" for an earlier datagram:
    // the server is not up (yet); keep reading.
    loop {
        if let Ok(n) = socket.recv(&mut buf).await {
            shared.arrive(
                Direction::ToClient,
                client,
                Bytes::copy_from_slice(&buf[..n]),
            );
        }
    }
}

/// Passes each queued datagram on at its time, in the order they arrived.
async fn delay_line(shared: Arc<Shared>, dir: Direction, mut rx: mpsc::UnboundedReceiver<Queued>) {
    while let Some(q) = rx.recv().await {
        tokio::time::sleep_until(q.leave_at).await;
        let sent = match dir {
            Direction::ToServer => {
                let socket = lock(&shared.upstream)
                    .get(&q.client)
                    .map(|(s, _)| s.clone());
                match socket {
                    Some(s) => s.send(&q.bytes).await,
                    None => continue,
                }
            }
            Direction::ToClient => shared.front.send_to(&q.bytes, q.client).await,
        };
        if sent.is_ok() {
            shared.forwarded[dir.index()].fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The next number in 0.0..1.0 from a splitmix64 generator: small, seeded,
/// and the same on every machine.
fn unit(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
