//! Scenario `pipeline`: PUSH/PULL — a ventilator deals tasks to workers,
//! which push results to a sink.
//!
//! PUSH deals messages round-robin among the peers connected *when it
//! sends*, which is why the ventilator waits until every worker has
//! finished its handshake: the first worker to connect would otherwise take
//! the whole batch.

use std::collections::BTreeMap;
use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::Lab;
use crate::zsock::{Handshakes, bind_tcp, blocking, recv_within, socket};

/// The scenario, as `cargo run -p lab-zeromq -- pipeline` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "pipeline",
    "PUSH/PULL: ventilator → workers → sink",
    "round robin: each of the three workers does exactly a third",
);

/// Who did what in one run of the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// Tasks the ventilator sent.
    pub sent: u32,
    /// Results the sink collected.
    pub collected: u32,
    /// Results per worker name.
    pub per_worker: BTreeMap<String, u32>,
}

/// A worker: pull a task, push `"<name> <task>"` to the sink; stop on "STOP".
pub fn worker(ctx: &zmq::Context, tasks: &str, sink: &str, name: &str) -> anyhow::Result<u32> {
    let pull = socket(ctx, zmq::PULL)?;
    pull.connect(tasks)?;
    let push = socket(ctx, zmq::PUSH)?;
    push.connect(sink)?;
    let mut done = 0;
    loop {
        let task = pull.recv_bytes(0)?;
        if task == b"STOP" {
            return Ok(done);
        }
        push.send(
            format!("{name} {}", String::from_utf8_lossy(&task)).as_str(),
            0,
        )?;
        done += 1;
    }
}

// ANCHOR: ventilate
/// Starts `workers` workers, waits until all are connected, sends `tasks`
/// tasks and collects the results at the sink.
pub fn ventilate(ctx: &zmq::Context, workers: usize, tasks: u32) -> anyhow::Result<Run> {
    // ANCHOR: push_pull
    let ventilator = socket(ctx, zmq::PUSH)?;
    let tasks_at = bind_tcp(&ventilator)?;
    let sink = socket(ctx, zmq::PULL)?;
    let sink_at = bind_tcp(&sink)?;
    // ANCHOR_END: push_pull
    let connected = Handshakes::watch(
        ctx,
        &ventilator,
        &format!("vent{}", crate::zsock::port(&tasks_at)?),
    )?;
    let threads: Vec<_> = (1..=workers)
        .map(|i| {
            let (ctx, t, s) = (ctx.clone(), tasks_at.clone(), sink_at.clone());
            std::thread::spawn(move || worker(&ctx, &t, &s, &format!("worker-{i}")))
        })
        .collect();
    // ANCHOR: fan_out
    connected.wait(workers)?; // without this, the first worker gets them all
    for i in 0..tasks {
        ventilator.send(format!("task-{i}").as_str(), 0)?;
    }
    // ANCHOR_END: fan_out
    let mut run = Run {
        sent: tasks,
        ..Run::default()
    };
    while run.collected < tasks {
        let Some(result) = recv_within(&sink, Duration::from_secs(20))? else {
            break;
        };
        let text = String::from_utf8_lossy(&result[0]).into_owned();
        let name = text.split(' ').next().unwrap_or_default().to_string();
        *run.per_worker.entry(name).or_default() += 1;
        run.collected += 1;
    }
    for _ in 0..workers {
        ventilator.send("STOP", 0)?;
    }
    for t in threads {
        t.join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
    }
    Ok(run)
}
// ANCHOR_END: ventilate

/// Runs the scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let ctx = lab.ctx().clone();
    let run = blocking(move || ventilate(&ctx, 3, 300)).await?;
    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new("300 tasks, three workers", &["worker", "tasks done"]);
    for (name, n) in &run.per_worker {
        t.row([name.clone(), n.to_string()]);
    }
    t.note(format!(
        "sent {}, collected {} at the sink",
        run.sent, run.collected
    ));
    report.table(t);
    Ok(report)
}
