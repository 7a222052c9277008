//! Exercise `realtime-envelope`: requests and responses over one WebSocket.
//!
//! A WebSocket carries messages, not requests: nothing pairs an answer with
//! the question it answers. Applications add an envelope — a `type`, an
//! `id` on each request that the response repeats — and the client matches
//! them up. The server here answers slow requests later than fast ones and
//! pushes events in between. [`call_all`] sends every request at once and
//! must return each result in the order of `calls`. Today it takes
//! messages in the order they arrive.
//!
//! Grade it: `cargo exercises grade realtime-envelope`.

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

// ANCHOR: starter
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
    // TODO: match responses to requests by id (and skip events)
    let mut results = Vec::new();
    while results.len() < calls.len() {
        let msg = ws.next().await.ok_or_else(|| anyhow::anyhow!("closed"))??;
        let value: Value = serde_json::from_str(msg.to_text()?)?;
        results.push(value["result"].clone());
    }
    Ok(results)
}
// ANCHOR_END: starter
