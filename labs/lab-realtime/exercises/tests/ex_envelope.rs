//! Grading tests for `realtime-envelope`, against a server that answers
//! slow requests last and pushes events in between.

use lab_realtime_exercises::envelope::{Envelope, call_all};
use lab_realtime_exercises::support;
use labkit::grade::{expect, expect_ok};
use serde_json::json;

#[tokio::test]
async fn results_come_back_in_the_order_asked_whatever_order_they_arrive_in() {
    let server = support::envelope_server().await;
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{server}/"))
        .await
        .unwrap();
    let calls = [
        ("slow", json!({"delay_ms": 400, "n": 1})),
        ("medium", json!({"delay_ms": 200, "n": 2})),
        ("fast", json!({"delay_ms": 0, "n": 3})),
    ];
    let results = expect_ok(
        tokio::time::timeout(
            std::time::Duration::from_secs(20),
            call_all(&mut ws, &calls),
        )
        .await,
        "call_all returns within 20 s",
    );
    let results = expect_ok(results, "call_all returns the results, not an error");
    expect(
        results.len() == calls.len(),
        "one result per call",
        &results,
    );
    let methods: Vec<_> = results.iter().map(|r| r["method"].clone()).collect();
    expect(
        methods == [json!("slow"), json!("medium"), json!("fast")],
        "result i answers call i (matched by id, not by arrival)",
        methods,
    );
    let ns: Vec<_> = results.iter().map(|r| r["params"]["n"].clone()).collect();
    expect(
        ns == [json!(1), json!(2), json!(3)],
        "each result carries its own request's params",
        ns,
    );
    let slow_saw = results[0]["requests_so_far"].clone();
    expect(
        slow_saw == json!(3),
        "all three requests are sent at once, before any answer is awaited \
         (the server had received 3 requests when it answered the slow one)",
        slow_saw,
    );
}

#[test]
fn the_envelope_is_tagged_json() {
    let text = serde_json::to_string(&Envelope::Request {
        id: 7,
        method: "sleep".into(),
        params: json!({}),
    })
    .unwrap();
    expect(
        text == r#"{"type":"request","id":7,"method":"sleep","params":{}}"#,
        "a request serialises with a type tag",
        text,
    );
}
