//! Wrong: resends on the same REQ socket, which refuses a second send while it waits for a reply.

use std::time::Duration;

use anyhow::bail;

pub fn request(
    ctx: &zmq::Context,
    endpoint: &str,
    body: &[u8],
    timeout: Duration,
    retries: u32,
) -> anyhow::Result<Vec<u8>> {
    let req = ctx.socket(zmq::REQ)?;
    req.set_linger(0)?;
    req.connect(endpoint)?;
    for _try in 0..=retries {
        req.send(body, 0)?;
        if req.poll(zmq::POLLIN, timeout.as_millis() as i64)? > 0 {
            return Ok(req.recv_bytes(0)?);
        }
    }
    bail!("no reply from {endpoint}")
}
