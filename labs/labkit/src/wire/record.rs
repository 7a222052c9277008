//! What the proxy remembers about each connection: every chunk it read, when,
//! and how the connection ended.
//!
//! A chunk is whatever one `read()` returned, so chunk boundaries say more
//! about timing (and Nagle, and buffer sizes) than about the protocol; the
//! decoders in [`crate::wire::decode`] work on the concatenated stream instead.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;

use super::Direction;

/// One read on one side of a proxied connection.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// When the proxy read it, counted from the proxy's start.
    pub at: Duration,
    /// Which way it was going.
    pub dir: Direction,
    /// The bytes exactly as the sender wrote them.
    pub bytes: Bytes,
    /// How many bytes at the end of `bytes` a one-shot cut kept from reaching
    /// the other side; 0 otherwise. (Bytes still in the delay line when
    /// `cut_all` closes a connection are lost too, but not counted here.)
    pub lost: usize,
}

/// Why a connection ended: who closed it first, or which fault did.
///
/// Lessons about keep-alive and retries hinge on this: "the server closed the
/// idle connection" and "the client gave up" look alike from inside a client
/// library, but not here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The client closed its side (or reset it) first.
    Client,
    /// The server closed its side (or reset it) first.
    Server,
    /// A fault closed it: `cut_all`, `cut_on_next` or `cut_after_bytes`.
    Cut,
    /// `refuse_new` was on: closed right after it was accepted.
    Refused,
    /// Nothing accepted the proxy's connection to the upstream address.
    Unreachable,
}

/// Everything recorded about one TCP connection through the proxy.
#[derive(Debug, Clone)]
pub struct ConnRecord {
    /// Numbered from 0 in the order the proxy accepted them; never reused.
    pub id: usize,
    /// The client's address, as the proxy saw it.
    pub client: SocketAddr,
    /// The address the proxy forwarded to.
    pub server: SocketAddr,
    /// When the proxy accepted it, counted from the proxy's start.
    pub opened_at: Duration,
    /// When both sides were closed; `None` while it is still open.
    pub closed_at: Option<Duration>,
    /// Why it ended; `None` while it is still open.
    pub ending: Option<Ending>,
    /// Every chunk, both directions, in the order the proxy read them.
    pub chunks: Vec<Chunk>,
}

impl ConnRecord {
    /// Bytes the sender wrote in `dir` (including any a fault then lost).
    pub fn bytes(&self, dir: Direction) -> u64 {
        self.chunks_in(dir).map(|c| c.bytes.len() as u64).sum()
    }

    /// Everything the sender wrote in `dir`, concatenated: what a decoder reads.
    pub fn stream(&self, dir: Direction) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes(dir) as usize);
        for c in self.chunks_in(dir) {
            out.extend_from_slice(&c.bytes);
        }
        out
    }

    /// The chunks that travelled in `dir`, in order.
    pub fn chunks_in(&self, dir: Direction) -> impl Iterator<Item = &Chunk> {
        self.chunks.iter().filter(move |c| c.dir == dir)
    }

    /// Whether the connection was still open when this snapshot was taken.
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

/// The proxy's shared notebook. Every task writes to it under one short lock.
#[derive(Debug)]
pub(crate) struct Recorder {
    started: Instant,
    started_wall: SystemTime,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    conns: BTreeMap<usize, ConnRecord>,
    opened: usize,
    next_id: usize,
}

impl Recorder {
    pub(crate) fn new() -> Recorder {
        Recorder {
            started: Instant::now(),
            started_wall: SystemTime::now(),
            state: Mutex::default(),
        }
    }

    /// Time since the proxy started: the clock every record uses.
    pub(crate) fn now(&self) -> Duration {
        self.started.elapsed()
    }

    /// The wall-clock time of the proxy's start, for capture files.
    pub(crate) fn started_wall(&self) -> SystemTime {
        self.started_wall
    }

    /// Notes a newly accepted connection and returns its id.
    pub(crate) fn open(&self, client: SocketAddr, server: SocketAddr) -> usize {
        let at = self.now();
        let mut s = self.lock();
        let id = s.next_id;
        s.next_id += 1;
        s.opened += 1;
        s.conns.insert(
            id,
            ConnRecord {
                id,
                client,
                server,
                opened_at: at,
                closed_at: None,
                ending: None,
                chunks: Vec::new(),
            },
        );
        id
    }

    /// Notes one chunk read on connection `id`; returns when it was read.
    pub(crate) fn chunk(&self, id: usize, dir: Direction, bytes: Bytes, lost: usize) -> Duration {
        let at = self.now();
        if let Some(c) = self.lock().conns.get_mut(&id) {
            c.chunks.push(Chunk {
                at,
                dir,
                bytes,
                lost,
            });
        }
        at
    }

    /// Notes that connection `id` is closed, and why.
    pub(crate) fn close(&self, id: usize, ending: Ending) {
        let at = self.now();
        if let Some(c) = self.lock().conns.get_mut(&id) {
            c.closed_at = Some(at);
            c.ending = Some(ending);
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<ConnRecord> {
        self.lock().conns.values().cloned().collect()
    }

    pub(crate) fn opened(&self) -> usize {
        self.lock().opened
    }

    /// Forgets closed connections and every chunk so far; connections still
    /// open stay listed (with no chunks) so that what they send next is kept.
    pub(crate) fn reset(&self) {
        let mut s = self.lock();
        s.opened = 0;
        s.conns.retain(|_, c| c.closed_at.is_none());
        for c in s.conns.values_mut() {
            c.chunks.clear();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the notebook half
        // written in a way that matters to a reader, so keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
