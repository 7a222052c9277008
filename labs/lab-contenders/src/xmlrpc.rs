//! Scenario `xmlrpc`: JSON-RPC's ancestor, as history. One `charge` call in
//! XML-RPC over HTTP POST, and its bytes against JSON-RPC's for the same
//! call.
//!
//! The server is hand-written in a few lines over `roxmltree`, because the
//! 1999 specification is that small: a `methodCall` with a `methodName` and
//! typed `params`, answered by a `methodResponse` holding one value or a
//! `fault`. A production system would use a library such as dxr.

use std::sync::Arc;

use axum::http::header;
use axum::response::IntoResponse;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};

use crate::ledger::Ledger;
use crate::{LAB, Lab, jsonrpc_server};

/// The scenario, as `cargo run -p lab-contenders -- xmlrpc` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "xmlrpc",
    "XML-RPC, JSON-RPC's ancestor: one charge, and its bytes against JSON-RPC's",
    "every value is wrapped in tags that name its type: the same call costs several times more",
);

// ANCHOR: call
/// The charge as an XML-RPC `methodCall`: one struct parameter.
pub const CALL: &str = "<?xml version=\"1.0\"?>\
<methodCall><methodName>charge</methodName><params><param><value><struct>\
<member><name>amount_cents</name><value><int>1250</int></value></member>\
<member><name>currency</name><value><string>EUR</string></value></member>\
</struct></value></param></params></methodCall>";
// ANCHOR_END: call

/// The same call in JSON-RPC 2.0.
pub const JSON_CALL: &str =
    r#"{"jsonrpc":"2.0","method":"charge","params":{"amount_cents":1250,"currency":"EUR"},"id":1}"#;

/// Answers one `methodCall` body: a `methodResponse` with the charge as a
/// struct, or a `fault` with a code and a string.
pub fn answer(ledger: &Ledger, body: &str) -> String {
    let fault = |code: i32, why: &str| {
        format!(
            "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>\
<member><name>faultCode</name><value><int>{code}</int></value></member>\
<member><name>faultString</name><value><string>{why}</string></value></member>\
</struct></value></fault></methodResponse>"
        )
    };
    let Ok(doc) = roxmltree::Document::parse(body) else {
        return fault(1, "not well-formed XML");
    };
    let text_of = |tag: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    if text_of("methodName").as_deref() != Some("charge") {
        return fault(2, "no such method");
    }
    let member = |name: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name("member"))
            .find(|m| {
                m.children()
                    .any(|c| c.has_tag_name("name") && c.text() == Some(name))
            })
            .and_then(|m| {
                m.descendants().find(|v| {
                    v.has_tag_name("int") || v.has_tag_name("i4") || v.has_tag_name("string")
                })
            })
            .and_then(|v| v.text())
            .map(str::to_string)
    };
    let request = domain::ChargeRequest {
        amount_cents: member("amount_cents")
            .and_then(|a| a.parse().ok())
            .unwrap_or(0),
        currency: member("currency").unwrap_or_default(),
    };
    match ledger.charge(&request) {
        Ok(c) => format!(
            "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>\
<member><name>charge_id</name><value><string>{}</string></value></member>\
<member><name>amount_cents</name><value><int>{}</int></value></member>\
<member><name>currency</name><value><string>{}</string></value></member>\
</struct></value></param></params></methodResponse>",
            c.charge_id, c.amount_cents, c.currency
        ),
        Err(refusal) => fault(3, &refusal.to_string()),
    }
}

/// Bytes each way of one call, as the proxy saw them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallBytes {
    pub request: u64,
    pub response: u64,
}

/// POSTs `body` with `content_type` to `path` on `server` through a proxy.
async fn post_counted(
    server: std::net::SocketAddr,
    path: &str,
    content_type: &str,
    body: &str,
) -> anyhow::Result<(CallBytes, String)> {
    let proxy = Proxy::start(server).await?;
    let answer = reqwest::Client::new()
        .post(format!("http://{}{path}", proxy.addr()))
        .header("content-type", content_type)
        .body(body.to_string())
        .send()
        .await?
        .text()
        .await?;
    let bytes = CallBytes {
        request: proxy.bytes(Direction::ToServer),
        response: proxy.bytes(Direction::ToClient),
    };
    Ok((bytes, answer))
}

// ANCHOR: compare
/// One charge in XML-RPC (POST /RPC2) and in JSON-RPC (POST /rpc), each on
/// its own connection: the bytes each way, and XML-RPC's answer.
pub async fn both() -> anyhow::Result<(CallBytes, CallBytes, String)> {
    let ledger = Arc::new(Ledger::new());
    let xml_ledger = ledger.clone();
    let app = axum::Router::new().route(
        "/RPC2",
        axum::routing::post(move |body: String| async move {
            (
                [(header::CONTENT_TYPE, "text/xml")],
                answer(&xml_ledger, &body),
            )
                .into_response()
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let xml_addr = listener.local_addr()?;
    let xml_server = tokio::spawn(async move { axum::serve(listener, app).await });
    let (xml, answer) = post_counted(xml_addr, "/RPC2", "text/xml", CALL).await?;
    xml_server.abort();
    let json_server = jsonrpc_server::spawn(ledger).await?;
    let (json, _) = post_counted(json_server.addr, "/rpc", "application/json", JSON_CALL).await?;
    Ok((xml, json, answer))
}
// ANCHOR_END: compare

/// The `xmlrpc` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut report = Report::new(LAB, SCENARIO.name);
    let (xml, json, answer) = both().await?;
    let mut t = Table::new(
        "One charge over HTTP/1.1, bytes on the wire",
        &["protocol", "request body", "request", "response"],
    );
    t.row([
        "XML-RPC".to_string(),
        CALL.len().to_string(),
        xml.request.to_string(),
        xml.response.to_string(),
    ]);
    t.row([
        "JSON-RPC 2.0".to_string(),
        JSON_CALL.len().to_string(),
        json.request.to_string(),
        json.response.to_string(),
    ]);
    t.note("request and response include the HTTP/1.1 headers");
    report.table(t);
    let mut t = Table::new("XML-RPC's answer", &["methodResponse"]);
    for chunk in answer.as_bytes().chunks(80) {
        t.row([String::from_utf8_lossy(chunk).into_owned()]);
    }
    report.table(t);
    report.value("xmlrpc_body_bytes", CALL.len());
    report.value("jsonrpc_body_bytes", JSON_CALL.len());
    Ok(report)
}
