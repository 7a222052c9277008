//! Scenario `jsonrpc`: JSON-RPC 2.0 calls, a notification, a batch with
//! results and errors mixed, each of the five reserved error codes, and the
//! same service over a WebSocket.

use std::sync::Arc;

use futures::{SinkExt, StreamExt};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

use crate::jsonrpc_server;
use crate::ledger::Ledger;
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- jsonrpc` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "jsonrpc",
    "JSON-RPC 2.0: calls, a notification, a batch, all five error codes, then over a WebSocket",
    "a notification is done but never answered; a batch answers each call on its own",
);

// ANCHOR: requests
/// What the scenario sends over HTTP, each with a label for the table.
pub const REQUESTS: [(&str, &str); 7] = [
    (
        "call, params by name",
        r#"{"jsonrpc":"2.0","method":"charge","params":{"amount_cents":1250,"currency":"EUR"},"id":1}"#,
    ),
    (
        "notification (no id)",
        r#"{"jsonrpc":"2.0","method":"charge","params":[1250,"EUR"]}"#,
    ),
    (
        "batch of five",
        r#"[{"jsonrpc":"2.0","method":"charge","params":[700,"EUR"],"id":"a"},
            {"jsonrpc":"2.0","method":"charge","params":[300,"EUR"]},
            {"jsonrpc":"2.0","method":"refund","params":["ch_1"],"id":"b"},
            {"jsonrpc":"2.0","method":"charge","params":{"amount_cents":-5,"currency":"EUR"},"id":"c"},
            {"method":"charge","id":"d"}]"#,
    ),
    (
        "cut-off JSON",
        r#"{"jsonrpc":"2.0","method":"charge","params":[1250,"#,
    ),
    ("empty batch", "[]"),
    (
        "batch of notifications only",
        r#"[{"jsonrpc":"2.0","method":"count"}]"#,
    ),
    (
        "call while storage is down",
        r#"{"jsonrpc":"2.0","method":"charge","params":[1250,"EUR"],"id":7}"#,
    ),
];
// ANCHOR_END: requests

/// One request and what came back over HTTP.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub label: &'static str,
    pub status: u16,
    /// The response body, parsed (`Null` when the body was empty).
    pub response: Value,
}

impl Exchange {
    /// Every error code in the response, in order (a batch may hold several).
    pub fn error_codes(&self) -> Vec<i64> {
        let answers = match &self.response {
            Value::Array(a) => a.clone(),
            Value::Null => vec![],
            one => vec![one.clone()],
        };
        answers
            .iter()
            .filter_map(|a| a["error"]["code"].as_i64())
            .collect()
    }
}

/// POSTs `body` to the server's `/rpc` and reads the answer.
pub async fn post(addr: std::net::SocketAddr, body: &str) -> anyhow::Result<(u16, Value)> {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/rpc"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await?;
    let status = response.status().as_u16();
    let text = response.text().await?;
    let parsed = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)?
    };
    Ok((status, parsed))
}

/// Sends each of [`REQUESTS`] to a fresh ledger; the storage is switched
/// off before the last one. Returns the exchanges and the charges the
/// ledger holds at the end.
pub async fn exchanges() -> anyhow::Result<(Vec<Exchange>, usize)> {
    let server = jsonrpc_server::spawn(Arc::new(Ledger::new())).await?;
    let mut out = Vec::new();
    for (i, (label, body)) in REQUESTS.iter().enumerate() {
        if i == REQUESTS.len() - 1 {
            server.ledger.set_storage_down(true);
        }
        let (status, response) = post(server.addr, body).await?;
        out.push(Exchange {
            label,
            status,
            response,
        });
    }
    Ok((out, server.ledger.count()))
}

/// What `calls` charges over one WebSocket cost, against the same calls as
/// separate HTTP requests on one keep-alive connection.
#[derive(Debug, Clone)]
pub struct OverWebSocket {
    pub calls: usize,
    pub answers: usize,
    pub ws_connections: usize,
    pub ws_bytes_per_call: f64,
    pub http_bytes_per_call: f64,
}

// ANCHOR: websocket
/// Makes `calls` charges over one WebSocket, then over HTTP, both through
/// labkit's proxy so the bytes are counted on the wire.
pub async fn over_websocket(calls: usize) -> anyhow::Result<OverWebSocket> {
    let server = jsonrpc_server::spawn(Arc::new(Ledger::new())).await?;
    let proxy = Proxy::start(server.addr).await?;
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", proxy.addr())).await?;
    let handshake = proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient);
    let mut answers = 0;
    for id in 0..calls {
        let call =
            format!(r#"{{"jsonrpc":"2.0","method":"charge","params":[1250,"EUR"],"id":{id}}}"#);
        ws.send(Message::text(call)).await?;
        if let Some(Ok(Message::Text(answer))) = ws.next().await {
            let answer: Value = serde_json::from_str(&answer)?;
            answers += usize::from(answer["id"] == id && answer["result"].is_object());
        }
    }
    let ws_total = proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient);
    let ws_connections = proxy.connections_opened();
    ws.close(None).await?;
    drop(ws);

    let http = Proxy::start(server.addr).await?;
    let client = reqwest::Client::new();
    for id in 0..calls {
        client
            .post(format!("http://{}/rpc", http.addr()))
            .header("content-type", "application/json")
            .body(format!(
                r#"{{"jsonrpc":"2.0","method":"charge","params":[1250,"EUR"],"id":{id}}}"#
            ))
            .send()
            .await?
            .bytes()
            .await?;
    }
    let http_total = http.bytes(Direction::ToServer) + http.bytes(Direction::ToClient);
    Ok(OverWebSocket {
        calls,
        answers,
        ws_connections,
        ws_bytes_per_call: (ws_total - handshake) as f64 / calls as f64,
        http_bytes_per_call: http_total as f64 / calls as f64,
    })
}
// ANCHOR_END: websocket

/// Shortens a JSON answer to fit a table cell.
fn short(v: &Value) -> String {
    let text = if v.is_null() {
        "(empty body)".to_string()
    } else {
        v.to_string()
    };
    if text.len() > 60 {
        format!("{}…", &text[..59])
    } else {
        text
    }
}

/// The `jsonrpc` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut report = Report::new(LAB, SCENARIO.name);
    let (exchanges, charges) = exchanges().await?;
    let mut table = Table::new(
        "JSON-RPC 2.0 over HTTP POST /rpc",
        &["request", "HTTP", "error codes", "answer"],
    );
    for e in &exchanges {
        let codes: Vec<String> = e.error_codes().iter().map(i64::to_string).collect();
        table.row([
            e.label.to_string(),
            e.status.to_string(),
            if codes.is_empty() {
                "-".into()
            } else {
                codes.join(" ")
            },
            short(&e.response),
        ]);
    }
    table.note(format!(
        "charges in the ledger at the end: {charges} (the call, the notification, two in the batch)"
    ));
    report.table(table);

    let ws = over_websocket(20).await?;
    let mut t = Table::new(
        "The same charge over a WebSocket and over HTTP",
        &["transport", "calls", "bytes per call, both ways"],
    );
    t.row([
        "WebSocket, one connection".to_string(),
        ws.calls.to_string(),
        format!("{:.0}", ws.ws_bytes_per_call),
    ]);
    t.row([
        "HTTP/1.1 POST, keep-alive".to_string(),
        ws.calls.to_string(),
        format!("{:.0}", ws.http_bytes_per_call),
    ]);
    t.note("the WebSocket's upgrade handshake is left out: it is paid once per connection");
    report.table(t);
    report.value("charges", charges);
    report.value("ws_bytes_per_call", ws.ws_bytes_per_call);
    report.value("http_bytes_per_call", ws.http_bytes_per_call);
    Ok(report)
}
