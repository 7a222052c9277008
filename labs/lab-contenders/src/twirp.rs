//! Scenario `twirp`: the same `.proto` served over HTTP/1.1 with protobuf
//! and with JSON bodies (the JSON call made with curl when it is
//! installed), Twirp's error body, and calls spread by an ordinary TCP load
//! balancer one connection at a time.

use lab_grpc::l4::L4Balancer;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};

use crate::twirp_service::{self, CHARGE_PATH};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- twirp` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "twirp",
    "Twirp: one .proto over HTTP/1.1, protobuf and JSON bodies, its errors, behind a TCP balancer",
    "a Twirp call is an ordinary POST: curl can make one, any HTTP proxy can carry it",
);

/// One HTTP exchange as the proxy saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub status: u16,
    pub content_type: String,
    pub request_bytes: u64,
    pub response_bytes: u64,
    /// The response body, as text when it is JSON, else its length.
    pub body: String,
}

/// The status line's code and the Content-Type of an HTTP/1.1 response.
fn head_of(response: &[u8]) -> (u16, String) {
    let text = String::from_utf8_lossy(response);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let content_type = text
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-type")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_default();
    (status, content_type)
}

/// What the proxy recorded on its only connection.
fn seen(proxy: &Proxy) -> Seen {
    let conn = proxy.recording().into_iter().next();
    let response = conn
        .map(|c| c.stream(Direction::ToClient))
        .unwrap_or_default();
    let (status, content_type) = head_of(&response);
    let body_at = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(0, |p| p + 4);
    let body = &response[body_at..];
    Seen {
        status,
        body: if content_type.contains("json") {
            String::from_utf8_lossy(body).into_owned()
        } else {
            format!("({} bytes of protobuf)", body.len())
        },
        content_type,
        request_bytes: proxy.bytes(Direction::ToServer),
        response_bytes: proxy.bytes(Direction::ToClient),
    }
}

/// One charge with the generated client, which sends protobuf.
pub async fn protobuf_call() -> anyhow::Result<Seen> {
    let server = twirp_service::spawn().await?;
    let proxy = Proxy::start(server.addr).await?;
    let client = twirp_service::client(proxy.addr())?;
    twirp_service::charge(&client, 1_250).await?;
    drop(client);
    Ok(seen(&proxy))
}

// ANCHOR: json
/// POSTs `body` as JSON to the Charge route, with curl when it is on the
/// PATH (as a reader would type it), else with reqwest. Returns what the
/// proxy saw and which client made the call.
pub async fn json_call(body: &str) -> anyhow::Result<(Seen, &'static str)> {
    let server = twirp_service::spawn().await?;
    let proxy = Proxy::start(server.addr).await?;
    let url = format!("http://{}{CHARGE_PATH}", proxy.addr());
    let curl = tokio::process::Command::new("curl")
        .args(["-s", "-X", "POST", "-H", "Content-Type: application/json"])
        .args(["-d", body, &url])
        .output()
        .await;
    let made_by = match curl {
        Ok(out) if out.status.success() => "curl",
        _ => {
            reqwest::Client::new()
                .post(&url)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await?
                .bytes()
                .await?;
            "reqwest"
        }
    };
    Ok((seen(&proxy), made_by))
}
// ANCHOR_END: json

/// Calls that each of two backends took behind a round-robin TCP balancer.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub clients: usize,
    pub calls_per_client: usize,
    pub per_backend: Vec<usize>,
}

// ANCHOR: balance
/// `clients` clients, each with its own keep-alive connection, make
/// `calls_per_client` charges through a TCP balancer in front of two Twirp
/// servers; each server's ledger counts what it took.
pub async fn through_balancer(clients: usize, calls_per_client: usize) -> anyhow::Result<Spread> {
    let backends = [twirp_service::spawn().await?, twirp_service::spawn().await?];
    let balancer = L4Balancer::start(backends.iter().map(|b| b.addr).collect()).await?;
    for _ in 0..clients {
        let client = twirp_service::client(balancer.addr())?;
        for _ in 0..calls_per_client {
            twirp_service::charge(&client, 1_250).await?;
        }
    }
    Ok(Spread {
        clients,
        calls_per_client,
        per_backend: backends.iter().map(|b| b.ledger.count()).collect(),
    })
}
// ANCHOR_END: balance

/// The `twirp` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut report = Report::new(LAB, SCENARIO.name);
    let pb = protobuf_call().await?;
    let (json, made_by) = json_call(r#"{"amount_cents":1250,"currency":"EUR"}"#).await?;
    let (refused, _) = json_call(r#"{"amount_cents":-5,"currency":"EUR"}"#).await?;
    let mut t = Table::new(
        format!("POST {CHARGE_PATH}"),
        &[
            "body",
            "HTTP",
            "request bytes",
            "response bytes",
            "response body",
        ],
    );
    t.row([
        "protobuf (generated client)".to_string(),
        pb.status.to_string(),
        pb.request_bytes.to_string(),
        pb.response_bytes.to_string(),
        pb.body.clone(),
    ]);
    t.row([
        format!("JSON ({made_by})"),
        json.status.to_string(),
        json.request_bytes.to_string(),
        json.response_bytes.to_string(),
        json.body.clone(),
    ]);
    t.row([
        format!("JSON, amount -5 ({made_by})"),
        refused.status.to_string(),
        refused.request_bytes.to_string(),
        refused.response_bytes.to_string(),
        refused.body.clone(),
    ]);
    t.note("bytes include the HTTP/1.1 headers each way; one connection per row");
    report.table(t);

    let one = through_balancer(1, 10).await?;
    let four = through_balancer(4, 5).await?;
    let mut t = Table::new(
        "Twirp behind a round-robin TCP balancer, two backends",
        &["clients", "calls each", "backend A", "backend B"],
    );
    for s in [&one, &four] {
        t.row([
            s.clients.to_string(),
            s.calls_per_client.to_string(),
            s.per_backend[0].to_string(),
            s.per_backend[1].to_string(),
        ]);
    }
    t.note("a TCP balancer picks a backend per connection; each client keeps one alive");
    report.table(t);
    report.value("protobuf_request_bytes", pb.request_bytes);
    report.value("json_request_bytes", json.request_bytes);
    Ok(report)
}
