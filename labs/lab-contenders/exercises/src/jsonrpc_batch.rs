//! `contenders-jsonrpc-batch`: the top of a JSON-RPC 2.0 server, batches included.
//!
//! Grade with `cargo exercises grade contenders-jsonrpc-batch`.

use lab_contenders::jsonrpc_service::{INVALID_REQUEST, PARSE_ERROR, call, error};
use lab_contenders::ledger::Ledger;
use serde_json::Value;

// ANCHOR: starter
/// Answers one request text, which may hold one call or a batch of them:
/// `None` when nothing is owed, else the response text. `call` answers one
/// call (`None` for a notification) and already checks each call's shape.
pub fn handle(ledger: &Ledger, text: &str) -> Option<String> {
    let answer = match serde_json::from_str::<Value>(text) {
        Err(e) => Some(error(Value::Null, PARSE_ERROR, Some(e.to_string()))),
        // TODO: a batch (a JSON array) is answered call by call.
        Ok(Value::Array(_)) => Some(error(Value::Null, INVALID_REQUEST, None)),
        Ok(one) => call(ledger, &one),
    };
    answer.map(|a| a.to_string())
}
// ANCHOR_END: starter
