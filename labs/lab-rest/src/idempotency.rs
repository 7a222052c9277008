//! Scenario `idempotency`: a POST retried after the connection broke.
//!
//! The proxy lets the request reach the server, which charges the card, and
//! then cuts the connection before the answer gets back. The client sees
//! only an error and retries — the only sensible thing it can do. Without an
//! idempotency key the retry charges a second time; with one, the server
//! recognises the retry and replays its first answer.

use anyhow::{Context, anyhow};
use domain::{Charge, ChargeRequest};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};

use crate::Lab;
use crate::client::{self, failed};
use crate::target::Target;

/// The scenario, as `cargo run -p lab-rest -- idempotency` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "idempotency",
    "a POST retried after the proxy cut the connection, with and without a key",
    "the number of charges the same failure makes",
);

/// What a charge with retries came to.
#[derive(Debug, Clone)]
pub struct Retried {
    pub with_key: bool,
    pub attempts: usize,
    /// Why the first attempt failed, as the client saw it.
    pub first_error: String,
    /// How many charges the server's ledger gained.
    pub charges_made: usize,
    pub answer: Charge,
}

// ANCHOR: post_with_retry
/// Sends `POST /charges`, retrying on a broken connection up to 3 times.
/// With `key`, every attempt carries the same `Idempotency-Key` header.
pub async fn post_with_retry(
    http: &reqwest::Client,
    url: &str,
    key: Option<&str>,
    request: &ChargeRequest,
) -> anyhow::Result<(Charge, usize, Vec<String>)> {
    let mut errors = Vec::new();
    // ANCHOR: same_key
    for attempt in 1..=3 {
        let mut post = http.post(url).json(request);
        if let Some(key) = key {
            post = post.header("Idempotency-Key", key);
        }
        match post.send().await {
            // ANCHOR_END: same_key
            Ok(answer) => {
                let answer = answer
                    .error_for_status()
                    .map_err(|e| failed("POST /charges", e))?;
                let charge = answer
                    .json()
                    .await
                    .map_err(|e| failed("decoding the charge", e))?;
                return Ok((charge, attempt, errors));
            }
            // ANCHOR: retry_on_error
            // The request may or may not have reached the server: retry.
            Err(e) => errors.push(client::why(&e)),
            // ANCHOR_END: retry_on_error
        }
    }
    Err(anyhow!(
        "POST /charges failed 3 times: {}",
        errors.join("; ")
    ))
}
// ANCHOR_END: post_with_retry

// ANCHOR: cut
/// A proxy in front of the server that lets the next request through, then
/// drops the server's answer and closes the connection.
async fn losing_the_next_answer(target: &Target) -> anyhow::Result<Proxy> {
    let proxy = Proxy::start(target.addr()).await?;
    proxy.faults().cut_on_next(Direction::ToClient);
    Ok(proxy)
}
// ANCHOR_END: cut

/// Charges once through a proxy that loses the first answer.
pub async fn charge_through_cut(target: &Target, with_key: bool) -> anyhow::Result<Retried> {
    let ledger_url = format!("http://{}/charges", target.addr());
    let http = client::pooled();
    let before = ledger_size(&http, &ledger_url).await?;
    let proxy = losing_the_next_answer(target).await?;
    let key = format!("order-{}-{}", std::process::id(), domain::now_us());
    let request = ChargeRequest {
        amount_cents: 4_200,
        currency: "EUR".into(),
    };
    let url = format!("{}/charges", client::base(proxy.addr()));
    let (answer, attempts, errors) =
        post_with_retry(&http, &url, with_key.then_some(key.as_str()), &request).await?;

    let after = ledger_size(&http, &ledger_url).await?;
    Ok(Retried {
        with_key,
        attempts,
        first_error: errors
            .first()
            .cloned()
            .context("the proxy did not cut the first attempt")?,
        charges_made: after - before,
        answer,
    })
}

async fn ledger_size(http: &reqwest::Client, url: &str) -> anyhow::Result<usize> {
    let charges: Vec<Charge> = http
        .get(url)
        .send()
        .await
        .map_err(|e| failed("GET /charges", e))?
        .json()
        .await
        .map_err(|e| failed("decoding the ledger", e))?;
    Ok(charges.len())
}

/// The `idempotency` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let target = lab.server();
    let without = charge_through_cut(target, false).await?;
    let with = charge_through_cut(target, true).await?;
    let mut table = Table::new(
        "POST /charges for 42.00 EUR; the proxy cuts the connection after the server charged",
        &["client", "attempts", "charges made", "first attempt saw"],
    );
    for r in [&without, &with] {
        table.row([
            if r.with_key {
                "with Idempotency-Key"
            } else {
                "no key"
            }
            .to_string(),
            r.attempts.to_string(),
            r.charges_made.to_string(),
            r.first_error.clone(),
        ]);
    }
    table.note(
        "same network failure, same retry; only the key decides whether the customer pays twice",
    );
    let mut report = Report::new(crate::LAB, "idempotency");
    report.table(table);
    report.value("charges_without_key", without.charges_made);
    report.value("charges_with_key", with.charges_made);
    Ok(report)
}
