//! Scenario `loss`: where ZeroMQ loses messages, counted — and a small
//! acknowledge-and-resend layer that brings the count to zero.
//!
//! Three losses, each by design: a subscriber that connects after the
//! publisher started misses what came before its subscription arrived (the
//! slow joiner); a subscriber that stops reading loses what does not fit in
//! the publisher's queue (SNDHWM), its own queue (RCVHWM) and the kernel's
//! socket buffers in between; a PULL worker that dies takes with it the
//! tasks already dealt to it. ZeroMQ has no acknowledgements: the layer in
//! [`crate::reliable`] adds them.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::zsock::{Handshakes, bind_tcp, blocking, pause, port, recv_within, socket};
use crate::{Lab, reliable};

/// The scenario, as `cargo run -p lab-zeromq -- loss` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "loss",
    "where messages are lost: slow joiner, high-water marks, a dead worker; then acks",
    "every loss is silent, no error anywhere; with acks, none is lost",
);

/// The slow joiner, counted.
#[derive(Debug, Clone, Default)]
pub struct SlowJoiner {
    pub sent: u32,
    /// Received when publishing right after `connect` returned.
    pub received_at_once: u32,
    /// Received when publishing only after a probe got through.
    pub received_after_probe: u32,
}

/// Drains `sub` until it has been quiet for `quiet`; counts messages that
/// start with `data`.
fn drain(sub: &zmq::Socket, quiet: Duration, data: &[u8]) -> anyhow::Result<u32> {
    let mut n = 0;
    while let Some(m) = recv_within(sub, quiet)? {
        if m[0].starts_with(data) {
            n += 1;
        }
    }
    Ok(n)
}

/// Publishes until `sub` receives a probe: its subscription has arrived.
pub fn until_joined(publisher: &zmq::Socket, sub: &zmq::Socket) -> anyhow::Result<()> {
    for _ in 0..500 {
        publisher.send("probe", 0)?;
        if recv_within(sub, Duration::from_millis(10))?.is_some() {
            return Ok(());
        }
    }
    anyhow::bail!("the subscriber never received a probe in 5 s")
}

// ANCHOR: slow_joiner
/// Publishes `n` messages right after a subscriber connected, then `n`
/// more after making sure its subscription arrived, and counts both. The
/// high-water marks are lifted (0 = no limit) so that joining late is the
/// only way to lose a message here.
pub fn slow_joiner(ctx: &zmq::Context, n: u32) -> anyhow::Result<SlowJoiner> {
    let publisher = socket(ctx, zmq::PUB)?;
    publisher.set_sndhwm(0)?;
    let endpoint = bind_tcp(&publisher)?;
    let sub = socket(ctx, zmq::SUB)?;
    sub.set_rcvhwm(0)?;
    sub.set_subscribe(b"")?;
    // ANCHOR: join_then_send
    sub.connect(&endpoint)?; // returns at once; the handshake happens later
    for i in 0..n {
        publisher.send(format!("first {i}").as_str(), 0)?;
    }
    until_joined(&publisher, &sub)?;
    for i in 0..n {
        publisher.send(format!("second {i}").as_str(), 0)?;
    }
    // ANCHOR_END: join_then_send
    let mut out = SlowJoiner {
        sent: n,
        ..SlowJoiner::default()
    };
    while let Some(m) = recv_within(&sub, Duration::from_millis(300))? {
        if m[0].starts_with(b"first") {
            out.received_at_once += 1;
        } else if m[0].starts_with(b"second") {
            out.received_after_probe += 1;
        }
    }
    Ok(out)
}
// ANCHOR_END: slow_joiner

/// A subscriber that stopped reading, counted.
#[derive(Debug, Clone, Default)]
pub struct Overflow {
    /// Whether the publisher paused 1 ms every 50 messages.
    pub paced: bool,
    pub sent: u32,
    pub received: u32,
    pub sndhwm: i32,
    pub rcvhwm: i32,
    pub message_bytes: usize,
}

impl Overflow {
    /// Bytes that got through beyond both high-water marks: they waited in
    /// the kernel's socket buffers (0 if none did).
    pub fn kernel_bytes(&self) -> usize {
        let queued = (self.sndhwm + self.rcvhwm) as usize;
        (self.received as usize).saturating_sub(queued) * self.message_bytes
    }
}

// ANCHOR: overflow
/// A publisher with SNDHWM `hwm` sends `sent` messages of `size` bytes to a
/// subscriber with RCVHWM `hwm` that reads nothing until the publisher is
/// done; then the subscriber reads what reached it. `paced` lets libzmq's
/// I/O thread keep up with the sender; without it, the sender outruns it.
pub fn overflow(
    ctx: &zmq::Context,
    sent: u32,
    hwm: i32,
    size: usize,
    paced: bool,
) -> anyhow::Result<Overflow> {
    // ANCHOR: hwm_sockets
    let publisher = socket(ctx, zmq::PUB)?;
    publisher.set_sndhwm(hwm)?;
    let endpoint = bind_tcp(&publisher)?;
    let sub = socket(ctx, zmq::SUB)?;
    sub.set_rcvhwm(hwm)?;
    sub.set_subscribe(b"")?;
    sub.connect(&endpoint)?;
    // ANCHOR_END: hwm_sockets
    until_joined(&publisher, &sub)?;
    drain(&sub, Duration::from_millis(50), b"probe")?;

    let body = vec![b'x'; size];
    for i in 0..sent {
        publisher.send(&body, 0)?; // never blocks: past the HWM, PUB drops
        if paced && i % 50 == 49 {
            pause(1); // give libzmq's I/O thread a chance to move them on
        }
    }
    pause(300); // let the I/O threads move what they can
    let received = drain(&sub, Duration::from_millis(300), b"x")?;
    Ok(Overflow {
        paced,
        sent,
        received,
        sndhwm: hwm,
        rcvhwm: hwm,
        message_bytes: size,
    })
}
// ANCHOR_END: overflow

/// A PULL worker for the loss experiments: it reads tasks (`"<id>"`) and
/// pushes each id to the sink. With `die_after`, it closes its socket after
/// that many tasks without reading the rest — what a crashed process leaves
/// behind. Stops when `stop` is set. Returns the ids it did.
pub fn worker(
    ctx: &zmq::Context,
    tasks_at: &str,
    sink_at: &str,
    die_after: Option<u32>,
    stop: &AtomicBool,
) -> anyhow::Result<Vec<u32>> {
    let pull = socket(ctx, zmq::PULL)?;
    pull.connect(tasks_at)?;
    let push = socket(ctx, zmq::PUSH)?;
    push.connect(sink_at)?;
    let mut done = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        if die_after.is_some_and(|n| done.len() as u32 >= n) {
            break; // linger 0: the tasks waiting in its queue die with it
        }
        let Some(task) = recv_within(&pull, Duration::from_millis(20))? else {
            continue;
        };
        let id: u32 = String::from_utf8_lossy(&task[0]).parse()?;
        push.send(id.to_string().as_str(), 0)?;
        done.push(id);
    }
    Ok(done)
}

/// Starts two workers on `tasks_at`/`sink_at`, the second dying after
/// `die_after` tasks; returns their threads. The caller waits for their
/// handshakes with `connected`.
pub type Worker = std::thread::JoinHandle<anyhow::Result<Vec<u32>>>;

/// Spawns `worker`s: one healthy, one that dies after `die_after` tasks.
pub fn two_workers(
    ctx: &zmq::Context,
    tasks_at: &str,
    sink_at: &str,
    die_after: u32,
    stop: &Arc<AtomicBool>,
) -> Vec<Worker> {
    [None, Some(die_after)]
        .into_iter()
        .map(|die| {
            let (ctx, t, s, stop) = (
                ctx.clone(),
                tasks_at.to_string(),
                sink_at.to_string(),
                stop.clone(),
            );
            std::thread::spawn(move || worker(&ctx, &t, &s, die, &stop))
        })
        .collect()
}

/// A PULL worker that died with tasks in flight, counted.
#[derive(Debug, Clone, Default)]
pub struct DeadWorker {
    pub sent: u32,
    pub collected: u32,
    /// Tasks the sink never saw.
    pub lost: BTreeSet<u32>,
    /// Whether every lost task had been dealt to the worker that died.
    pub lost_were_dealt_to_the_dead: bool,
}

// ANCHOR: dead_worker
/// Deals `tasks` tasks to two workers; one dies after `die_after` tasks.
pub fn dead_worker(ctx: &zmq::Context, tasks: u32, die_after: u32) -> anyhow::Result<DeadWorker> {
    let ventilator = socket(ctx, zmq::PUSH)?;
    let tasks_at = bind_tcp(&ventilator)?;
    let sink = socket(ctx, zmq::PULL)?;
    let sink_at = bind_tcp(&sink)?;
    let connected = Handshakes::watch(ctx, &ventilator, &format!("dead{}", port(&tasks_at)?))?;
    let stop = Arc::new(AtomicBool::new(false));
    let workers = two_workers(ctx, &tasks_at, &sink_at, die_after, &stop);
    connected.wait(2)?;
    for id in 0..tasks {
        ventilator.send(id.to_string().as_str(), 0)?;
    }
    let mut seen = BTreeSet::new();
    while let Some(m) = recv_within(&sink, Duration::from_millis(500))? {
        seen.insert(String::from_utf8_lossy(&m[0]).parse::<u32>()?);
    }
    stop.store(true, Ordering::Relaxed);
    let mut done = Vec::new();
    for w in workers {
        done.push(
            w.join()
                .map_err(|_| anyhow::anyhow!("a worker panicked"))??,
        );
    }
    let lost: BTreeSet<u32> = (0..tasks).filter(|id| !seen.contains(id)).collect();
    // Round robin: the dead worker was dealt every other task.
    let dead_parity = done[1].first().map(|id| id % 2);
    Ok(DeadWorker {
        sent: tasks,
        collected: seen.len() as u32,
        lost_were_dealt_to_the_dead: lost.iter().all(|id| Some(id % 2) == dead_parity),
        lost,
    })
}
// ANCHOR_END: dead_worker

/// Runs the scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let ctx = lab.ctx().clone();
    let (joiner, overflows, dead, acked) = blocking(move || {
        let joiner = slow_joiner(&ctx, 500)?;
        let overflows = vec![
            overflow(&ctx, 20_000, 100, 1024, false)?,
            overflow(&ctx, 20_000, 100, 1024, true)?,
        ];
        let dead: Vec<DeadWorker> = (0..5)
            .map(|_| dead_worker(&ctx, 100, 5))
            .collect::<Result<_, _>>()?;
        let acked: Vec<reliable::Outcome> = (0..5)
            .map(|_| reliable::deliver(&ctx, 100, 5, Duration::from_millis(200)))
            .collect::<Result<_, _>>()?;
        Ok((joiner, overflows, dead, acked))
    })
    .await?;

    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new("The slow joiner", &["published", "when", "received"]);
    t.row([
        joiner.sent.to_string(),
        "right after connect()".into(),
        joiner.received_at_once.to_string(),
    ]);
    t.row([
        joiner.sent.to_string(),
        "after a probe got through".into(),
        joiner.received_after_probe.to_string(),
    ]);
    report.table(t);

    let mut t = Table::new(
        "A subscriber that reads nothing until the end (1 KiB messages)",
        &[
            "publisher",
            "SNDHWM",
            "RCVHWM",
            "published",
            "received",
            "lost",
            "in kernel",
        ],
    );
    for o in &overflows {
        t.row([
            if o.paced { "paced" } else { "burst" }.to_string(),
            o.sndhwm.to_string(),
            o.rcvhwm.to_string(),
            o.sent.to_string(),
            o.received.to_string(),
            (o.sent - o.received).to_string(),
            format!("{} KiB", o.kernel_bytes() / 1024),
        ]);
    }
    t.note("in kernel = what got through beyond both queues: it sat in socket buffers");
    t.note("a burst outruns libzmq's I/O thread: the queue fills before it is drained");
    report.table(t);

    let mut t = Table::new(
        "100 tasks, two PULL workers, one dies after 5 (5 runs)",
        &["", "sent", "done", "lost"],
    );
    let sum = |f: &dyn Fn(&DeadWorker) -> u32| dead.iter().map(f).sum::<u32>();
    t.row([
        "plain PUSH/PULL".to_string(),
        sum(&|d| d.sent).to_string(),
        sum(&|d| d.collected).to_string(),
        sum(&|d| d.lost.len() as u32).to_string(),
    ]);
    let asum = |f: &dyn Fn(&reliable::Outcome) -> u32| acked.iter().map(f).sum::<u32>();
    t.row([
        "with acks and resend".to_string(),
        asum(&|a| a.tasks).to_string(),
        asum(&|a| a.completed).to_string(),
        asum(&|a| a.tasks - a.completed).to_string(),
    ]);
    t.note(format!(
        "the ack layer resent {} tasks; {} results came twice and were ignored",
        asum(&|a| a.resent),
        asum(&|a| a.duplicates)
    ));
    report.table(t);
    Ok(report)
}
