//! Exercise `zeromq-lazy-pirate`: a REQ client that survives lost replies.
//!
//! A REQ socket that sent a request and got no reply can neither receive
//! (nothing comes) nor send (it is still waiting for the reply). Write the
//! Lazy Pirate client: wait at most `timeout` for the reply; on silence,
//! give up on that socket and try again, at most `retries` more times.

use std::time::Duration;

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
    // TODO: create a REQ socket (linger 0), connect, send `body`, and poll
    // it for `timeout`. On a reply, return it. On silence, what can you do
    // with a REQ socket that is waiting for a reply? Try again, at most
    // `retries` more times, then return an error.
    let _ = (ctx, endpoint, body, timeout, retries);
    todo!("the Lazy Pirate client")
}
// ANCHOR_END: request
