//! Exercise `realtime-heartbeat`: notice that the other end has gone
//! silent.
//!
//! A WebSocket over a dead network path looks exactly like a quiet one: no
//! bytes arrive either way, and TCP may not notice for many minutes. The
//! cure is a heartbeat: send a ping every `every`, and when more than
//! `allowed_misses` pings in a row have had no pong, call the peer dead.
//! Today [`watch`] sends pings but never checks for pongs, so it never
//! notices anything.
//!
//! Grade it: `cargo exercises grade realtime-heartbeat`.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

use crate::support::Ws;

/// What the heartbeat concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// More than the allowed pings in a row went unanswered.
    Dead { unanswered: u32 },
    /// The peer answered until `give_up` passed.
    Alive,
}

// ANCHOR: starter
/// Pings `ws` every `every` until the peer is judged dead or `give_up` passes.
pub async fn watch(
    ws: &mut Ws,
    every: Duration,
    allowed_misses: u32,
    give_up: Duration,
) -> anyhow::Result<Verdict> {
    let _ = allowed_misses; // TODO: count pings without a pong
    let deadline = tokio::time::Instant::now() + give_up;
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if tokio::time::Instant::now() >= deadline {
                    return Ok(Verdict::Alive);
                }
                ws.send(Message::Ping(Vec::new().into())).await?;
            }
            incoming = ws.next() => {
                if incoming.is_none() {
                    anyhow::bail!("the connection closed");
                }
            }
        }
    }
}
// ANCHOR_END: starter
