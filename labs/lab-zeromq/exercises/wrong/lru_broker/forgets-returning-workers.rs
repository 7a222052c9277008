//! Wrong: only READY puts a worker on the free list; a worker that replied is never used again.

use std::collections::VecDeque;

pub fn broker(frontend: &zmq::Socket, backend: &zmq::Socket, tasks: u32) -> anyhow::Result<()> {
    let mut free: VecDeque<Vec<u8>> = VecDeque::new();
    let mut replied = 0;
    while replied < tasks {
        let mut items = [
            backend.as_poll_item(zmq::POLLIN),
            frontend.as_poll_item(zmq::POLLIN),
        ];
        let watched = if free.is_empty() { 1 } else { 2 };
        if zmq::poll(&mut items[..watched], 3_000)? == 0 {
            anyhow::bail!("no worker is free and none is coming back");
        }
        if items[0].is_readable() {
            let mut msg = backend.recv_multipart(0)?;
            let worker = msg.remove(0);
            if msg.len() == 4 {
                frontend.send_multipart(&msg[1..], 0)?;
                replied += 1;
            } else {
                free.push_back(worker);
            }
        }
        if watched == 2 && items[1].is_readable() {
            let request = frontend.recv_multipart(0)?;
            let worker = free.pop_front().expect("read only while one is free");
            let mut routed = vec![worker, Vec::new()];
            routed.extend(request);
            backend.send_multipart(routed, 0)?;
        }
    }
    Ok(())
}
