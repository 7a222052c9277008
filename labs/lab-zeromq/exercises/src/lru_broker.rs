//! Exercise `zeromq-lru-broker`: a broker that gives work only to workers
//! that said they are free.
//!
//! Clients (REQ) talk to `frontend`, workers (REQ) to `backend`; both are
//! ROUTER sockets. Every message from a worker means "I am free": its first
//! is `[worker, "", "READY"]`, later ones carry a reply `[worker, "",
//! client, "", reply]`. A client's request `[client, "", task]` goes to the
//! worker that has been free longest, as `[worker, "", client, "", task]`.

// ANCHOR: broker
/// Runs the broker until `tasks` replies have been passed back to clients.
pub fn broker(frontend: &zmq::Socket, backend: &zmq::Socket, tasks: u32) -> anyhow::Result<()> {
    // TODO: keep a queue of free workers' identities. Poll the backend
    // always, and the frontend only while a worker is free. A worker's
    // message puts it back on the queue (and, if it carries a reply, that
    // reply goes to the client). A client's request goes to the worker at
    // the front of the queue. Return after `tasks` replies.
    let _ = (frontend, backend, tasks);
    todo!("the load-balancing broker")
}
// ANCHOR_END: broker
