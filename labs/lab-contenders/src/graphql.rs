//! Scenario `graphql`: a GraphQL subscription over a WebSocket speaking
//! graphql-transport-ws, seen message by message on the wire, and what a
//! query that asks for too much costs the server, then refused by
//! async-graphql's depth and complexity limits.
//!
//! The client is tokio-tungstenite sending the protocol's JSON messages by
//! hand, so every message the lab sends is in this file; the server is
//! async-graphql 7 through axum (`graphql_server.rs`). Charges are made with
//! a mutation over plain HTTP, by another client, while the subscription
//! listens on its WebSocket through labkit's recording proxy.

use std::net::SocketAddr;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::websocket::{Frame, Frames, Opcode};
use labkit::wire::{ConnRecord, Decoder, Direction, Proxy};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::graphql_server::{self, LIMITS};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- graphql` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "graphql",
    "GraphQL: a subscription over graphql-transport-ws, and a query that asks for too much",
    "one `next` per charge on the subscription; nesting multiplies the work, limits refuse it",
);

/// How long the client waits for any one message: generous, since a loaded
/// machine may be slow, and only reached when something is wrong.
const PATIENCE: Duration = Duration::from_secs(10);

/// The subscription the client opens.
pub const SUBSCRIBE: &str = "subscription { charges { id amountCents currency } }";

/// A query `levels` charges deep, each list asking for `first` elements:
/// charges, their customer, the customer's charges, their customer, ...
pub fn nested(levels: usize, first: usize) -> String {
    let mut inner = "id amountCents".to_string();
    for _ in 1..levels {
        inner = format!("id amountCents customer {{ id charges(first: {first}) {{ {inner} }} }}");
    }
    format!("{{ charges(first: {first}) {{ {inner} }} }}")
}

/// The query sent on the subscription's connection to be refused: six
/// levels deep, one element each, so it is cheap but too deep.
pub fn too_deep() -> String {
    nested(6, 1)
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

// ANCHOR: client
/// Opens a WebSocket asking for the graphql-transport-ws subprotocol.
async fn open(addr: SocketAddr) -> anyhow::Result<Ws> {
    let mut request = format!("ws://{addr}/ws").into_client_request()?;
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws"
            .parse()
            .expect("a valid header value"),
    );
    let (ws, _) = tokio_tungstenite::connect_async(request).await?;
    Ok(ws)
}

/// Sends one protocol message: a JSON object with a `type`.
async fn send(ws: &mut Ws, message: Value) -> anyhow::Result<()> {
    ws.send(Message::text(message.to_string())).await?;
    Ok(())
}

/// The next protocol message from the server.
async fn receive(ws: &mut Ws) -> anyhow::Result<Value> {
    loop {
        let frame = tokio::time::timeout(PATIENCE, ws.next())
            .await
            .map_err(|_| anyhow::anyhow!("no message from the GraphQL server in {PATIENCE:?}"))?;
        match frame {
            Some(Ok(Message::Text(text))) => return Ok(serde_json::from_str(&text)?),
            Some(Ok(Message::Close(close))) => anyhow::bail!("the server closed: {close:?}"),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(e.into()),
            None => anyhow::bail!("the server closed the WebSocket"),
        }
    }
}

/// Waits for a message of type `kind` and returns it.
async fn expect(ws: &mut Ws, kind: &str) -> anyhow::Result<Value> {
    let message = receive(ws).await?;
    anyhow::ensure!(message["type"] == kind, "expected {kind}, got {message}");
    Ok(message)
}
// ANCHOR_END: client

/// One message as it crossed the proxy.
#[derive(Debug, Clone, PartialEq)]
pub struct WireMessage {
    pub dir: Direction,
    /// The graphql-transport-ws `type`, or the WebSocket frame's name
    /// (`CLOSE`) for frames that are not protocol messages.
    pub kind: String,
    pub id: Option<String>,
    /// The frame's bytes on the wire, header and (masked) payload.
    pub wire_bytes: usize,
    /// The message's JSON, or the close code.
    pub text: String,
}

/// What the subscription's connection carried, and what the lab did.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub messages: Vec<WireMessage>,
    /// The ids the mutation returned, in order.
    pub charged: Vec<String>,
    /// The charge ids the subscription's `next` messages carried, in order.
    pub pushed: Vec<String>,
    /// The error the server sent for the query that was too deep.
    pub refusal: String,
}

// ANCHOR: conversation
/// Subscribes, makes `charges` charges over HTTP, pings, sends a query that
/// is too deep, completes the subscription and closes, all on one WebSocket
/// through labkit's proxy.
pub async fn conversation(charges: usize) -> anyhow::Result<Conversation> {
    let server = graphql_server::spawn(Some(LIMITS)).await?;
    let proxy = Proxy::start(server.addr).await?;
    let mut ws = open(proxy.addr()).await?;

    send(&mut ws, json!({"type": "connection_init"})).await?;
    expect(&mut ws, "connection_ack").await?;
    let subscribe = json!({"type": "subscribe", "id": "1", "payload": {"query": SUBSCRIBE}});
    send(&mut ws, subscribe).await?;
    // The protocol has no "subscribed" answer: wait until the server listens.
    wait_for(|| server.payments.subscribers() == 1).await?;

    let mut charged = Vec::new();
    for _ in 0..charges {
        let mutation = r#"mutation { charge(amountCents: 1250, currency: "EUR") { id } }"#;
        let (answer, _) = graphql_server::post(server.addr, mutation).await?;
        charged.push(
            answer["data"]["charge"]["id"]
                .as_str()
                .unwrap_or("?")
                .to_string(),
        );
    }
    let mut pushed = Vec::new();
    for _ in 0..charges {
        let next = expect(&mut ws, "next").await?;
        let id = &next["payload"]["data"]["charges"]["id"];
        pushed.push(id.as_str().unwrap_or("?").to_string());
    }

    send(&mut ws, json!({"type": "ping"})).await?;
    expect(&mut ws, "pong").await?;

    let deep = json!({"type": "subscribe", "id": "2", "payload": {"query": too_deep()}});
    send(&mut ws, deep).await?;
    let refused = expect(&mut ws, "next").await?;
    expect(&mut ws, "complete").await?;

    send(&mut ws, json!({"type": "complete", "id": "1"})).await?;
    expect(&mut ws, "complete").await?;
    // The protocol asks the client to close with 1000, Normal Closure.
    ws.close(Some(CloseFrame {
        code: CloseCode::Normal,
        reason: "".into(),
    }))
    .await?;
    while tokio::time::timeout(PATIENCE, ws.next()).await?.is_some() {}
    drop(ws);
    proxy.wait_closed(PATIENCE).await;

    let conn = proxy
        .recording()
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("the proxy recorded no connection"))?;
    Ok(Conversation {
        messages: on_the_wire(&conn),
        charged,
        pushed,
        refusal: refused["payload"]["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    })
}
// ANCHOR_END: conversation

/// Polls `ready` every 20 ms until it holds, for at most [`PATIENCE`].
async fn wait_for(ready: impl Fn() -> bool) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !ready() {
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "the server did not start the subscription within {PATIENCE:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// Both directions' WebSocket frames, in the order the proxy saw them
/// complete, read as graphql-transport-ws messages.
pub fn on_the_wire(conn: &ConnRecord) -> Vec<WireMessage> {
    // Where each frame ends in its direction's byte stream.
    let mut pending: Vec<(Direction, usize, Frame)> = Vec::new();
    for dir in Direction::BOTH {
        let frames = Frames.decode_conn(conn, dir).units;
        let framed: usize = frames.iter().map(|f| f.header_len + f.payload.len()).sum();
        let mut end = conn.bytes(dir) as usize - framed;
        for frame in frames {
            end += frame.header_len + frame.payload.len();
            pending.push((dir, end, frame));
        }
    }
    // A frame is seen when the chunk holding its last byte is read.
    let mut seen = [0usize; 2];
    let mut order = Vec::new();
    for chunk in &conn.chunks {
        seen[index(chunk.dir)] += chunk.bytes.len();
        let (now, later): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|(dir, end, _)| *dir == chunk.dir && *end <= seen[index(*dir)]);
        order.extend(now);
        pending = later;
    }
    order
        .into_iter()
        .map(|(dir, _, frame)| message(dir, &frame))
        .collect()
}

fn index(dir: Direction) -> usize {
    match dir {
        Direction::ToServer => 0,
        Direction::ToClient => 1,
    }
}

fn message(dir: Direction, frame: &Frame) -> WireMessage {
    let wire_bytes = frame.header_len + frame.payload.len();
    if frame.opcode == Opcode::Text {
        let text = String::from_utf8_lossy(&frame.payload).into_owned();
        let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        WireMessage {
            dir,
            kind: json["type"].as_str().unwrap_or("?").to_string(),
            id: json["id"].as_str().map(str::to_string),
            wire_bytes,
            text,
        }
    } else {
        WireMessage {
            dir,
            kind: frame.opcode.name().to_string(),
            id: None,
            wire_bytes,
            text: frame
                .close_code()
                .map(|c| format!("code {c}"))
                .unwrap_or_default(),
        }
    }
}

/// What one query cost an unguarded server, and what the guarded one said.
#[derive(Debug, Clone)]
pub struct QueryCost {
    pub label: String,
    pub query: String,
    pub depth: usize,
    pub complexity: usize,
    /// Field resolvers the unguarded server ran.
    pub resolved: u64,
    /// Bytes of the unguarded server's JSON answer.
    pub response_bytes: usize,
    /// The guarded server's first error message, or `None` if it answered.
    pub guarded_error: Option<String>,
    /// Field resolvers the guarded server ran for it.
    pub guarded_resolved: u64,
}

/// Charges in the ledger when the costs are measured, all one customer's.
pub const SEEDED: usize = 8;

// ANCHOR: costs
/// Sends queries one to four levels deep (8 elements a list), and one six
/// levels deep but one element a list, to a server without limits and to
/// one with [`LIMITS`], both holding [`SEEDED`] charges of one customer.
pub async fn costs() -> anyhow::Result<Vec<QueryCost>> {
    let open = graphql_server::spawn(None).await?;
    let guarded = graphql_server::spawn(Some(LIMITS)).await?;
    for server in [&open, &guarded] {
        for _ in 0..SEEDED {
            server
                .payments
                .charge(1250, "EUR".into(), "cus_1".into())
                .map_err(|refusal| anyhow::anyhow!("{refusal}"))?;
        }
    }
    let mut queries: Vec<(String, String)> = (1..=4)
        .map(|levels| (format!("{levels} × 8"), nested(levels, 8)))
        .collect();
    queries.push(("6 × 1".into(), too_deep()));
    let mut out = Vec::new();
    for (label, query) in queries {
        open.meter.take();
        let (_, response_bytes) = graphql_server::post(open.addr, &query).await?;
        let cost = open.meter.take();
        guarded.meter.take();
        let (answer, _) = graphql_server::post(guarded.addr, &query).await?;
        let guarded_error = answer["errors"][0]["message"].as_str().map(str::to_string);
        out.push(QueryCost {
            label,
            query,
            depth: cost.depth,
            complexity: cost.complexity,
            resolved: cost.resolved,
            response_bytes,
            guarded_error,
            guarded_resolved: guarded.meter.take().resolved,
        });
    }
    Ok(out)
}
// ANCHOR_END: costs

/// A message's `payload` as JSON, empty when it has none (or the close code).
fn payload(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(json) if json.get("payload").is_some() => json["payload"].to_string(),
        Ok(_) => String::new(),
        Err(_) => text.to_string(),
    }
}

/// Shortens `text` to `n` characters.
fn short(text: &str, n: usize) -> String {
    if text.chars().count() > n {
        format!("{}…", text.chars().take(n - 1).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The `graphql` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut report = Report::new(LAB, SCENARIO.name);
    let c = conversation(3).await?;
    let mut table = Table::new(
        "graphql-transport-ws on the wire (3 charges made over HTTP meanwhile)",
        &["#", "way", "type", "id", "bytes", "payload"],
    );
    for (i, m) in c.messages.iter().enumerate() {
        table.row([
            (i + 1).to_string(),
            match m.dir {
                Direction::ToServer => "→".to_string(),
                Direction::ToClient => "←".to_string(),
            },
            m.kind.clone(),
            m.id.clone().unwrap_or_else(|| "-".into()),
            m.wire_bytes.to_string(),
            short(&payload(&m.text), 40),
        ]);
    }
    table.note(format!(
        "charged {} ; pushed {}",
        c.charged.join(" "),
        c.pushed.join(" ")
    ));
    table.note("→ client to server (masked), ← server to client; bytes: the whole frame");
    report.table(table);
    let mut full = Table::new("Three of them in full", &["#", "the frame's text"]);
    let subscribe = c.messages.iter().position(|m| m.kind == "subscribe");
    let next = c.messages.iter().position(|m| m.kind == "next");
    let refused = c
        .messages
        .iter()
        .position(|m| m.id.as_deref() == Some("2") && m.dir == Direction::ToClient);
    for i in [subscribe, next, refused].into_iter().flatten() {
        full.row([(i + 1).to_string(), c.messages[i].text.clone()]);
    }
    report.table(full);

    let costs = costs().await?;
    let mut t = Table::new(
        format!(
            "What a query costs: {SEEDED} charges of one customer; limits depth {}, complexity {}",
            LIMITS.depth, LIMITS.complexity
        ),
        &[
            "levels × first",
            "depth",
            "complexity",
            "resolvers",
            "bytes",
            "with the limits",
        ],
    );
    for q in &costs {
        t.row([
            q.label.clone(),
            q.depth.to_string(),
            q.complexity.to_string(),
            q.resolved.to_string(),
            q.response_bytes.to_string(),
            q.guarded_error
                .clone()
                .unwrap_or_else(|| "answered".to_string()),
        ]);
    }
    t.note("a level is charges → customer → charges; first: how many charges each list asks");
    t.note("bytes: the JSON answer of the server without limits");
    if let Some(q) = costs.get(3) {
        t.note(format!(
            "the {} query is {} bytes of text; its answer is {} bytes",
            q.label,
            q.query.len(),
            q.response_bytes
        ));
    }
    t.note("a refused query resolves no field: validation runs before execution");
    report.table(t);

    let nexts = c
        .messages
        .iter()
        .filter(|m| m.kind == "next" && m.id.as_deref() == Some("1"))
        .count();
    report.value("charges", c.charged.len());
    report.value("next_on_subscription", nexts);
    report.value(
        "resolved",
        costs.iter().map(|q| q.resolved).collect::<Vec<_>>(),
    );
    report.value(
        "response_bytes",
        costs.iter().map(|q| q.response_bytes).collect::<Vec<_>>(),
    );
    Ok(report)
}
