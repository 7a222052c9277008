//! A round-robin L4 load balancer: the kind that spreads TCP connections.
//!
//! It accepts a connection, picks the next backend in turn, and copies bytes
//! both ways until either side closes — it never looks inside. That is how a
//! classic TCP load balancer (or a Kubernetes Service without a mesh)
//! behaves, and why it cannot spread gRPC calls that share one connection.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A running balancer; dropping it stops accepting.
pub struct L4Balancer {
    addr: SocketAddr,
    /// Connections handed to each backend, in the order of `backends`.
    per_backend: Arc<Vec<AtomicUsize>>,
    task: JoinHandle<()>,
}

impl L4Balancer {
    /// Starts a balancer on a free port of 127.0.0.1 in front of `backends`.
    pub async fn start(backends: Vec<SocketAddr>) -> std::io::Result<L4Balancer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let per_backend: Arc<Vec<AtomicUsize>> =
            Arc::new(backends.iter().map(|_| AtomicUsize::new(0)).collect());
        let task = tokio::spawn(round_robin(listener, backends, per_backend.clone()));
        Ok(L4Balancer {
            addr,
            per_backend,
            task,
        })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// TCP connections sent to each backend so far.
    pub fn connections(&self) -> Vec<usize> {
        self.per_backend
            .iter()
            .map(|c| c.load(Ordering::SeqCst))
            .collect()
    }
}

// ANCHOR: l4
/// The balancer's whole job: each accepted connection goes to the next
/// backend in turn (counted in `counts`), and its bytes are copied both ways
/// without ever being read.
async fn round_robin(
    listener: TcpListener,
    backends: Vec<SocketAddr>,
    counts: Arc<Vec<AtomicUsize>>,
) {
    // ANCHOR: accept_loop
    let mut next = 0;
    while let Ok((mut client, _)) = listener.accept().await {
        let pick = next % backends.len();
        next += 1;
        counts[pick].fetch_add(1, Ordering::SeqCst);
        let backend = backends[pick];
        tokio::spawn(async move {
            if let Ok(mut server) = TcpStream::connect(backend).await {
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            }
        });
    }
    // ANCHOR_END: accept_loop
}
// ANCHOR_END: l4

impl Drop for L4Balancer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
