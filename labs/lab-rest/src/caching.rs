//! Scenario `caching`: revalidating with an `ETag` saves the body's bytes.
//!
//! A client that already holds a page asks "has it changed?" with
//! `If-None-Match`. While it has not, the answer is `304 Not Modified` and
//! carries no body. After an edit the ETag differs and the page comes whole.

use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy, http1};
use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_NONE_MATCH};

use crate::client::{self, failed};
use crate::target::Target;

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
    let http = client::kept_alive();
    let url = format!("{}/products/{id}", client::base(proxy.addr()));

    let first = http.get(&url).send().await.map_err(|e| failed("GET", e))?;
    let etag = first.headers().get(ETAG).cloned();
    first.bytes().await.map_err(|e| failed("reading the page", e))?;
    let mut statuses = vec![StatusCode::OK];

    for edit_first in [false, true] {
        if edit_first {
            let revise = format!("http://{}/products/{id}/revise", target.addr());
            http.post(revise).send().await.map_err(|e| failed("POST revise", e))?;
        }
        let mut get = http.get(&url);
        if let Some(etag) = &etag {
            get = get.header(IF_NONE_MATCH, etag);
        }
        let answer = get.send().await.map_err(|e| failed("GET", e))?;
        statuses.push(answer.status());
        answer.bytes().await.map_err(|e| failed("reading the page", e))?;
    }
    // ANCHOR_END: revalidate

    let recording = proxy.recording();
    let conn = recording.first().ok_or_else(|| anyhow::anyhow!("the proxy saw no connection"))?;
    let responses = http1::parse_responses(&conn.stream(Direction::ToClient)).complete()?;
    let names = ["first GET", "revalidate, unchanged", "revalidate, after an edit"];
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
pub async fn run(target: &Target) -> anyhow::Result<Report> {
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
    table.note("a 304 costs a head and no body; every cache between client and server can answer it too");
    let mut report = Report::new(crate::LAB, "caching");
    report.table(table);
    report.value(
        "bytes_saved_by_304",
        fetches[0].response_body as i64 - fetches[1].response_body as i64,
    );
    Ok(report)
}
