//! An acknowledge-and-resend layer on PUSH/PULL: no task is lost when a
//! worker dies.
//!
//! ZeroMQ's send returns once the message is queued; nothing says whether a
//! worker ever did the task. Here the sink's result *is* the
//! acknowledgement: the ventilator (in the same process as the sink, as in
//! the ZeroMQ Guide's pipeline) remembers every task it sent, crosses it off
//! when its result arrives, and sends it again if the result is late. A
//! task may then be done twice, so results are counted once per task id:
//! at-least-once delivery plus deduplication. A real system would keep the
//! pending list somewhere that survives the ventilator's own crash.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::loss::two_workers;
use crate::zsock::{Handshakes, bind_tcp, port, recv_within, socket};

/// What the layer achieved in one run.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub tasks: u32,
    /// Tasks whose result arrived (each counted once).
    pub completed: u32,
    /// Tasks sent again because their result was late.
    pub resent: u32,
    /// Results for a task already completed (done twice, counted once).
    pub duplicates: u32,
}

// ANCHOR: deliver
/// Deals `tasks` tasks to two workers, one of which dies after `die_after`,
/// resending any task whose result has not come back within `timeout`.
pub fn deliver(
    ctx: &zmq::Context,
    tasks: u32,
    die_after: u32,
    timeout: Duration,
) -> anyhow::Result<Outcome> {
    let ventilator = socket(ctx, zmq::PUSH)?;
    let tasks_at = bind_tcp(&ventilator)?;
    let sink = socket(ctx, zmq::PULL)?;
    let sink_at = bind_tcp(&sink)?;
    let connected = Handshakes::watch(ctx, &ventilator, &format!("acks{}", port(&tasks_at)?))?;
    let stop = Arc::new(AtomicBool::new(false));
    let workers = two_workers(ctx, &tasks_at, &sink_at, die_after, &stop);
    connected.wait(2)?;

    let mut out = Outcome {
        tasks,
        ..Outcome::default()
    };
    let mut pending: BTreeMap<u32, Instant> = BTreeMap::new();
    let mut done: BTreeSet<u32> = BTreeSet::new();
    for id in 0..tasks {
        ventilator.send(id.to_string().as_str(), 0)?;
        pending.insert(id, Instant::now());
    }
    let give_up = Instant::now() + Duration::from_secs(30);
    while !pending.is_empty() && Instant::now() < give_up {
        // ANCHOR: results_and_resends
        if let Some(m) = recv_within(&sink, Duration::from_millis(20))? {
            let id: u32 = String::from_utf8_lossy(&m[0]).parse()?;
            if done.insert(id) {
                pending.remove(&id);
            } else {
                out.duplicates += 1;
            }
        }
        for (id, sent_at) in pending.iter_mut() {
            if sent_at.elapsed() > timeout {
                ventilator.send(id.to_string().as_str(), 0)?;
                *sent_at = Instant::now();
                out.resent += 1;
            }
        }
        // ANCHOR_END: results_and_resends
    }
    // Late results of resent tasks may still come: count them as duplicates.
    while let Some(m) = recv_within(&sink, Duration::from_millis(100))? {
        let id: u32 = String::from_utf8_lossy(&m[0]).parse()?;
        if !done.insert(id) {
            out.duplicates += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
    }
    out.completed = done.len() as u32;
    Ok(out)
}
// ANCHOR_END: deliver
