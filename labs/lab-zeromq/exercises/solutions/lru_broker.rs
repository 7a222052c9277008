//! Exercise `zeromq-lru-broker`: a broker that gives work only to workers
//! that said they are free.
//!
//! Clients (REQ) talk to `frontend`, workers (REQ) to `backend`; both are
//! ROUTER sockets. Every message from a worker means "I am free": its first
//! is `[worker, "", "READY"]`, later ones carry a reply `[worker, "",
//! client, "", reply]`. A client's request `[client, "", task]` goes to the
//! worker that has been free longest, as `[worker, "", client, "", task]`.

use std::collections::VecDeque;

// ANCHOR: broker
/// Runs the broker until `tasks` replies have been passed back to clients.
pub fn broker(frontend: &zmq::Socket, backend: &zmq::Socket, tasks: u32) -> anyhow::Result<()> {
    let mut free: VecDeque<Vec<u8>> = VecDeque::new();
    let mut replied = 0;
    while replied < tasks {
        let mut items = [
            backend.as_poll_item(zmq::POLLIN),
            frontend.as_poll_item(zmq::POLLIN),
        ];
        // Read clients only while a worker is free.
        let watched = if free.is_empty() { 1 } else { 2 };
        zmq::poll(&mut items[..watched], 10_000)?;
        if items[0].is_readable() {
            let mut msg = backend.recv_multipart(0)?;
            free.push_back(msg.remove(0));
            if msg.len() == 4 {
                frontend.send_multipart(&msg[1..], 0)?; // [client, "", reply]
                replied += 1;
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
// ANCHOR_END: broker
