//! Scenario `compare`: the same charge over every contender of the chapter
//! and over Chapter 1's REST and Chapter 2's gRPC, in one run, each through
//! labkit's recording proxy, so every number below is counted on the wire.
//!
//! For each protocol the scenario measures two things:
//!
//! - **one call on a new connection**: open, one charge, close. Bytes both
//!   ways over the connection's whole life (handshakes, the close), the TCP
//!   connections the proxy accepted, and the round trips;
//! - **a warm connection**: a client that has already made one call makes
//!   [`CALLS`] more; bytes per call and round trips per call.
//!
//! A *round trip* here is a turn on the wire: the client's bytes followed
//! by the server's ([`round_trips`]). A contender is a type that implements
//! [`Contender`] (open, charge, close); adding one to the table is an
//! implementation and a line in [`rows`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use lab_rest::baseline::Http1Conn;
use labkit::cli::Scenario;
use labkit::report::{BarChart, Report, Table};
use labkit::wire::{ConnRecord, Direction, Proxy};
use serde::Serialize;
use tokio_tungstenite::tungstenite::Message;

use crate::ledger::Ledger;
use crate::nats_client::{self, round_trip, run_prefix, url_of};
use crate::thrift_gen::{PaymentsSyncClient, PaymentsSyncProcessor};
use crate::thrift_service::{self, Protocol};
use crate::xmlrpc::{self, JSON_CALL};
use crate::{LAB, Lab, avro_rpc, jsonrpc_server, twirp_service};

/// The scenario, as `cargo run -p lab-contenders -- compare` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "compare",
    "All of them on one charge: bytes, connections and round trips, counted on the wire",
    "on a warm connection each takes one round trip per charge; the bytes differ tenfold",
);

/// Calls made on the warm connection, after the one that warmed it.
pub const CALLS: usize = 5;

/// The charge as JSON: Chapter 1's body, also NATS's payload here.
pub const JSON_BODY: &str = r#"{"amount_cents":1250,"currency":"EUR"}"#;

// ANCHOR: contender
/// One protocol's client, as the comparison drives it. `open` connects to
/// `addr` (a proxy) and does whatever handshake the protocol has; `charge`
/// sends the charge and waits for the answer; `close` hangs up the way the
/// protocol says to.
pub trait Contender {
    type Client;
    fn open(&self, addr: SocketAddr) -> impl Future<Output = anyhow::Result<Self::Client>>;
    fn charge(&self, client: &mut Self::Client) -> impl Future<Output = anyhow::Result<()>>;
    fn close(&self, client: Self::Client) -> impl Future<Output = anyhow::Result<()>> {
        drop(client);
        async { Ok(()) }
    }
}
// ANCHOR_END: contender

/// What the proxy counted for some calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counted {
    pub calls: usize,
    /// TCP connections the proxy accepted.
    pub connections: usize,
    pub to_server: u64,
    pub to_client: u64,
    /// Turns on the wire: the client's bytes, then the server's.
    pub round_trips: usize,
}

impl Counted {
    /// Bytes both ways.
    pub fn bytes(&self) -> u64 {
        self.to_server + self.to_client
    }

    /// Bytes both ways divided by the calls.
    pub fn bytes_per_call(&self) -> f64 {
        self.bytes() as f64 / self.calls as f64
    }
}

/// One row of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub name: &'static str,
    /// What carries the messages.
    pub over: &'static str,
    /// Open, one call, close.
    pub cold: Counted,
    /// [`CALLS`] calls on a connection that has made one already.
    pub warm: Counted,
    /// What the proxy recorded for the warm calls, connection by connection.
    #[serde(skip)]
    pub warm_recording: Vec<ConnRecord>,
}

// ANCHOR: count
/// Round trips in a recording: in each connection, the times a run of the
/// client's chunks is followed by the server's. A protocol in which the
/// server speaks first (NATS's INFO) does not count that greeting.
pub fn round_trips(conns: &[ConnRecord]) -> usize {
    conns
        .iter()
        .map(|c| {
            c.chunks
                .windows(2)
                .filter(|w| w[0].dir == Direction::ToServer && w[1].dir == Direction::ToClient)
                .count()
        })
        .sum()
}

/// What `proxy` recorded, for `calls` calls.
pub fn counted(proxy: &Proxy, calls: usize) -> Counted {
    Counted {
        calls,
        connections: proxy.connections_opened(),
        to_server: proxy.bytes(Direction::ToServer),
        to_client: proxy.bytes(Direction::ToClient),
        round_trips: round_trips(&proxy.recording()),
    }
}

/// Waits until the proxy has seen no new byte for 50 ms (at most 2 s), so
/// that an acknowledgement sent just after an answer lands on the right
/// side of a measurement.
pub async fn quiet(proxy: &Proxy) {
    let total = || proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient);
    let mut seen = total();
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = total();
        if now == seen {
            return;
        }
        seen = now;
    }
}

/// Measures `contender` against the server at `upstream`: one call on a
/// new connection, then [`CALLS`] calls on a warm one.
pub async fn measure<C: Contender>(
    name: &'static str,
    over: &'static str,
    contender: &C,
    upstream: SocketAddr,
) -> anyhow::Result<Row> {
    let proxy = Proxy::start(upstream).await?;
    let mut client = contender.open(proxy.addr()).await?;
    contender.charge(&mut client).await?;
    contender.close(client).await?;
    proxy.wait_closed(Duration::from_secs(5)).await;
    quiet(&proxy).await;
    let cold = counted(&proxy, 1);

    let proxy = Proxy::start(upstream).await?;
    let mut client = contender.open(proxy.addr()).await?;
    contender.charge(&mut client).await?;
    quiet(&proxy).await;
    proxy.reset();
    for _ in 0..CALLS {
        contender.charge(&mut client).await?;
    }
    quiet(&proxy).await;
    let warm = counted(&proxy, CALLS);
    let warm_recording = proxy.recording();
    contender.close(client).await?;
    Ok(Row {
        name,
        over,
        cold,
        warm,
        warm_recording,
    })
}
// ANCHOR_END: count

/// An HTTP/1.1 POST of a fixed body on one connection kept alive: REST,
/// Twirp, JSON-RPC, XML-RPC and Avro all look like this on the wire. The
/// connection is Chapter 1's hand-made one: a pooled client (reqwest) may
/// open a second connection when the first is slow to come back to its
/// pool, which is right for an application and wrong for counting.
pub struct Post {
    pub path: &'static str,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Contender for Post {
    type Client = (Http1Conn, SocketAddr);

    async fn open(&self, addr: SocketAddr) -> anyhow::Result<Self::Client> {
        Ok((Http1Conn::open(addr).await?, addr))
    }

    async fn charge(&self, (conn, addr): &mut Self::Client) -> anyhow::Result<()> {
        let mut request =
            lab_rest::baseline::request("POST", *addr, self.path, Some(self.body.clone()))?;
        request
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, self.content_type.parse()?);
        let answer = conn.send(request).await?;
        anyhow::ensure!(
            answer.status.is_success(),
            "POST {} answered {}: {}",
            self.path,
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
        Ok(())
    }
}

/// Chapter 2's gRPC client (tonic), one HTTP/2 connection.
pub struct Grpc;

type GrpcClient =
    lab_grpc::proto::v1::payment_service_client::PaymentServiceClient<tonic::transport::Channel>;

impl Contender for Grpc {
    type Client = GrpcClient;

    async fn open(&self, addr: SocketAddr) -> anyhow::Result<GrpcClient> {
        lab_grpc::client::payments(addr).await
    }

    async fn charge(&self, client: &mut GrpcClient) -> anyhow::Result<()> {
        let charge = lab_grpc::proto::v1::ChargeRequest {
            amount_cents: 1_250,
            currency: "EUR".into(),
            ..Default::default()
        };
        client.charge(charge).await?;
        Ok(())
    }
}

/// A synchronous Thrift client, moved to a blocking thread for each call.
type ThriftClient = Box<dyn crate::thrift_gen::TPaymentsSyncClient + Send>;

/// Thrift's `Payments.charge` over TCP, framed transport, in `protocol`.
pub struct Thrift(pub Protocol);

// ANCHOR: thrift
impl Contender for Thrift {
    type Client = Option<ThriftClient>;

    async fn open(&self, addr: SocketAddr) -> anyhow::Result<Self::Client> {
        use thrift::protocol::{
            TBinaryInputProtocol, TBinaryOutputProtocol, TCompactInputProtocol,
            TCompactOutputProtocol,
        };
        use thrift::transport::{TFramedReadTransport, TFramedWriteTransport, TIoChannel};
        let stream = tokio::net::TcpStream::connect(addr).await?.into_std()?;
        stream.set_nonblocking(false)?;
        let (read, write) = thrift::transport::TTcpChannel::with_stream(stream).split()?;
        let (read, write) = (
            TFramedReadTransport::new(read),
            TFramedWriteTransport::new(write),
        );
        Ok(Some(match self.0 {
            Protocol::Binary => Box::new(PaymentsSyncClient::new(
                TBinaryInputProtocol::new(read, true),
                TBinaryOutputProtocol::new(write, true),
            )),
            Protocol::Compact => Box::new(PaymentsSyncClient::new(
                TCompactInputProtocol::new(read),
                TCompactOutputProtocol::new(write),
            )),
        }))
    }

    async fn charge(&self, client: &mut Self::Client) -> anyhow::Result<()> {
        let mut taken = client.take().expect("a Thrift client between calls");
        let (back, result) = tokio::task::spawn_blocking(move || {
            let r = taken.charge(thrift_service::request());
            (taken, r)
        })
        .await?;
        *client = Some(back);
        result?;
        Ok(())
    }
}
// ANCHOR_END: thrift

/// Serves `connections` Thrift connections one after the other, framed,
/// in `protocol`, on a blocking thread; returns the server's address.
pub fn thrift_server(protocol: Protocol, connections: usize) -> anyhow::Result<SocketAddr> {
    use thrift::protocol::{
        TBinaryInputProtocol, TBinaryOutputProtocol, TCompactInputProtocol, TCompactOutputProtocol,
    };
    use thrift::server::TProcessor;
    use thrift::transport::{TFramedReadTransport, TFramedWriteTransport, TIoChannel};
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let processor = PaymentsSyncProcessor::new(thrift_service::Handler(Arc::new(Ledger::new())));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(stream) = stream else { continue };
            let Ok((read, write)) = thrift::transport::TTcpChannel::with_stream(stream).split()
            else {
                continue;
            };
            let (read, write) = (
                TFramedReadTransport::new(read),
                TFramedWriteTransport::new(write),
            );
            match protocol {
                Protocol::Binary => {
                    let mut i = TBinaryInputProtocol::new(read, true);
                    let mut o = TBinaryOutputProtocol::new(write, true);
                    while processor.process(&mut i, &mut o).is_ok() {}
                }
                Protocol::Compact => {
                    let mut i = TCompactInputProtocol::new(read);
                    let mut o = TCompactOutputProtocol::new(write);
                    while processor.process(&mut i, &mut o).is_ok() {}
                }
            }
        }
    });
    Ok(addr)
}

/// JSON-RPC 2.0 in WebSocket text frames, one connection.
pub struct JsonRpcWebSocket;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

impl Contender for JsonRpcWebSocket {
    type Client = Ws;

    async fn open(&self, addr: SocketAddr) -> anyhow::Result<Ws> {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await?;
        Ok(ws)
    }

    async fn charge(&self, ws: &mut Ws) -> anyhow::Result<()> {
        ws.send(Message::text(JSON_CALL)).await?;
        match ws.next().await {
            Some(Ok(Message::Text(answer))) if answer.contains("\"result\"") => Ok(()),
            other => anyhow::bail!("the WebSocket answered {other:?}"),
        }
    }

    async fn close(&self, mut ws: Ws) -> anyhow::Result<()> {
        ws.close(None).await?;
        while ws.next().await.is_some() {}
        Ok(())
    }
}

/// The charge as a GraphQL mutation.
pub const MUTATION: &str =
    r#"mutation { charge(amountCents: 1250, currency: "EUR") { id amountCents currency } }"#;

/// GraphQL over a WebSocket (graphql-transport-ws): `connection_init` and
/// its `connection_ack` when the socket opens, then each charge is a
/// `subscribe` carrying the mutation, answered by `next` and `complete`.
pub struct GraphqlWebSocket;

impl Contender for GraphqlWebSocket {
    type Client = Ws;

    async fn open(&self, addr: SocketAddr) -> anyhow::Result<Ws> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut request = format!("ws://{addr}/ws").into_client_request()?;
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse()?);
        let (mut ws, _) = tokio_tungstenite::connect_async(request).await?;
        ws.send(Message::text(r#"{"type":"connection_init"}"#))
            .await?;
        graphql_expect(&mut ws, "connection_ack").await?;
        Ok(ws)
    }

    async fn charge(&self, ws: &mut Ws) -> anyhow::Result<()> {
        let subscribe = serde_json::json!({
            "type": "subscribe", "id": "1", "payload": { "query": MUTATION }
        });
        ws.send(Message::text(subscribe.to_string())).await?;
        graphql_expect(ws, "next").await?;
        graphql_expect(ws, "complete").await?;
        Ok(())
    }

    async fn close(&self, ws: Ws) -> anyhow::Result<()> {
        JsonRpcWebSocket.close(ws).await
    }
}

/// The next graphql-transport-ws message, which must be of type `kind`.
async fn graphql_expect(ws: &mut Ws, kind: &str) -> anyhow::Result<()> {
    match nats_client::within_10s(ws.next()).await? {
        Some(Ok(Message::Text(text))) => {
            let message: serde_json::Value = serde_json::from_str(&text)?;
            anyhow::ensure!(message["type"] == kind, "expected {kind}, got {message}");
            Ok(())
        }
        other => anyhow::bail!("expected {kind}, got {other:?}"),
    }
}

/// NATS request/reply with a JSON payload; the responder sits on another
/// connection to the same server.
pub struct NatsRequest {
    pub subject: String,
}

impl Contender for NatsRequest {
    type Client = async_nats::Client;

    async fn open(&self, addr: SocketAddr) -> anyhow::Result<async_nats::Client> {
        nats_client::connect(&url_of(addr)).await
    }

    async fn charge(&self, client: &mut async_nats::Client) -> anyhow::Result<()> {
        let answer =
            nats_client::within_10s(client.request(self.subject.clone(), JSON_BODY.into()))
                .await??;
        anyhow::ensure!(
            answer.payload.starts_with(b"{\"charge_id\""),
            "the responder answered {:?}",
            answer.payload
        );
        Ok(())
    }

    async fn close(&self, client: async_nats::Client) -> anyhow::Result<()> {
        client.drain().await?;
        Ok(())
    }
}

/// A NATS responder charging a ledger for each request on `subject`, on a
/// connection through its own proxy (the bytes of the second leg).
pub async fn nats_responder(
    server: SocketAddr,
    subject: &str,
) -> anyhow::Result<(Proxy, tokio::task::JoinHandle<()>)> {
    let proxy = Proxy::start(server).await?;
    let responder = nats_client::connect(&url_of(proxy.addr())).await?;
    let mut requests = responder.subscribe(subject.to_string()).await?;
    round_trip(&responder).await?;
    let ledger = Ledger::new();
    let task = tokio::spawn(async move {
        while let Some(request) = requests.next().await {
            let Some(inbox) = request.reply else { continue };
            let answer = serde_json::from_slice::<domain::ChargeRequest>(&request.payload)
                .map_err(|e| e.to_string())
                .and_then(|asked| ledger.charge(&asked).map_err(|r| r.to_string()))
                .map(|charge| serde_json::to_vec(&charge).unwrap_or_default())
                .unwrap_or_else(|e| e.into_bytes());
            if responder.publish(inbox, answer.into()).await.is_err() {
                break;
            }
            let _ = responder.flush().await;
        }
    });
    Ok((proxy, task))
}

/// An XML-RPC server over the ledger (`xmlrpc::answer`), until dropped.
async fn xmlrpc_server() -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let ledger = Arc::new(Ledger::new());
    let app = axum::Router::new().route(
        "/RPC2",
        axum::routing::post(move |body: String| async move {
            (
                [(axum::http::header::CONTENT_TYPE, "text/xml")],
                xmlrpc::answer(&ledger, &body),
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((addr, task))
}

/// Aborts a background task when dropped.
struct Stop(tokio::task::JoinHandle<()>);

impl Drop for Stop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Every row, each protocol against a server of its own, plus the bytes
/// per call the NATS responder's connection carried (the second leg).
pub struct Comparison {
    pub rows: Vec<Row>,
    pub nats_responder_bytes_per_call: f64,
}

// ANCHOR: rows
/// Measures every protocol, one after the other, on the same charge.
pub async fn rows(lab: &Lab) -> anyhow::Result<Comparison> {
    let mut rows = Vec::new();

    let rest = lab_rest::server::spawn_local().await?;
    let post = |path, content_type, body: &[u8]| Post {
        path,
        content_type,
        body: body.to_vec(),
    };
    let json = post("/charges", "application/json", JSON_BODY.as_bytes());
    rows.push(measure("REST + JSON (ch. 1)", "HTTP/1.1", &json, rest.addr).await?);

    let grpc = lab_grpc::server::spawn(Default::default()).await?;
    rows.push(measure("gRPC (ch. 2)", "HTTP/2", &Grpc, grpc.addr).await?);

    for (name, protocol) in [
        ("Thrift binary, framed", Protocol::Binary),
        ("Thrift compact, framed", Protocol::Compact),
    ] {
        let server = thrift_server(protocol, 2)?;
        rows.push(measure(name, "TCP", &Thrift(protocol), server).await?);
    }

    let avro = avro_rpc::spawn().await?;
    let call = post(
        avro_rpc::PATH,
        "avro/binary",
        &avro_rpc::request(1_250, "EUR")?,
    );
    rows.push(measure("Avro RPC", "HTTP/1.1", &call, avro.addr).await?);

    let nats = lab.nats().await?;
    let subject = format!("{}.charge", run_prefix("compare"));
    let (responder_proxy, responder) = nats_responder(nats.addr(), &subject).await?;
    let _responder = Stop(responder);
    responder_proxy.reset();
    let nats_row = measure(
        "NATS request/reply",
        "NATS",
        &NatsRequest { subject },
        nats.addr(),
    )
    .await?;
    // The responder answered 2 + CALLS requests (cold, warm-up, warm).
    let responder_bytes =
        responder_proxy.bytes(Direction::ToServer) + responder_proxy.bytes(Direction::ToClient);
    rows.push(nats_row);

    let twirp = twirp_service::spawn().await?;
    let request = prost::Message::encode_to_vec(&crate::twirp_gen::ChargeRequest {
        amount_cents: 1_250,
        currency: "EUR".into(),
    });
    let twirp_pb = post(twirp_service::CHARGE_PATH, "application/protobuf", &request);
    rows.push(measure("Twirp, protobuf", "HTTP/1.1", &twirp_pb, twirp.addr).await?);
    let twirp_json = post(
        twirp_service::CHARGE_PATH,
        "application/json",
        JSON_BODY.as_bytes(),
    );
    rows.push(measure("Twirp, JSON", "HTTP/1.1", &twirp_json, twirp.addr).await?);

    let jsonrpc = jsonrpc_server::spawn(Arc::new(Ledger::new())).await?;
    let call = post("/rpc", "application/json", JSON_CALL.as_bytes());
    rows.push(measure("JSON-RPC over HTTP", "HTTP/1.1", &call, jsonrpc.addr).await?);
    rows.push(
        measure(
            "JSON-RPC over WebSocket",
            "WebSocket",
            &JsonRpcWebSocket,
            jsonrpc.addr,
        )
        .await?,
    );

    let graphql = crate::graphql_server::spawn(None).await?;
    let body = serde_json::json!({ "query": MUTATION }).to_string();
    let call = post("/graphql", "application/json", body.as_bytes());
    rows.push(measure("GraphQL over HTTP", "HTTP/1.1", &call, graphql.addr).await?);
    rows.push(
        measure(
            "GraphQL over WebSocket",
            "WebSocket",
            &GraphqlWebSocket,
            graphql.addr,
        )
        .await?,
    );

    let (xml_addr, xml_task) = xmlrpc_server().await?;
    let _xml = Stop(xml_task);
    let call = post("/RPC2", "text/xml", xmlrpc::CALL.as_bytes());
    rows.push(measure("XML-RPC", "HTTP/1.1", &call, xml_addr).await?);

    Ok(Comparison {
        rows,
        nats_responder_bytes_per_call: responder_bytes as f64 / (CALLS + 2) as f64,
    })
}
// ANCHOR_END: rows

/// The `compare` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let c = rows(lab).await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut t = Table::new(
        "The charge over each protocol, counted by labkit's proxy",
        &[
            "protocol", "over", "TCP", "bytes", "RTs", "warm", "→", "←", "RTs",
        ],
    );
    let per_call = |n: u64| format!("{:.0}", n as f64 / CALLS as f64);
    for r in &c.rows {
        t.row([
            r.name.to_string(),
            r.over.to_string(),
            r.cold.connections.to_string(),
            r.cold.bytes().to_string(),
            r.cold.round_trips.to_string(),
            format!("{:.0}", r.warm.bytes_per_call()),
            per_call(r.warm.to_server),
            per_call(r.warm.to_client),
            per_call(r.warm.round_trips as u64),
        ]);
    }
    t.note("TCP, bytes, RTs: one charge on a new connection, from open to close");
    t.note(format!(
        "warm, →, ←, RTs: per charge, {CALLS} charges on a connection in use"
    ));
    t.note("RTs: round trips, the client's bytes followed by the server's");
    t.note(format!(
        "NATS: the responder's own connection carries another {:.0} bytes per call",
        c.nats_responder_bytes_per_call
    ));
    report.table(t);

    let chart = BarChart::new("One charge, bytes on the wire, both directions", "bytes")
        .categories(c.rows.iter().map(|r| r.name))
        .series(
            "new connection: open, one call, close",
            c.rows.iter().map(|r| r.cold.bytes() as f64),
        )
        .series(
            format!("per call on a warm connection ({CALLS} calls)"),
            c.rows.iter().map(|r| r.warm.bytes_per_call()),
        );
    report.chart("bytes", chart.to_svg());
    report.value("rows", &c.rows);
    report.value(
        "nats_responder_bytes_per_call",
        c.nats_responder_bytes_per_call,
    );
    Ok(report)
}
