//! Wrong: deals requests to workers in turn, whether or not they are free.

pub fn broker(frontend: &zmq::Socket, backend: &zmq::Socket, tasks: u32) -> anyhow::Result<()> {
    let mut workers: Vec<Vec<u8>> = Vec::new();
    let mut next = 0;
    let mut replied = 0;
    while replied < tasks {
        let mut items = [
            backend.as_poll_item(zmq::POLLIN),
            frontend.as_poll_item(zmq::POLLIN),
        ];
        let watched = if workers.is_empty() { 1 } else { 2 };
        zmq::poll(&mut items[..watched], 10_000)?;
        if items[0].is_readable() {
            let mut msg = backend.recv_multipart(0)?;
            let worker = msg.remove(0);
            if !workers.contains(&worker) {
                workers.push(worker);
            }
            if msg.len() == 4 {
                frontend.send_multipart(&msg[1..], 0)?;
                replied += 1;
            }
        }
        if watched == 2 && items[1].is_readable() {
            let request = frontend.recv_multipart(0)?;
            let mut routed = vec![workers[next % workers.len()].clone(), Vec::new()];
            next += 1;
            routed.extend(request);
            backend.send_multipart(routed, 0)?;
        }
    }
    Ok(())
}
