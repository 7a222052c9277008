//! Free ports for private servers on 127.0.0.1.
//!
//! labkit finds a port free, releases it, and hands it to a server that
//! binds it a moment later. In that window another process could take it,
//! and the likeliest taker is an outgoing connection: the kernel gives each
//! one a source port from its ephemeral range (`net.ipv4.ip_local_port_range`,
//! 32768–60999 by default), the same range it picks from when asked to bind
//! port 0. So labkit picks below that range instead, from a random place in
//! each process and never the same port twice in one process, and checks
//! each port by binding it. Two test processes could still pick the same
//! port in the same instant; at one chance in some twenty thousand per port
//! that is rare enough for a lab.
//!
//! A real deployment avoids the window altogether: the server binds port 0
//! and reports the port it got, or is handed a socket already bound (as
//! systemd's socket activation does).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::net::TcpListener;
use std::sync::Mutex;

/// The lowest port handed out: well above the ports services register.
const LOWEST: u16 = 10_000;

/// Where the next search starts in this process.
static NEXT: Mutex<Option<u16>> = Mutex::new(None);

/// `n` distinct free ports on 127.0.0.1, from below the kernel's ephemeral
/// range (or from the kernel, if that range starts too low to leave room).
pub(crate) fn free_ports(n: usize) -> io::Result<Vec<u16>> {
    let top = ephemeral_start().unwrap_or(32_768);
    if top < LOWEST + 1_000 {
        return from_the_kernel(n);
    }
    let span = top - LOWEST;
    let mut next = NEXT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut port = next.unwrap_or_else(|| LOWEST + random_below(span));
    let mut held = Vec::with_capacity(n);
    for _ in 0..span {
        if held.len() == n {
            break;
        }
        if let Ok(listener) = TcpListener::bind(("127.0.0.1", port)) {
            held.push(listener);
        }
        port = if port + 1 >= top { LOWEST } else { port + 1 };
    }
    *next = Some(port);
    if held.len() < n {
        return from_the_kernel(n);
    }
    held.iter()
        .map(|l| l.local_addr().map(|a| a.port()))
        .collect()
}

/// Ports the kernel picks (bind to port 0), all held until each is known.
fn from_the_kernel(n: usize) -> io::Result<Vec<u16>> {
    let listeners = (0..n)
        .map(|_| TcpListener::bind(("127.0.0.1", 0)))
        .collect::<io::Result<Vec<_>>>()?;
    listeners
        .iter()
        .map(|l| l.local_addr().map(|a| a.port()))
        .collect()
}

/// The first port of the kernel's ephemeral range, where Linux says it.
fn ephemeral_start() -> Option<u16> {
    let range = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").ok()?;
    range.split_whitespace().next()?.parse().ok()
}

/// A number below `span`, different in each process: std's hasher keys are
/// random per process, which is all the randomness this needs.
fn random_below(span: u16) -> u16 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    (hasher.finish() % u64::from(span)) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_distinct_bindable_and_below_the_ephemeral_range() {
        let top = ephemeral_start().unwrap_or(32_768);
        let first = free_ports(5).unwrap();
        let second = free_ports(5).unwrap();
        let mut all: Vec<u16> = first.iter().chain(&second).copied().collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(
            all.len(),
            10,
            "no port handed out twice: {first:?} {second:?}"
        );
        for port in all {
            assert!(
                (LOWEST..top).contains(&port),
                "{port} outside {LOWEST}..{top}"
            );
            TcpListener::bind(("127.0.0.1", port)).expect("a port handed out is free");
        }
    }
}
