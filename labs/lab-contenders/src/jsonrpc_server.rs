//! The JSON-RPC service over two transports: HTTP POST and WebSocket.
//!
//! Both hand each message to the same [`jsonrpc_service::handle`]: over
//! HTTP, one request body in, one response body out (204 No Content when a
//! notification is owed nothing); over a WebSocket, one text frame in, at
//! most one text frame out, on a connection that stays open.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::jsonrpc_service;
use crate::ledger::Ledger;

pub use crate::http_server::RunningServer;

// ANCHOR: routes
/// `POST /rpc` for HTTP, `GET /ws` to upgrade to a WebSocket.
pub fn app(ledger: Arc<Ledger>) -> Router {
    Router::new()
        .route("/rpc", post(over_http))
        .route("/ws", get(upgrade))
        .with_state(ledger)
}

async fn over_http(State(ledger): State<Arc<Ledger>>, body: String) -> Response {
    match jsonrpc_service::handle(&ledger, &body) {
        Some(answer) => ([(header::CONTENT_TYPE, "application/json")], answer).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

async fn upgrade(State(ledger): State<Arc<Ledger>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| over_websocket(ledger, socket))
}

async fn over_websocket(ledger: Arc<Ledger>, mut socket: WebSocket) {
    while let Some(Ok(message)) = socket.recv().await {
        let Message::Text(text) = message else {
            continue;
        };
        if let Some(answer) = jsonrpc_service::handle(&ledger, &text)
            && socket.send(Message::Text(answer.into())).await.is_err()
        {
            break;
        }
    }
}
// ANCHOR_END: routes

/// Starts the server on a free port of 127.0.0.1.
pub async fn spawn(ledger: Arc<Ledger>) -> anyhow::Result<RunningServer> {
    crate::http_server::serve(app(ledger.clone()), ledger).await
}
