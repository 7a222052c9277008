//! Exercise `zeromq-reliable-pipeline`: a ventilator that loses no task when
//! a worker dies.
//!
//! The ventilator PUSHes tasks (decimal ids) to workers; each worker PUSHes
//! the id of every task it finished to the sink, which this same code
//! reads. A result is the acknowledgement: resend any task whose result is
//! late, and count each task once even if it ends up done twice.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// What [`deliver`] achieved.
#[derive(Debug, Clone, Default)]
pub struct Delivered {
    /// Task ids whose result arrived, each once, in the order they arrived.
    pub completed: Vec<u32>,
    /// How many times a task was sent again.
    pub resent: u32,
}

// ANCHOR: deliver
/// Sends tasks `0..tasks` on `ventilator` and reads results on `sink` until
/// every task is done; a task with no result after `timeout` is sent again.
/// Gives up with an error after 20 s.
pub fn deliver(
    ventilator: &zmq::Socket,
    sink: &zmq::Socket,
    tasks: u32,
    timeout: Duration,
) -> anyhow::Result<Delivered> {
    let mut out = Delivered::default();
    let mut pending: BTreeMap<u32, Instant> = BTreeMap::new();
    let mut done = BTreeSet::new();
    for id in 0..tasks {
        ventilator.send(id.to_string().as_str(), 0)?;
        pending.insert(id, Instant::now());
    }
    let give_up = Instant::now() + Duration::from_secs(20);
    while !pending.is_empty() {
        anyhow::ensure!(
            Instant::now() < give_up,
            "{} tasks never done",
            pending.len()
        );
        if sink.poll(zmq::POLLIN, 10)? > 0 {
            let id: u32 = String::from_utf8_lossy(&sink.recv_bytes(0)?).parse()?;
            if done.insert(id) {
                pending.remove(&id);
                out.completed.push(id);
            }
        }
        for (id, sent_at) in pending.iter_mut() {
            if sent_at.elapsed() > timeout {
                ventilator.send(id.to_string().as_str(), 0)?;
                *sent_at = Instant::now();
                out.resent += 1;
            }
        }
    }
    Ok(out)
}
// ANCHOR_END: deliver
