//! Wrong: tries `retries` times in all instead of `1 + retries`.

use std::time::Duration;

use anyhow::bail;

pub fn request(
    ctx: &zmq::Context,
    endpoint: &str,
    body: &[u8],
    timeout: Duration,
    retries: u32,
) -> anyhow::Result<Vec<u8>> {
    for _try in 0..retries {
        let req = ctx.socket(zmq::REQ)?;
        req.set_linger(0)?;
        req.connect(endpoint)?;
        req.send(body, 0)?;
        if req.poll(zmq::POLLIN, timeout.as_millis() as i64)? > 0 {
            return Ok(req.recv_bytes(0)?);
        }
    }
    bail!("no reply from {endpoint} after {retries} tries")
}
