//! `contenders-jsonrpc-batch`: the top of a JSON-RPC 2.0 server, batches included.

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
        Ok(Value::Array(calls)) if calls.is_empty() => {
            Some(error(Value::Null, INVALID_REQUEST, None))
        }
        Ok(Value::Array(calls)) => {
            let answers: Vec<Value> = calls.iter().filter_map(|c| call(ledger, c)).collect();
            (!answers.is_empty()).then_some(Value::Array(answers))
        }
        Ok(one) => call(ledger, &one),
    };
    answer.map(|a| a.to_string())
}
// ANCHOR_END: starter
