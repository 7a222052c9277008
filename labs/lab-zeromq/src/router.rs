//! Scenario `router`: DEALER/ROUTER — an asynchronous server that answers
//! many clients by their identity, and a load-balancing broker between
//! clients and workers.
//!
//! A ROUTER socket prefixes every message it receives with the identity of
//! the connection it came from, and routes every message it sends by the
//! identity in its first frame. That one rule is enough to build a server
//! that takes many requests at once, and a broker that hands each task to a
//! worker that said it is free ("least recently used" routing).

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::Lab;
use crate::zsock::{Handshakes, bind_tcp, blocking, pause, recv_within, socket};

/// The scenario, as `cargo run -p lab-zeromq -- router` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "router",
    "DEALER/ROUTER: an async server by identity, and a load-balancing broker",
    "each client gets only its own replies; the broker spares the slow worker",
);

/// What the asynchronous server saw and what its clients got back.
#[derive(Debug, Clone, Default)]
pub struct AsyncServer {
    /// The frames of the first message the ROUTER received, as text.
    pub first_frames: Vec<String>,
    /// For each client: (requests sent, replies received, replies that
    /// were meant for another client).
    pub clients: BTreeMap<String, (u32, u32, u32)>,
}

// ANCHOR: async_server
/// Three DEALER clients with chosen identities each send `per_client`
/// requests without waiting; one ROUTER answers each by its identity.
pub fn async_server(ctx: &zmq::Context, per_client: u32) -> anyhow::Result<AsyncServer> {
    let router = socket(ctx, zmq::ROUTER)?;
    let endpoint = bind_tcp(&router)?;
    let names = ["client-a", "client-b", "client-c"];
    let mut dealers = Vec::new();
    for name in names {
        // ANCHOR: dealer_identity
        let d = socket(ctx, zmq::DEALER)?;
        d.set_identity(name.as_bytes())?;
        d.connect(&endpoint)?;
        for i in 0..per_client {
            d.send(format!("{name} #{i}").as_str(), 0)?; // no waiting
        }
        // ANCHOR_END: dealer_identity
        dealers.push(d);
    }
    let mut out = AsyncServer::default();
    for _ in 0..per_client * names.len() as u32 {
        // ANCHOR: router_recv
        let msg = router.recv_multipart(0)?; // [identity, body]
        // ANCHOR_END: router_recv
        if out.first_frames.is_empty() {
            out.first_frames = msg
                .iter()
                .map(|f| String::from_utf8_lossy(f).into())
                .collect();
        }
        // ANCHOR: router_send
        router.send_multipart(&msg, 0)?; // the identity routes it back
        // ANCHOR_END: router_send
    }
    for (name, d) in names.iter().zip(&dealers) {
        let (mut got, mut wrong) = (0, 0);
        while let Some(reply) = recv_within(d, Duration::from_secs(5))? {
            got += 1;
            if !reply[0].starts_with(name.as_bytes()) {
                wrong += 1;
            }
            if got == per_client {
                break;
            }
        }
        out.clients
            .insert(name.to_string(), (per_client, got, wrong));
    }
    Ok(out)
}
// ANCHOR_END: async_server

/// How one worker behind the broker fared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerShare {
    pub name: String,
    /// Milliseconds the worker spends on each task.
    pub cost_ms: u64,
    /// Tasks it did.
    pub tasks: u32,
    /// The most tasks it ever held at once (1 if the broker is fair).
    pub most_at_once: u32,
}

/// The outcome of sending tasks through a router.
#[derive(Debug, Clone, Default)]
pub struct Balance {
    pub tasks: u32,
    pub answered: u32,
    pub workers: Vec<WorkerShare>,
}

/// A worker: a REQ socket that says READY, then answers each task after
/// `cost_ms`. Returns how many tasks it did and the most it held at once.
fn worker(
    ctx: zmq::Context,
    backend: String,
    name: String,
    cost_ms: u64,
) -> anyhow::Result<(u32, u32)> {
    let req = socket(&ctx, zmq::REQ)?;
    req.set_identity(name.as_bytes())?;
    req.connect(&backend)?;
    req.send("READY", 0)?;
    let mut done = 0;
    loop {
        // [client identity, "", task] — or "STOP" from the broker.
        let msg = req.recv_multipart(0)?;
        if msg.len() == 1 {
            // REQ holds one task at a time by construction: at most 1.
            return Ok((done, 1));
        }
        pause(cost_ms);
        done += 1;
        req.send_multipart(msg, 0)?;
    }
}

// ANCHOR: broker
/// The load-balancing broker: clients talk to `frontend`, workers to
/// `backend` (both ROUTER). A worker's message means "I am free" (its first
/// is READY, later ones carry a reply); a client's request goes to the
/// worker that has been free longest, and the broker only reads clients
/// while some worker is free.
fn broker(
    frontend: &zmq::Socket,
    backend: &zmq::Socket,
    tasks: u32,
    workers: usize,
) -> anyhow::Result<()> {
    let mut free: VecDeque<Vec<u8>> = VecDeque::new();
    let mut replied = 0;
    while replied < tasks {
        let mut items = [
            backend.as_poll_item(zmq::POLLIN),
            frontend.as_poll_item(zmq::POLLIN),
        ];
        // From a worker: [worker id, "", "READY"] or [worker id, "", client id, "", reply].
        // ANCHOR: lru_loop
        let watched = if free.is_empty() { 1 } else { 2 };
        zmq::poll(&mut items[..watched], 20_000)?;
        if items[0].is_readable() {
            let mut msg = backend.recv_multipart(0)?;
            free.push_back(msg.remove(0));
            if msg.len() == 4 {
                frontend.send_multipart(&msg[1..], 0)?; // [client id, "", reply]
                replied += 1;
            }
        }
        if watched == 2 && items[1].is_readable() {
            let request = frontend.recv_multipart(0)?; // [client id, "", task]
            let worker = free.pop_front().expect("only read while a worker is free");
            backend.send_multipart([vec![worker, Vec::new()], request].concat(), 0)?;
        }
        // ANCHOR_END: lru_loop
    }
    // Done: stop every worker, including any whose READY comes late.
    let mut stopped = 0;
    while stopped < workers {
        match free.pop_front() {
            Some(worker) => {
                backend.send_multipart([worker, Vec::new(), b"STOP".to_vec()], 0)?;
                stopped += 1;
            }
            None => match recv_within(backend, Duration::from_secs(20))? {
                Some(mut msg) => free.push_back(msg.remove(0)),
                None => anyhow::bail!("a worker never said READY"),
            },
        }
    }
    Ok(())
}
// ANCHOR_END: broker

/// Sends `tasks` requests from `clients` REQ clients through the broker to
/// workers costing `costs` ms each, and counts who did what.
pub fn load_balanced(
    ctx: &zmq::Context,
    tasks: u32,
    clients: u32,
    costs: &[u64],
) -> anyhow::Result<Balance> {
    let frontend = socket(ctx, zmq::ROUTER)?;
    let front = bind_tcp(&frontend)?;
    let backend = socket(ctx, zmq::ROUTER)?;
    let back = bind_tcp(&backend)?;
    let workers: Vec<_> = costs
        .iter()
        .enumerate()
        .map(|(i, &cost)| {
            let (ctx, back, name) = (ctx.clone(), back.clone(), format!("worker-{}", i + 1));
            (
                name.clone(),
                cost,
                std::thread::spawn(move || worker(ctx, back, name, cost)),
            )
        })
        .collect();
    let per_client = tasks / clients;
    let client_threads: Vec<_> = (0..clients)
        .map(|c| {
            let (ctx, front) = (ctx.clone(), front.clone());
            std::thread::spawn(move || -> anyhow::Result<u32> {
                let req = socket(&ctx, zmq::REQ)?;
                req.connect(&front)?;
                let mut answered = 0;
                for i in 0..per_client {
                    req.send(format!("task {c}.{i}").as_str(), 0)?;
                    if recv_within(&req, Duration::from_secs(20))?.is_some() {
                        answered += 1;
                    }
                }
                Ok(answered)
            })
        })
        .collect();
    broker(&frontend, &backend, per_client * clients, costs.len())?;
    let mut out = Balance {
        tasks: per_client * clients,
        ..Balance::default()
    };
    for t in client_threads {
        out.answered += t
            .join()
            .map_err(|_| anyhow::anyhow!("a client panicked"))??;
    }
    for (name, cost_ms, t) in workers {
        let (tasks, most_at_once) = t
            .join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
        out.workers.push(WorkerShare {
            name,
            cost_ms,
            tasks,
            most_at_once,
        });
    }
    Ok(out)
}

/// The same tasks dealt blindly: a DEALER hands them out round-robin to REP
/// workers, whatever each one is doing. Counts who did what.
pub fn round_robin(ctx: &zmq::Context, tasks: u32, costs: &[u64]) -> anyhow::Result<Balance> {
    let dealer = socket(ctx, zmq::DEALER)?;
    let endpoint = bind_tcp(&dealer)?;
    let ready = Handshakes::watch(
        ctx,
        &dealer,
        &format!("rr-{}", endpoint.replace(['/', ':'], "")),
    )?;
    let workers: Vec<_> = costs
        .iter()
        .enumerate()
        .map(|(i, &cost)| {
            let (ctx, endpoint) = (ctx.clone(), endpoint.clone());
            let handle = std::thread::spawn(move || -> anyhow::Result<u32> {
                let rep = socket(&ctx, zmq::REP)?;
                rep.connect(&endpoint)?;
                let mut done = 0;
                loop {
                    let task = rep.recv_bytes(0)?;
                    if task == b"STOP" {
                        return Ok(done);
                    }
                    pause(cost);
                    done += 1;
                    rep.send(task, 0)?;
                }
            });
            (format!("worker-{}", i + 1), cost, handle)
        })
        .collect();
    ready.wait(costs.len())?; // every worker connected: the deal is fair
    for i in 0..tasks {
        dealer.send_multipart([Vec::new(), format!("task {i}").into_bytes()], 0)?;
    }
    let mut answered = 0;
    while answered < tasks && recv_within(&dealer, Duration::from_secs(20))?.is_some() {
        answered += 1;
    }
    for _ in costs {
        dealer.send_multipart([Vec::new(), b"STOP".to_vec()], 0)?;
    }
    let mut out = Balance {
        tasks,
        answered,
        workers: Vec::new(),
    };
    for (name, cost_ms, t) in workers {
        let tasks = t
            .join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
        out.workers.push(WorkerShare {
            name,
            cost_ms,
            tasks,
            most_at_once: 0,
        });
    }
    Ok(out)
}

/// Runs the scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let ctx = lab.ctx().clone();
    let (server, lb, rr) = blocking(move || {
        let costs = [1, 1, 30];
        Ok((
            async_server(&ctx, 5)?,
            load_balanced(&ctx, 60, 6, &costs)?,
            round_robin(&ctx, 60, &costs)?,
        ))
    })
    .await?;

    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        "One ROUTER, three DEALER clients",
        &["client", "sent", "replies", "not theirs"],
    );
    for (name, (sent, got, wrong)) in &server.clients {
        t.row([
            name.clone(),
            sent.to_string(),
            got.to_string(),
            wrong.to_string(),
        ]);
    }
    t.note(format!(
        "the ROUTER's first message arrived as frames {:?}",
        server.first_frames
    ));
    report.table(t);

    let mut t = Table::new(
        "60 tasks, workers costing 1, 1 and 30 ms",
        &["worker", "ms/task", "round-robin DEALER", "LRU broker"],
    );
    for (r, l) in rr.workers.iter().zip(&lb.workers) {
        t.row([
            r.name.clone(),
            r.cost_ms.to_string(),
            r.tasks.to_string(),
            l.tasks.to_string(),
        ]);
    }
    t.note(format!(
        "answered: round robin {}/{}, broker {}/{}",
        rr.answered, rr.tasks, lb.answered, lb.tasks
    ));
    t.note("the broker hands a task only to a worker that said it is free");
    report.table(t);
    Ok(report)
}
