//! Wrong: resends late tasks but records every result, so a task done twice is counted twice.

use std::collections::BTreeMap;
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
    let mut out = Delivered::default();
    let mut pending: BTreeMap<u32, Instant> = BTreeMap::new();
    for id in 0..tasks {
        ventilator.send(id.to_string().as_str(), 0)?;
        pending.insert(id, Instant::now());
    }
    let give_up = Instant::now() + Duration::from_secs(20);
    while !pending.is_empty() || sink.poll(zmq::POLLIN, 300)? > 0 {
        anyhow::ensure!(
            Instant::now() < give_up,
            "{} tasks never done",
            pending.len()
        );
        if sink.poll(zmq::POLLIN, 10)? > 0 {
            let id: u32 = String::from_utf8_lossy(&sink.recv_bytes(0)?).parse()?;
            pending.remove(&id);
            out.completed.push(id);
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
