//! Wrong: waits for every result but never resends, so the dead worker's tasks never come back.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct Delivered {
    pub completed: Vec<u32>,
    pub resent: u32,
}

pub fn deliver(
    ventilator: &zmq::Socket,
    sink: &zmq::Socket,
    tasks: u32,
    timeout: Duration,
) -> anyhow::Result<Delivered> {
    let _ = timeout;
    let mut out = Delivered::default();
    let mut done = BTreeSet::new();
    for id in 0..tasks {
        ventilator.send(id.to_string().as_str(), 0)?;
    }
    let give_up = Instant::now() + Duration::from_secs(3);
    while done.len() < tasks as usize {
        anyhow::ensure!(
            Instant::now() < give_up,
            "{} tasks never done",
            tasks as usize - done.len()
        );
        if sink.poll(zmq::POLLIN, 10)? > 0 {
            let id: u32 = String::from_utf8_lossy(&sink.recv_bytes(0)?).parse()?;
            if done.insert(id) {
                out.completed.push(id);
            }
        }
    }
    Ok(out)
}
