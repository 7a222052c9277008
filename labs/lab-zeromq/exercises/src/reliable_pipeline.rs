//! Exercise `zeromq-reliable-pipeline`: a ventilator that loses no task when
//! a worker dies.
//!
//! The ventilator PUSHes tasks (decimal ids) to workers; each worker PUSHes
//! the id of every task it finished to the sink, which this same code
//! reads. A result is the acknowledgement: resend any task whose result is
//! late, and count each task once even if it ends up done twice.

use std::time::Duration;

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
    // TODO: send every task, remembering when. Then loop: read a result
    // from the sink if one comes within a few milliseconds; resend every
    // task whose result is older than `timeout`. Stop when nothing is
    // pending. Remember that a resent task can come back twice.
    let _ = (ventilator, sink, tasks, timeout);
    todo!("the acknowledge-and-resend ventilator")
}
// ANCHOR_END: deliver
