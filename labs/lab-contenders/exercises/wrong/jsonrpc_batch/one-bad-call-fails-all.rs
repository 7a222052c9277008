//! Wrong: answers a whole batch with one error when any call in it fails, losing the good results.
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
        Ok(Value::Array(calls)) => {
            let answers: Vec<Value> = calls.iter().filter_map(|c| call(ledger, c)).collect();
            match answers.iter().find(|a| a.get("error").is_some()) {
                Some(first_error) => Some(first_error.clone()),
                None => (!answers.is_empty()).then_some(Value::Array(answers)),
            }
        }
        Ok(one) => call(ledger, &one),
    };
    answer.map(|a| a.to_string())
}
