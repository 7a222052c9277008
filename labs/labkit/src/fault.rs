//! Breaking the network on purpose, on the [`Proxy`](crate::wire::Proxy).
//!
//! There is no netem and no root here, and a reader's laptop may have neither,
//! so every fault a lesson needs is done by the proxy the lab already runs:
//! it holds chunks back (delay), spaces them out (bandwidth), stops passing
//! them on (black hole) or closes the connections (cuts). Every setting can be
//! changed while connections are live, from any task: [`Faults`] is a cheap
//! handle to state the proxy's tasks share.
//!
//! ```no_run
//! # async fn demo(proxy: &labkit::wire::Proxy) {
//! use labkit::wire::Direction;
//! use std::time::Duration;
//!
//! let faults = proxy.faults();
//! faults.set_delay(Direction::ToClient, Duration::from_millis(50));
//! faults.cut_on_next(Direction::ToClient); // the server will answer; the client won't hear it
//! // ... send a POST through the proxy, then count what the server did ...
//! faults.clear();
//! # }
//! ```
//!
//! What each fault is meant to stand for, and where it differs from a real
//! network:
//!
//! - **Delay** is a delay line: every chunk is passed on `d` after the proxy
//!   read it, in order. Real latency is per packet, not per chunk, which makes
//!   no difference to the protocols in this book.
//! - **Bandwidth** is one link per direction that all connections share, like
//!   a slow uplink: a chunk of `n` bytes occupies it for `n / rate` seconds and
//!   is passed on when that time is over.
//! - **Black hole** is a partition: nothing crosses either way, nothing is
//!   closed, and both ends see only silence. Like TCP's retransmissions after
//!   a partition heals, what was sent during it is delivered, in order, when it
//!   is lifted, unless an end gave up and closed first.
//! - **Cuts** close both TCP connections the way the kernel does when a process
//!   dies: whatever the proxy already passed on arrives, then a FIN (a reset
//!   instead, if the proxy had unread data from that side). What the proxy was
//!   still holding (in the delay line, or the chunk a cut was waiting for) is lost.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::AbortHandle;
use tokio::time::Instant;

use crate::wire::Direction;

/// The faults of one proxy. Clone it freely: clones control the same proxy.
#[derive(Debug, Clone)]
pub struct Faults {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Added one-way latency per direction, in nanoseconds.
    delay: [AtomicU64; 2],
    /// One-shot extra delay for the next chunk per direction, in nanoseconds.
    stall: [AtomicU64; 2],
    /// Bandwidth cap per direction in bytes per second; 0 means none.
    bandwidth: [AtomicU64; 2],
    /// When each direction's shared link is free to carry the next bytes.
    link_free: [Mutex<Option<Instant>>; 2],
    /// Bytes still allowed through before a one-shot cut, per direction.
    cut_budget: [Mutex<Option<u64>>; 2],
    refuse: AtomicBool,
    black_hole: watch::Sender<bool>,
    /// The connections now open, so that a cut can reach them.
    live: Mutex<HashMap<usize, Live>>,
    live_count: watch::Sender<usize>,
}

#[derive(Debug)]
struct Live {
    kill: watch::Sender<bool>,
    task: Option<AbortHandle>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults::new()
    }
}

impl Faults {
    /// No faults: everything is forwarded as soon as it is read.
    pub fn new() -> Faults {
        Faults {
            inner: Arc::new(Inner {
                delay: Default::default(),
                stall: Default::default(),
                bandwidth: Default::default(),
                link_free: Default::default(),
                cut_budget: Default::default(),
                refuse: AtomicBool::new(false),
                black_hole: watch::Sender::new(false),
                live: Mutex::default(),
                live_count: watch::Sender::new(0),
            }),
        }
    }

    /// Adds `d` of one-way latency in `dir` to every chunk read from now on.
    /// Order is kept: a chunk never overtakes an earlier one.
    pub fn set_delay(&self, dir: Direction, d: Duration) {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.inner.delay[dir.index()].store(nanos, Ordering::Relaxed);
    }

    /// One shot: holds the next chunk read in `dir` for `d` more, and,
    /// since order is kept, everything read after it too. This is what a
    /// lost TCP segment does to the bytes behind it: the receiving kernel
    /// keeps them until the retransmission fills the gap (a user-space relay
    /// cannot drop a segment, so the lab models the loss as this wait).
    pub fn stall_next(&self, dir: Direction, d: Duration) {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.inner.stall[dir.index()].store(nanos, Ordering::Relaxed);
    }

    /// Caps `dir` at `bytes_per_sec` (shared by all connections), or lifts
    /// the cap with `None`. `Some(0)` is taken as "no cap": to stop traffic
    /// without closing anything use [`Faults::set_black_hole`].
    pub fn set_bandwidth(&self, dir: Direction, bytes_per_sec: Option<u64>) {
        self.inner.bandwidth[dir.index()].store(bytes_per_sec.unwrap_or(0), Ordering::Relaxed);
        *lock(&self.inner.link_free[dir.index()]) = None;
    }

    /// Turns the partition on or off: while on, nothing is passed on either
    /// way and nothing is closed, so both ends see only silence (a keep-alive
    /// timer's job to notice). Lifting it delivers what was held, in order.
    pub fn set_black_hole(&self, on: bool) {
        self.inner.black_hole.send_replace(on);
    }

    /// Closes every connection open now; both ends see it at once.
    pub fn cut_all(&self) {
        for live in lock(&self.inner.live).values() {
            live.kill.send_replace(true);
        }
    }

    /// One shot: the next chunk that arrives in `dir`, on whatever
    /// connection, is dropped and that connection closed. With
    /// `Direction::ToClient` after a request: the server did the work, the
    /// client never hears about it.
    pub fn cut_on_next(&self, dir: Direction) {
        self.cut_after_bytes(dir, 0);
    }

    /// One shot: let `n` more bytes through in `dir` (counted over all
    /// connections), then close the connection the last of them was on.
    /// Sweeping `n` over a message cuts it at every possible point.
    pub fn cut_after_bytes(&self, dir: Direction, n: u64) {
        *lock(&self.inner.cut_budget[dir.index()]) = Some(n);
    }

    /// While on, new connections are accepted and closed at once, as by a
    /// server that is up but overloaded. Open connections are not touched.
    pub fn refuse_new(&self, on: bool) {
        self.inner.refuse.store(on, Ordering::Relaxed);
    }

    /// Back to no faults: delays, caps, pending cuts and refusal are dropped
    /// and a black hole is lifted. Connections already closed stay closed.
    pub fn clear(&self) {
        for dir in Direction::BOTH {
            self.set_delay(dir, Duration::ZERO);
            self.inner.stall[dir.index()].store(0, Ordering::Relaxed);
            self.set_bandwidth(dir, None);
            *lock(&self.inner.cut_budget[dir.index()]) = None;
        }
        self.refuse_new(false);
        self.set_black_hole(false);
    }

    /// Whether the black hole is on now.
    pub fn black_hole(&self) -> bool {
        *self.inner.black_hole.borrow()
    }

    // ---- What the proxy's tasks ask (crate-internal) ----

    /// The delay to add to a chunk read now in `dir`.
    pub(crate) fn delay(&self, dir: Direction) -> Duration {
        Duration::from_nanos(self.inner.delay[dir.index()].load(Ordering::Relaxed))
    }

    /// The one-shot stall for the chunk read now in `dir` (zero when none
    /// is set); taking it clears it.
    pub(crate) fn take_stall(&self, dir: Direction) -> Duration {
        Duration::from_nanos(self.inner.stall[dir.index()].swap(0, Ordering::Relaxed))
    }

    pub(crate) fn refusing(&self) -> bool {
        self.inner.refuse.load(Ordering::Relaxed)
    }

    /// Called for each chunk of `len` bytes read in `dir`: `None` to forward
    /// it all, `Some(k)` to forward its first `k` bytes and then close.
    pub(crate) fn cut_point(&self, dir: Direction, len: usize) -> Option<usize> {
        let mut budget = lock(&self.inner.cut_budget[dir.index()]);
        let left = (*budget)?;
        if (len as u64) < left {
            *budget = Some(left - len as u64);
            return None;
        }
        *budget = None;
        Some(left as usize)
    }

    /// How many bytes to write at a time in `dir`: small pieces under a
    /// bandwidth cap (about 50 a second) so the bytes flow instead of lurching.
    pub(crate) fn piece_len(&self, dir: Direction) -> usize {
        match self.inner.bandwidth[dir.index()].load(Ordering::Relaxed) {
            0 => usize::MAX,
            rate => (rate / 50).clamp(1, 16 * 1024) as usize,
        }
    }

    /// Books `len` bytes on `dir`'s link; returns when they have crossed it,
    /// or `None` when there is no cap.
    pub(crate) fn book_link(&self, dir: Direction, len: usize) -> Option<Instant> {
        let rate = self.inner.bandwidth[dir.index()].load(Ordering::Relaxed);
        if rate == 0 {
            return None;
        }
        let mut free = lock(&self.inner.link_free[dir.index()]);
        let now = Instant::now();
        let start = free.map_or(now, |f| f.max(now));
        let done = start + Duration::from_secs_f64(len as f64 / rate as f64);
        *free = Some(done);
        Some(done)
    }

    /// Waits while the black hole is on.
    pub(crate) async fn pass_black_hole(&self) {
        if !self.black_hole() {
            return;
        }
        let mut rx = self.inner.black_hole.subscribe();
        // The sender lives as long as `self`, so this cannot fail.
        let _ = rx.wait_for(|on| !on).await;
    }

    /// Notes a new open connection; the receiver turns `true` when a fault
    /// wants it closed.
    pub(crate) fn register(&self, id: usize) -> watch::Receiver<bool> {
        let (kill, rx) = watch::channel(false);
        let mut live = lock(&self.inner.live);
        live.insert(id, Live { kill, task: None });
        self.inner.live_count.send_replace(live.len());
        rx
    }

    /// Remembers the task serving connection `id`, so that dropping the
    /// proxy can stop it.
    pub(crate) fn set_task(&self, id: usize, task: AbortHandle) {
        if let Some(live) = lock(&self.inner.live).get_mut(&id) {
            live.task = Some(task);
        }
    }

    /// Notes that connection `id` is closed.
    pub(crate) fn unregister(&self, id: usize) {
        let mut live = lock(&self.inner.live);
        live.remove(&id);
        self.inner.live_count.send_replace(live.len());
    }

    pub(crate) fn live_count(&self) -> usize {
        *self.inner.live_count.borrow()
    }

    /// Waits until no connection is open.
    pub(crate) async fn wait_none_live(&self) {
        let mut rx = self.inner.live_count.subscribe();
        let _ = rx.wait_for(|n| *n == 0).await;
    }

    /// Stops every connection's task at once (the proxy is being dropped).
    pub(crate) fn abort_all(&self) {
        let mut live = lock(&self.inner.live);
        for (_, l) in live.drain() {
            if let Some(task) = l.task {
                task.abort();
            }
        }
        self.inner.live_count.send_replace(0);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Every critical section here is a plain assignment: a panic elsewhere
    // cannot leave the value half written, so a poisoned lock is still good.
    m.lock().unwrap_or_else(|e| e.into_inner())
}
