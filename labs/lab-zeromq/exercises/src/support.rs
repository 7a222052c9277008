//! What the grading tests run your code against: servers, workers and a
//! key-value publisher, all on the real libzmq over 127.0.0.1. You do not
//! edit this file, but reading it shows exactly what your code must handle.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A socket that drops unsent messages when closed (tests never hang on exit).
pub fn socket(ctx: &zmq::Context, kind: zmq::SocketType) -> zmq::Socket {
    let s = ctx.socket(kind).expect("a ZeroMQ socket");
    s.set_linger(0).expect("linger 0");
    s
}

/// Binds `sock` on a free 127.0.0.1 port; returns the endpoint.
pub fn bind(sock: &zmq::Socket) -> String {
    sock.bind("tcp://127.0.0.1:*").expect("a free port");
    sock.get_last_endpoint().unwrap().unwrap()
}

/// One multipart message, or `None` after `wait`.
pub fn recv_within(sock: &zmq::Socket, wait: Duration) -> Option<Vec<Vec<u8>>> {
    if sock.poll(zmq::POLLIN, wait.as_millis() as i64).ok()? == 0 {
        return None;
    }
    sock.recv_multipart(0).ok()
}

/// A thread that runs until `stop` is set; `join` stops and waits for it.
pub struct Background<T> {
    pub stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<T>>,
}

impl<T> Background<T> {
    fn spawn(f: impl FnOnce(Arc<AtomicBool>) -> T + Send + 'static) -> Self
    where
        T: Send + 'static,
    {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        Background {
            stop,
            handle: Some(std::thread::spawn(move || f(s))),
        }
    }

    /// Stops the thread and returns what it returned.
    pub fn join(mut self) -> T {
        self.stop.store(true, Ordering::Relaxed);
        self.handle
            .take()
            .unwrap()
            .join()
            .expect("the harness thread")
    }
}

/// A request/reply server on a ROUTER that reads every request, ignores the
/// first `ignore` of them and echoes the rest. `reads` counts requests read.
pub struct FlakyServer {
    pub endpoint: String,
    pub reads: Arc<AtomicU32>,
    pub thread: Background<()>,
}

/// Starts a [`FlakyServer`].
pub fn flaky_server(ctx: &zmq::Context, ignore: u32) -> FlakyServer {
    let router = socket(ctx, zmq::ROUTER);
    let endpoint = bind(&router);
    let reads = Arc::new(AtomicU32::new(0));
    let r = reads.clone();
    let thread = Background::spawn(move |stop| {
        while !stop.load(Ordering::Relaxed) {
            let Some(msg) = recv_within(&router, Duration::from_millis(20)) else {
                continue;
            };
            let n = r.fetch_add(1, Ordering::SeqCst) + 1;
            if n > ignore {
                router.send_multipart(msg, 0).unwrap(); // [id, "", body] back
            }
        }
    });
    FlakyServer {
        endpoint,
        reads,
        thread,
    }
}

/// What one broker worker did.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkerLog {
    /// Tasks it did.
    pub tasks: u32,
    /// Times a second task was already waiting before it had answered the
    /// first: the broker gave work to a worker that was busy.
    pub handed_while_busy: u32,
}

/// A worker behind the broker: it connects to `backend` as a REQ socket
/// would (a DEALER sending ["", ...]), says READY, then answers each task
/// ["", client, "", task] after `cost_ms`, with ["", client, "", "done"].
pub fn broker_worker(ctx: &zmq::Context, backend: &str, cost_ms: u64) -> Background<WorkerLog> {
    let dealer = socket(ctx, zmq::DEALER);
    dealer.connect(backend).unwrap();
    Background::spawn(move |stop| {
        let mut log = WorkerLog::default();
        dealer.send_multipart([&b""[..], b"READY"], 0).unwrap();
        while !stop.load(Ordering::Relaxed) {
            let Some(msg) = recv_within(&dealer, Duration::from_millis(20)) else {
                continue;
            };
            std::thread::sleep(Duration::from_millis(cost_ms));
            if dealer.poll(zmq::POLLIN, 0).unwrap_or(0) > 0 {
                log.handed_while_busy += 1;
            }
            log.tasks += 1;
            let client = msg.get(1).cloned().unwrap_or_default();
            dealer
                .send_multipart([b"".to_vec(), client, b"".to_vec(), b"done".to_vec()], 0)
                .unwrap();
        }
        log
    })
}

/// A REQ client sending `n` tasks one after another to `frontend`;
/// returns how many were answered (5 s patience each).
pub fn broker_client(ctx: &zmq::Context, frontend: &str, n: u32) -> JoinHandle<u32> {
    let req = socket(ctx, zmq::REQ);
    req.connect(frontend).unwrap();
    std::thread::spawn(move || {
        let mut answered = 0;
        for i in 0..n {
            req.send(format!("task {i}").as_str(), 0).unwrap();
            if recv_within(&req, Duration::from_secs(5)).is_none() {
                break;
            }
            answered += 1;
        }
        answered
    })
}

/// A pipeline worker: PULL tasks (decimal ids) from `tasks`, PUSH each id
/// to `sink` when done. It dies (closes without reading the rest) after
/// `die_after` tasks; it takes `slow_first_ms` over its very first task.
pub fn pipeline_worker(
    ctx: &zmq::Context,
    tasks: &str,
    sink: &str,
    die_after: Option<u32>,
    slow_first_ms: u64,
) -> Background<u32> {
    let pull = socket(ctx, zmq::PULL);
    pull.connect(tasks).unwrap();
    let push = socket(ctx, zmq::PUSH);
    push.connect(sink).unwrap();
    Background::spawn(move |stop| {
        let mut done = 0;
        while !stop.load(Ordering::Relaxed) && die_after.is_none_or(|n| done < n) {
            let Some(task) = recv_within(&pull, Duration::from_millis(20)) else {
                continue;
            };
            if done == 0 {
                std::thread::sleep(Duration::from_millis(slow_first_ms));
            }
            push.send(task[0].clone(), 0).unwrap();
            done += 1;
        }
        done
    })
}

/// Watches a bound socket for peers finishing their handshake; start it
/// before the peers connect.
pub struct Peers {
    events: zmq::Socket,
}

/// Starts watching `sock`; `name` must be unique within the context.
pub fn watch_peers(ctx: &zmq::Context, sock: &zmq::Socket, name: &str) -> Peers {
    let addr = format!("inproc://peers-{name}");
    sock.monitor(&addr, zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32)
        .unwrap();
    let events = socket(ctx, zmq::PAIR);
    events.connect(&addr).unwrap();
    Peers { events }
}

impl Peers {
    /// Waits until `n` peers have finished their handshake.
    pub fn wait(&self, n: usize) {
        for _ in 0..n {
            recv_within(&self.events, Duration::from_secs(10)).expect("a peer's handshake");
        }
    }
}

/// A key-value service: a PUB socket publishing updates
/// `[key, value, seq]` (seq in decimal, from 1) about one a millisecond,
/// and a REP socket answering `SNAPSHOT` with `[seq, key, value, key,
/// value, ...]`: the whole state as of update `seq`. The first 20 updates
/// set keys `a0`..`a19`, never touched again; the rest cycle over
/// `b0`..`b4`.
pub struct KvServer {
    pub updates: String,
    pub snapshot: String,
    /// Updates published so far.
    pub published: Arc<AtomicU64>,
    pub thread: Background<BTreeMap<String, String>>,
}

/// Starts a [`KvServer`] that publishes `total` updates.
pub fn kv_server(ctx: &zmq::Context, total: u64) -> KvServer {
    let publisher = socket(ctx, zmq::PUB);
    let updates = bind(&publisher);
    let rep = socket(ctx, zmq::REP);
    let snapshot = bind(&rep);
    let published = Arc::new(AtomicU64::new(0));
    let p = published.clone();
    let thread = Background::spawn(move |stop| {
        let mut state = BTreeMap::new();
        let mut seq = 0;
        while !stop.load(Ordering::Relaxed) {
            if let Some(_request) = recv_within(&rep, Duration::from_millis(1)) {
                let mut reply = vec![seq.to_string().into_bytes()];
                for (k, v) in &state {
                    reply.push(String::as_bytes(k).to_vec());
                    reply.push(String::as_bytes(v).to_vec());
                }
                rep.send_multipart(reply, 0).unwrap();
            } else if seq < total {
                seq += 1;
                let key = if seq <= 20 {
                    format!("a{}", seq - 1)
                } else {
                    format!("b{}", seq % 5)
                };
                let value = format!("v{seq}");
                state.insert(key.clone(), value.clone());
                publisher
                    .send_multipart(
                        [
                            key.into_bytes(),
                            value.into_bytes(),
                            seq.to_string().into_bytes(),
                        ],
                        0,
                    )
                    .unwrap();
                p.store(seq, Ordering::SeqCst);
            }
        }
        state
    });
    KvServer {
        updates,
        snapshot,
        published,
        thread,
    }
}
