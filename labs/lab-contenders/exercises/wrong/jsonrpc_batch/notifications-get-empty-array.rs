//! Wrong: answers a batch of notifications only with `[]`, where nothing at all is owed.
//!
//! A known-wrong answer to `contenders-jsonrpc-batch`, which the grading
//! tests must refuse (`cargo exercises verify` checks that they do).

use lab_contenders::jsonrpc_service::{INVALID_REQUEST, PARSE_ERROR, call, error};
use lab_contenders::ledger::Ledger;
use serde_json::Value;

pub fn handle(ledger: &Ledger, text: &str) -> Option<String> {
    let answer = match serde_json::from_str::<Value>(text) {
        Err(e) => Some(error(Value::Null, PARSE_ERROR, Some(e.to_string()))),
        Ok(Value::Array(calls)) if calls.is_empty() => {
            Some(error(Value::Null, INVALID_REQUEST, None))
        }
        Ok(Value::Array(calls)) => Some(Value::Array(
            calls.iter().filter_map(|c| call(ledger, c)).collect(),
        )),
        Ok(one) => call(ledger, &one),
    };
    answer.map(|a| a.to_string())
}
