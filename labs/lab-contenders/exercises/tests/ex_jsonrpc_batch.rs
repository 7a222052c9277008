//! Grading tests for `contenders-jsonrpc-batch`.

use lab_contenders::ledger::Ledger;
use lab_contenders_exercises::jsonrpc_batch::handle;
use labkit::grade::{expect, expect_eq};
use serde_json::Value;

fn answer(ledger: &Ledger, text: &str) -> Option<Value> {
    handle(ledger, text).map(|t| serde_json::from_str(&t).expect("the answer is JSON"))
}

#[test]
fn a_batch_answers_each_call_and_keeps_the_good_results() {
    let ledger = Ledger::new();
    let batch = r#"[
        {"jsonrpc":"2.0","method":"charge","params":[700,"EUR"],"id":1},
        {"jsonrpc":"2.0","method":"charge","params":[300,"EUR"]},
        {"jsonrpc":"2.0","method":"refund","id":2},
        {"jsonrpc":"2.0","method":"charge","params":[500,"EUR"],"id":3}
    ]"#;
    let got = answer(&ledger, batch);
    let answers = got.as_ref().and_then(Value::as_array);
    expect(
        answers.is_some_and(|a| a.len() == 3),
        "a batch of four calls, one a notification, gets an array of three answers",
        &got,
    );
    let answers = answers.unwrap();
    let id = |id: i64| answers.iter().find(|a| a["id"] == id);
    expect(
        id(1).is_some_and(|a| a["result"]["amount_cents"] == 700),
        "call 1 gets its charge as a result",
        &got,
    );
    expect(
        id(2).is_some_and(|a| a["error"]["code"] == -32601),
        "call 2, an unknown method, gets error -32601",
        &got,
    );
    expect(
        id(3).is_some_and(|a| a["result"]["amount_cents"] == 500),
        "call 3 gets its result even though call 2 failed",
        &got,
    );
    expect_eq(
        ledger.count(),
        3,
        "the three charges, notification included, were made",
    );
}

#[test]
fn the_edge_cases_follow_the_specification() {
    let ledger = Ledger::new();
    let empty = answer(&ledger, "[]");
    expect(
        empty.as_ref().is_some_and(|a| a["error"]["code"] == -32600),
        "an empty batch gets one Invalid Request error (-32600), not an array",
        &empty,
    );
    let only_notifications = handle(
        &ledger,
        r#"[{"jsonrpc":"2.0","method":"charge","params":[100,"EUR"]}]"#,
    );
    expect(
        only_notifications.is_none(),
        "a batch of notifications only gets no answer at all",
        &only_notifications,
    );
    let junk = answer(&ledger, "[1]");
    expect(
        junk.as_ref()
            .and_then(Value::as_array)
            .is_some_and(|a| a.len() == 1 && a[0]["error"]["code"] == -32600),
        "a batch holding a non-call gets an array with one -32600 error",
        &junk,
    );
    let broken = answer(&ledger, r#"[{"jsonrpc":"2.0","#);
    expect(
        broken
            .as_ref()
            .is_some_and(|a| a["error"]["code"] == -32700),
        "text that is not JSON gets one Parse error (-32700)",
        &broken,
    );
}
