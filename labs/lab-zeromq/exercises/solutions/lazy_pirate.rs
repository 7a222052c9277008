//! Exercise `zeromq-lazy-pirate`: a REQ client that survives lost replies.
//!
//! A REQ socket that sent a request and got no reply can neither receive
//! (nothing comes) nor send (it is still waiting for the reply). The Lazy
//! Pirate way out: wait at most `timeout`; on silence, close that socket,
//! open a new one, send the same request again — at most `retries` times.

use std::time::Duration;

use anyhow::bail;

// ANCHOR: request
/// Sends `body` to the server at `endpoint` and returns its reply, trying
/// `1 + retries` times in all, each time waiting at most `timeout`.
/// Fails (with an error, never a hang) when every try went unanswered.
pub fn request(
    ctx: &zmq::Context,
    endpoint: &str,
    body: &[u8],
    timeout: Duration,
    retries: u32,
) -> anyhow::Result<Vec<u8>> {
    for _try in 0..=retries {
        let req = ctx.socket(zmq::REQ)?;
        req.set_linger(0)?; // closing must not wait for the lost request
        req.connect(endpoint)?;
        req.send(body, 0)?;
        if req.poll(zmq::POLLIN, timeout.as_millis() as i64)? > 0 {
            return Ok(req.recv_bytes(0)?);
        }
        // `req` is dropped here: a stuck REQ socket cannot be reused.
    }
    bail!("no reply from {endpoint} after {} tries", retries + 1)
}
// ANCHOR_END: request
