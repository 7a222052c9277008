//! Reference solution for `realtime-envelope`: requests and responses over
//! one WebSocket.
//!
//! A WebSocket carries messages, not requests: nothing pairs an answer with
//! the question it answers. Applications add an envelope — a `type`, an
//! `id` on each request that the response repeats — and the client matches
//! them up. The server here answers slow requests later than fast ones and
//! pushes events in between. [`call_all`] sends every request at once and
//! must return each result in the order of `calls`.

use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

use crate::support::Ws;

/// Every message on the socket, either way, is one of these, as JSON with a
/// `"type"` field: `{"type":"request","id":1,"method":"sleep","params":{..}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Envelope {
    Request {
        id: u64,
        method: String,
        params: Value,
    },
    Response {
        id: u64,
        result: Value,
    },
    /// Something the server pushes on its own: no id, no answer expected.
    Event {
        name: String,
        data: Value,
    },
}

// ANCHOR: solution
/// Sends one request per `(method, params)` in `calls`, all at once, and
/// returns the results in the same order as `calls`.
pub async fn call_all(ws: &mut Ws, calls: &[(&str, Value)]) -> anyhow::Result<Vec<Value>> {
    for (i, (method, params)) in calls.iter().enumerate() {
        let request = Envelope::Request {
            id: i as u64 + 1,
            method: method.to_string(),
            params: params.clone(),
        };
        ws.send(Message::text(serde_json::to_string(&request)?))
            .await?;
    }
    // Slot i waits for the response with id i + 1, whenever it comes.
    let mut results: Vec<Option<Value>> = vec![None; calls.len()];
    while results.iter().any(Option::is_none) {
        let msg = ws.next().await.ok_or_else(|| anyhow::anyhow!("closed"))??;
        let Ok(text) = msg.to_text() else { continue };
        match serde_json::from_str::<Envelope>(text)? {
            Envelope::Response { id, result } => {
                let slot = id
                    .checked_sub(1)
                    .and_then(|i| results.get_mut(i as usize))
                    .ok_or_else(|| {
                        anyhow::anyhow!("a response to request {id}, which was never sent")
                    })?;
                *slot = Some(result);
            }
            Envelope::Event { .. } => {} // not an answer: a real app would dispatch it
            Envelope::Request { .. } => {
                anyhow::bail!("the server sent a request; this client serves none")
            }
        }
    }
    Ok(results.into_iter().flatten().collect())
}
// ANCHOR_END: solution
