//! Wrong: it matches responses by id but reads only one message per call, so the pushed events take the places of answers that never get read.

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
    let mut results: Vec<Option<Value>> = vec![None; calls.len()];
    for _ in 0..calls.len() {
        let msg = ws.next().await.ok_or_else(|| anyhow::anyhow!("closed"))??;
        let Ok(text) = msg.to_text() else { continue };
        if let Envelope::Response { id, result } = serde_json::from_str::<Envelope>(text)?
            && let Some(slot) = id.checked_sub(1).and_then(|i| results.get_mut(i as usize))
        {
            *slot = Some(result);
        }
    }
    Ok(results.into_iter().flatten().collect())
}
