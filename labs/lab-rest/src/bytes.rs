//! Scenario `bytes`: what one HTTP/1.1 request and its response weigh.
//!
//! The client sends a sensor reading and fetches one back, through labkit's
//! proxy, which records every byte. The HTTP/1.1 decoder then splits each
//! message into its head (start line and headers) and its body, so the
//! overhead is measured, not quoted.

use anyhow::{Context, bail};
use domain::Reading;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy, http1};

use crate::Lab;
use crate::client::{self, Http1Conn};
use crate::target::Target;

/// The scenario, as `cargo run -p lab-rest -- bytes` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "bytes",
    "the bytes of one HTTP/1.1 request and response, heads against bodies",
    "how much of each exchange is headers; the reading itself is the small part",
);

/// The sizes of one request/response exchange, as seen on the wire.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub what: &'static str,
    pub request_head: usize,
    pub request_body: usize,
    pub response_head: usize,
    pub response_body: usize,
    /// The request's start line and headers, as sent.
    pub request_head_text: String,
}

impl Exchange {
    /// All bytes of the exchange, both ways.
    pub fn total(&self) -> usize {
        self.request_head + self.request_body + self.response_head + self.response_body
    }

    /// The share of the exchange that is heads, not payload.
    pub fn head_share(&self) -> f64 {
        (self.request_head + self.response_head) as f64 / self.total() as f64
    }
}

// ANCHOR: measure
/// Uploads one reading (`POST /readings`) and fetches one (`GET /readings/7`)
/// on one kept-alive connection through a recording proxy, and decodes what
/// crossed the wire.
pub async fn measure(target: &Target) -> anyhow::Result<Vec<Exchange>> {
    let proxy = Proxy::start(target.addr()).await?;
    let mut conn = Http1Conn::open(proxy.addr()).await?;
    let reading = serde_json::to_vec(&Reading::sample(7))?;
    conn.send(client::request(
        "POST",
        proxy.addr(),
        "/readings",
        Some(reading),
    )?)
    .await
    .context("POST /readings")?;
    conn.get(proxy.addr(), "/readings/7")
        .await
        .context("GET /readings/7")?;

    let recording = proxy.recording();
    let conn = recording.first().context("the proxy saw no connection")?;
    let sent = conn.stream(Direction::ToServer);
    let requests = http1::parse_requests(&sent).complete()?;
    let responses = http1::parse_responses(&conn.stream(Direction::ToClient)).complete()?;
    if requests.len() != 2 || responses.len() != 2 {
        bail!(
            "expected 2 requests and 2 responses on one connection, the decoder found {} and {}",
            requests.len(),
            responses.len()
        );
    }
    let names = ["POST a reading", "GET a reading"];
    Ok(names
        .iter()
        .zip(requests.iter().zip(&responses))
        .map(|(what, (req, resp))| Exchange {
            what,
            request_head: req.head_len,
            request_body: req.body_len,
            response_head: resp.head_len,
            response_body: resp.body_len,
            request_head_text: String::from_utf8_lossy(
                &sent[req.offset..req.offset + req.head_len],
            )
            .into_owned(),
        })
        .collect())
}
// ANCHOR_END: measure

/// The `bytes` scenario: the measurement above, as a report.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let target = lab.server();
    let exchanges = measure(target).await?;
    let mut table = Table::new(
        "One exchange, byte by byte (HTTP/1.1, as recorded by the proxy)",
        &[
            "exchange",
            "req head",
            "req body",
            "resp head",
            "resp body",
            "heads share",
        ],
    );
    for x in &exchanges {
        table.row([
            x.what.to_string(),
            x.request_head.to_string(),
            x.request_body.to_string(),
            x.response_head.to_string(),
            x.response_body.to_string(),
            format!("{:.0}%", 100.0 * x.head_share()),
        ]);
    }
    let reading_json = serde_json::to_vec(&Reading::sample(7))?.len();
    table.note(format!(
        "the reading itself is {reading_json} bytes of JSON; the request that carries it is {} bytes",
        exchanges[0].request_head + exchanges[0].request_body
    ));
    let mut report = Report::new(crate::LAB, "bytes");
    let mut head = Table::new(
        "The head of the POST, exactly as the client sent it",
        &["line"],
    );
    for line in exchanges[0]
        .request_head_text
        .lines()
        .filter(|l| !l.is_empty())
    {
        head.row([line]);
    }
    report.table(head);
    report.table(table);
    for x in &exchanges {
        report.value(
            &x.what.to_lowercase().replace(' ', "_"),
            serde_json::json!({
                "request_head": x.request_head, "request_body": x.request_body,
                "response_head": x.response_head, "response_body": x.response_body,
            }),
        );
    }
    Ok(report)
}
