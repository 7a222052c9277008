//! Wrong: it declares the peer dead when the allowed number of pings is unanswered (`>=`), one ping before "more than allowed".

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

/// Pings `ws` every `every` until the peer is judged dead or `give_up` passes.
pub async fn watch(
    ws: &mut Ws,
    every: Duration,
    allowed_misses: u32,
    give_up: Duration,
) -> anyhow::Result<Verdict> {
    let deadline = tokio::time::Instant::now() + give_up;
    let mut tick = tokio::time::interval(every);
    let mut unanswered = 0u32;
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if unanswered >= allowed_misses {
                    return Ok(Verdict::Dead { unanswered });
                }
                if tokio::time::Instant::now() >= deadline {
                    return Ok(Verdict::Alive);
                }
                ws.send(Message::Ping(Vec::new().into())).await?;
                unanswered += 1;
            }
            incoming = ws.next() => match incoming {
                Some(Ok(Message::Pong(_))) => unanswered = 0,
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => anyhow::bail!("the connection closed"),
            },
        }
    }
}
