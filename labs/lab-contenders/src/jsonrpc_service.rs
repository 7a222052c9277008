//! A JSON-RPC 2.0 server's whole job, as a function from text to text.
//!
//! JSON-RPC 2.0 says nothing about transport: the same request text can
//! travel in an HTTP body or a WebSocket frame, so [`handle`] knows neither
//! (`jsonrpc_server.rs` carries it over both). It is hand-written, in about a
//! hundred lines, because the specification is that small; a production
//! server would use a library such as jsonrpsee, which adds limits on batch
//! and message size, subscriptions and middleware.

use domain::ChargeRequest;
use serde_json::{Value, json};

use crate::ledger::{Ledger, Refusal};

// ANCHOR: codes
/// The five error codes JSON-RPC 2.0 reserves, with the messages it gives them.
pub const PARSE_ERROR: (i64, &str) = (-32700, "Parse error");
pub const INVALID_REQUEST: (i64, &str) = (-32600, "Invalid Request");
pub const METHOD_NOT_FOUND: (i64, &str) = (-32601, "Method not found");
pub const INVALID_PARAMS: (i64, &str) = (-32602, "Invalid params");
pub const INTERNAL_ERROR: (i64, &str) = (-32603, "Internal error");
// ANCHOR_END: codes

/// An error response for `id` (`null` when the request's id is unknown).
pub fn error(id: Value, (code, message): (i64, &str), data: Option<String>) -> Value {
    let mut error = json!({ "code": code, "message": message });
    if let Some(data) = data {
        error["data"] = Value::String(data);
    }
    json!({ "jsonrpc": "2.0", "error": error, "id": id })
}

// ANCHOR: handle
/// Answers one request text: `None` when nothing is owed (a notification,
/// or a batch of notifications only), else the response text.
pub fn handle(ledger: &Ledger, text: &str) -> Option<String> {
    let answer = match serde_json::from_str::<Value>(text) {
        Err(e) => Some(error(Value::Null, PARSE_ERROR, Some(e.to_string()))),
        Ok(Value::Array(calls)) if calls.is_empty() => Some(error(
            Value::Null,
            INVALID_REQUEST,
            Some("empty batch".into()),
        )),
        Ok(Value::Array(calls)) => {
            // Each call is answered on its own; notifications add nothing.
            let answers: Vec<Value> = calls.iter().filter_map(|c| call(ledger, c)).collect();
            (!answers.is_empty()).then_some(Value::Array(answers))
        }
        Ok(single) => call(ledger, &single),
    };
    answer.map(|a| a.to_string())
}
// ANCHOR_END: handle

// ANCHOR: call
/// Answers one call of a request or a batch: `None` for a notification.
pub fn call(ledger: &Ledger, request: &Value) -> Option<Value> {
    let id = request.get("id").cloned();
    let well_formed = request.get("jsonrpc") == Some(&json!("2.0"))
        && request.get("method").is_some_and(Value::is_string)
        && request
            .get("params")
            .is_none_or(|p| p.is_array() || p.is_object())
        && id
            .as_ref()
            .is_none_or(|i| i.is_string() || i.is_number() || i.is_null());
    if !well_formed {
        let id = id
            .filter(|i| i.is_string() || i.is_number())
            .unwrap_or(Value::Null);
        return Some(error(id, INVALID_REQUEST, None));
    }
    let params = request.get("params").cloned().unwrap_or(Value::Null);
    let outcome = match request["method"].as_str().unwrap_or_default() {
        "charge" => charge(ledger, params),
        "count" => Ok(json!(ledger.count())),
        other => Err((METHOD_NOT_FOUND, Some(format!("no method {other:?}")))),
    };
    // A request without an id is a notification: done, but never answered.
    let id = id?;
    Some(match outcome {
        Ok(result) => json!({ "jsonrpc": "2.0", "result": result, "id": id }),
        Err((code, data)) => error(id, code, data),
    })
}
// ANCHOR_END: call

type Failure = ((i64, &'static str), Option<String>);

/// `charge`: params by name (`{"amount_cents":1250,"currency":"EUR"}`) or
/// by position (`[1250, "EUR"]`).
fn charge(ledger: &Ledger, params: Value) -> Result<Value, Failure> {
    let request: ChargeRequest = match params {
        Value::Array(p) if p.len() == 2 => {
            serde_json::from_value(json!({ "amount_cents": p[0], "currency": p[1] }))
        }
        other => serde_json::from_value(other),
    }
    .map_err(|e| (INVALID_PARAMS, Some(e.to_string())))?;
    match ledger.charge(&request) {
        Ok(charge) => Ok(serde_json::to_value(charge).expect("a charge is JSON")),
        Err(Refusal::Invalid(why)) => Err((INVALID_PARAMS, Some(why))),
        Err(down @ Refusal::StorageDown) => Err((INTERNAL_ERROR, Some(down.to_string()))),
    }
}
