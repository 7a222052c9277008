//! Scenario `caching`: revalidating with an `ETag` saves the body's bytes.
//!
//! A client that already holds a page asks "has it changed?" with
//! `If-None-Match`. While it has not, the answer is `304 Not Modified` and
//! carries no body. After an edit the ETag differs and the page comes whole.

use anyhow::Context;
use http::header::{ETAG, IF_NONE_MATCH};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy, http1};

use crate::Lab;
use crate::client::{self, Http1Conn};
use crate::target::Target;

/// The scenario, as `cargo run -p lab-rest -- caching` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "caching",
    "ETag revalidation: a 304 answer instead of the whole page",
    "the response body bytes of the second request",
);

/// One GET of the product page, as seen on the wire.
#[derive(Debug, Clone)]
pub struct Fetch {
    pub what: &'static str,
    pub status: u16,
    pub response_head: usize,
    pub response_body: usize,
}

// ANCHOR: revalidate
/// Fetches product `id` three times on one connection: plain, revalidated
/// while unchanged, and revalidated after an edit.
pub async fn fetches(target: &Target, id: u64) -> anyhow::Result<Vec<Fetch>> {
    let proxy = Proxy::start(target.addr()).await?;
    let mut conn = Http1Conn::open(proxy.addr()).await?;
    let path = format!("/products/{id}");

    let first = conn.get(proxy.addr(), &path).await?;
    let etag = first
        .headers
        .get(ETAG)
        .cloned()
        .context("the page came without an ETag")?;
    let mut statuses = vec![first.status];

    for edit_first in [false, true] {
        if edit_first {
            let revise = format!("/products/{id}/revise");
            conn.send(client::request("POST", proxy.addr(), &revise, None)?)
                .await?;
        }
        let mut get = client::request("GET", proxy.addr(), &path, None)?;
        get.headers_mut().insert(IF_NONE_MATCH, etag.clone());
        statuses.push(conn.send(get).await?.status);
    }
    // ANCHOR_END: revalidate

    let recording = proxy.recording();
    let seen = recording.first().context("the proxy saw no connection")?;
    let methods = ["GET", "GET", "POST", "GET"];
    let responses =
        http1::parse_responses_to(&seen.stream(Direction::ToClient), &methods).complete()?;
    if responses.len() != 4 {
        anyhow::bail!(
            "expected 4 responses on the connection, the decoder found {}",
            responses.len()
        );
    }
    // Leave out the answer to the edit (the POST): keep the three GETs.
    let responses = [&responses[0], &responses[1], &responses[3]];
    let names = [
        "first GET",
        "revalidate, unchanged",
        "revalidate, after an edit",
    ];
    Ok(names
        .iter()
        .zip(statuses)
        .zip(responses)
        .map(|((what, status), resp)| Fetch {
            what,
            status: status.as_u16(),
            response_head: resp.head_len,
            response_body: resp.body_len,
        })
        .collect())
}

/// The `caching` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let target = lab.server();
    let fetches = fetches(target, 42).await?;
    let mut table = Table::new(
        "GET /products/42 three times on one connection",
        &["request", "status", "response head", "response body"],
    );
    for f in &fetches {
        table.row([
            f.what.to_string(),
            f.status.to_string(),
            f.response_head.to_string(),
            f.response_body.to_string(),
        ]);
    }
    table.note(
        "a 304 costs a head and no body; every cache between client and server can answer it too",
    );
    let mut report = Report::new(crate::LAB, "caching");
    report.table(table);
    report.value(
        "bytes_saved_by_304",
        fetches[0].response_body as i64 - fetches[1].response_body as i64,
    );
    Ok(report)
}
