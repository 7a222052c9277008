//! Scenario `batching`: the same application code makes N independent
//! lookups; one handler sends each as its own request, another — a
//! DataLoader-style batcher — gathers what was asked in the same turn and
//! sends one request. labkit's proxy counts the requests on the wire and
//! adds latency, so the round trips show in the time too.
//!
//! The application code only *says* it needs a customer's name; the
//! handler decides how the need is met. That split is the idea behind
//! algebraic effects and handlers, and behind Haxl at Facebook; the
//! chapter's section on effects tells the story.
//!
//! The lookup service speaks the lab's own line protocol
//! (`GET 3 7 9\n` → `3=… 7=… 9=…\n`); a real one would be GraphQL, gRPC or
//! SQL (`WHERE id = ANY($1)`), and a real batcher also caches and caps the
//! batch size.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::join_all;
use labkit::cli::Scenario;
use labkit::measure::human_duration;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::Lab;

/// The scenario, as `cargo run -p lab-frontier -- batching` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "batching",
    "N independent lookups, sent one by one and then coalesced into one request",
    "the same application code: N requests and N round trips, or one of each",
);

/// How long the batcher waits, after the first lookup, for others to
/// queue. Callers that ask together queue within microseconds; a real
/// batcher tunes this against the delay it adds.
pub const WINDOW: Duration = Duration::from_millis(1);

/// Latency the proxy adds in each direction.
pub const ONE_WAY: Duration = Duration::from_millis(10);

/// Starts the lookup service on a free loopback port; it answers
/// `GET id id …` with `id=name id=name …`, one line each.
pub async fn spawn_directory() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    let answer: Vec<String> = line
                        .split_whitespace()
                        .skip(1)
                        .map(|id| format!("{id}={}", name_of(id)))
                        .collect();
                    let reply = format!("{}\n", answer.join(" "));
                    if write.write_all(reply.as_bytes()).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    Ok(addr)
}

/// The directory's answer for a customer id.
pub fn name_of(id: &str) -> String {
    format!("customer-{id}")
}

/// One connection to the directory: send a line, read a line.
struct Wire {
    read: tokio::io::Lines<BufReader<OwnedReadHalf>>,
    write: OwnedWriteHalf,
}

impl Wire {
    async fn connect(addr: SocketAddr) -> anyhow::Result<Wire> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (read, write) = stream.into_split();
        Ok(Wire {
            read: BufReader::new(read).lines(),
            write,
        })
    }

    /// One round trip: `GET ids…`, then the answer as `id → name`.
    async fn get(&mut self, ids: &[u64]) -> anyhow::Result<BTreeMap<u64, String>> {
        let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
        let request = format!("GET {}\n", ids.join(" "));
        self.write.write_all(request.as_bytes()).await?;
        let line = self
            .read
            .next_line()
            .await?
            .ok_or_else(|| anyhow::anyhow!("the directory hung up"))?;
        line.split_whitespace()
            .map(|pair| {
                let (id, name) = pair
                    .split_once('=')
                    .ok_or_else(|| anyhow::anyhow!("bad answer {pair:?}"))?;
                Ok((id.parse()?, name.to_owned()))
            })
            .collect()
    }
}

// ANCHOR: effect
/// The effect the application code performs: "I need this customer's
/// name". How it is met is the handler's business.
pub trait Lookup {
    fn name(&self, id: u64) -> impl Future<Output = anyhow::Result<String>>;
}

/// Application code: the names on a statement, each looked up on its own,
/// all at once. It is the same code under every handler.
pub async fn statement_names(lookup: &impl Lookup, ids: &[u64]) -> anyhow::Result<Vec<String>> {
    join_all(ids.iter().map(|&id| lookup.name(id)))
        .await
        .into_iter()
        .collect()
}
// ANCHOR_END: effect

/// The plain handler: every lookup is one request and one round trip (one
/// connection, so they queue behind each other).
pub struct OneByOne {
    wire: Mutex<Wire>,
}

impl OneByOne {
    pub async fn connect(addr: SocketAddr) -> anyhow::Result<OneByOne> {
        Ok(OneByOne {
            wire: Mutex::new(Wire::connect(addr).await?),
        })
    }
}

impl Lookup for OneByOne {
    async fn name(&self, id: u64) -> anyhow::Result<String> {
        let mut answer = self.wire.lock().await.get(&[id]).await?;
        answer
            .remove(&id)
            .ok_or_else(|| anyhow::anyhow!("no answer for {id}"))
    }
}

type Waiting = (u64, oneshot::Sender<anyhow::Result<String>>);

/// The batching handler: lookups are queued; a task takes everything
/// queued within [`WINDOW`] of the first and sends it as one request.
pub struct Batched {
    queue: mpsc::UnboundedSender<Waiting>,
}

impl Batched {
    pub async fn connect(addr: SocketAddr) -> anyhow::Result<Batched> {
        let wire = Wire::connect(addr).await?;
        let (queue, waiting) = mpsc::unbounded_channel();
        tokio::spawn(dispatch(wire, waiting));
        Ok(Batched { queue })
    }
}

impl Lookup for Batched {
    async fn name(&self, id: u64) -> anyhow::Result<String> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((id, reply))
            .map_err(|_| anyhow::anyhow!("the batcher stopped"))?;
        answer.await?
    }
}

// ANCHOR: dispatch
/// The batcher's loop: wait for one lookup, give the others a moment
/// ([`WINDOW`]) to queue theirs, then send the distinct ids in one request and hand
/// each caller its answer.
async fn dispatch(mut wire: Wire, mut waiting: mpsc::UnboundedReceiver<Waiting>) {
    while let Some(first) = waiting.recv().await {
        tokio::time::sleep(WINDOW).await; // let the others queue
        let mut batch = vec![first];
        while let Ok(more) = waiting.try_recv() {
            batch.push(more);
        }
        let mut ids: Vec<u64> = batch.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        let answer = wire.get(&ids).await.map_err(Arc::new);
        for (id, reply) in batch {
            let name = match &answer {
                Ok(names) => names
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!("no answer for {id}")),
                Err(e) => Err(anyhow::anyhow!("batch failed: {e}")),
            };
            let _ = reply.send(name);
        }
    }
}
// ANCHOR_END: dispatch

/// What one handler cost on the wire.
#[derive(Debug, Clone)]
pub struct Cost {
    pub names: Vec<String>,
    /// `GET` lines the directory received.
    pub requests: usize,
    /// Ids named in those requests, all together.
    pub ids_sent: usize,
    pub bytes: u64,
    pub elapsed: Duration,
}

/// Which handler to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handler {
    OneByOne,
    Batched,
}

/// Look up `ids` with `handler` through a proxy that adds [`ONE_WAY`] each
/// way, and count what crossed it.
pub async fn cost(handler: Handler, ids: &[u64]) -> anyhow::Result<Cost> {
    let directory = spawn_directory().await?;
    let proxy = Proxy::start(directory).await?;
    for dir in Direction::BOTH {
        proxy.faults().set_delay(dir, ONE_WAY);
    }
    let started = Instant::now();
    let names = match handler {
        Handler::OneByOne => statement_names(&OneByOne::connect(proxy.addr()).await?, ids).await?,
        Handler::Batched => statement_names(&Batched::connect(proxy.addr()).await?, ids).await?,
    };
    let elapsed = started.elapsed();
    let sent: Vec<u8> = proxy
        .recording()
        .iter()
        .flat_map(|c| c.stream(Direction::ToServer))
        .collect();
    let text = String::from_utf8_lossy(&sent);
    Ok(Cost {
        names,
        requests: text.lines().count(),
        ids_sent: text.lines().map(|l| l.split_whitespace().count() - 1).sum(),
        bytes: proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient),
        elapsed,
    })
}

/// The ids on a statement: `n` lookups, some customers twice.
pub fn statement(n: u64) -> Vec<u64> {
    let distinct = (n * 3 / 4).max(1);
    (0..n).map(|i| 100 + i % distinct).collect()
}

/// Runs the scenario: both handlers, for growing statements.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        format!(
            "Looking up every customer on a statement ({} each way)",
            human_duration(ONE_WAY)
        ),
        &[
            "lookups", "handler", "requests", "ids sent", "bytes", "time",
        ],
    );
    for n in [1, 10, 50] {
        let ids = statement(n);
        for (name, handler) in [
            ("one by one", Handler::OneByOne),
            ("batched", Handler::Batched),
        ] {
            let c = cost(handler, &ids).await?;
            t.row([
                n.to_string(),
                name.to_string(),
                c.requests.to_string(),
                c.ids_sent.to_string(),
                c.bytes.to_string(),
                human_duration(c.elapsed),
            ]);
        }
    }
    t.note("the statement names some customers twice: the batcher asks for each once");
    report.table(t);
    Ok(report)
}
