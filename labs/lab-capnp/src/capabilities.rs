//! Scenario `capabilities`: what a client may call, and the errors it gets
//! when it tries more.
//!
//! Three attempts against the lab's bank, each answered by the real
//! capnp-rpc server:
//!
//! - a hand-written client names an account by a number it was never
//!   handed (import id 7): the server ends the connection;
//! - a client holding a read-only view of an account tries to deposit;
//! - a client holding a lent account keeps calling after the loan is revoked.

use std::time::Duration;

use capnp::message::{Builder, ReaderOptions};
use capnp::serialize;
use capnp_rpc::rpc_capnp::message;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::capnp::Messages;
use labkit::wire::{Decoder, Proxy, Unit};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::Lab;
use crate::schema::bank_capnp::{account, bank};

/// The scenario, as `cargo run -p lab-capnp -- capabilities` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "capabilities",
    "forged, attenuated and revoked capabilities, and the errors they get",
    "a number is not a right: only objects handed over can be called",
);

/// The import id the forging client invents.
pub const FORGED_IMPORT: u32 = 7;

/// What the server sent back to the forging client.
#[derive(Debug, Clone)]
pub struct Forged {
    /// The RPC messages the server sent, by name.
    pub answers: Vec<String>,
    /// The reason in the server's `Abort` message, if it sent one.
    pub abort_reason: Option<String>,
}

// ANCHOR: forge
/// Speaks Cap'n Proto RPC by hand: `Bootstrap` (question 0), then a `Call`
/// of `Account.balance` on import id [`FORGED_IMPORT`], a capability the
/// server never exported. Returns what the server answered.
pub async fn forge(bank_addr: std::net::SocketAddr) -> anyhow::Result<Forged> {
    let proxy = Proxy::start(bank_addr).await?;
    let mut stream = tokio::net::TcpStream::connect(proxy.addr()).await?;
    // ANCHOR: hand_call
    let mut bootstrap = Builder::new_default();
    let root = bootstrap.init_root::<message::Builder>();
    root.init_bootstrap().set_question_id(0);
    let mut call = Builder::new_default();
    let mut c = call.init_root::<message::Builder>().init_call();
    c.set_question_id(1);
    c.set_interface_id(account::_private::TYPE_ID);
    c.set_method_id(0);
    c.reborrow().init_target().set_imported_cap(FORGED_IMPORT);
    c.init_params();
    // ANCHOR_END: hand_call
    stream
        .write_all(&serialize::write_message_to_words(&bootstrap))
        .await?;
    stream
        .write_all(&serialize::write_message_to_words(&call))
        .await?;
    let mut answer = Vec::new();
    // The server closes the connection after its Abort; the timeout only
    // guards against a server that never does.
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    drop(stream);
    let messages = Messages.decode(&answer).units;
    let abort_reason = messages
        .iter()
        .find(|m| m.name() == "Abort")
        .and_then(|m| abort_reason(&answer[m.offset..m.offset + m.wire_len()]));
    Ok(Forged {
        answers: messages.iter().map(Unit::name).collect(),
        abort_reason,
    })
}
// ANCHOR_END: forge

/// The `reason` text of an `Abort` message.
fn abort_reason(mut bytes: &[u8]) -> Option<String> {
    let reader = serialize::read_message(&mut bytes, ReaderOptions::new()).ok()?;
    let root = reader.get_root::<message::Reader>().ok()?;
    match root.which().ok()? {
        message::Abort(e) => Some(e.ok()?.get_reason().ok()?.to_string().ok()?),
        _ => None,
    }
}

/// What a client holding a narrower right got, call by call.
#[derive(Debug, Clone)]
pub struct Rights {
    /// `balance` through the read-only view.
    pub view_balance: Result<i64, String>,
    /// `deposit(1000)` through the read-only view.
    pub view_deposit: Result<i64, String>,
    /// `balance` through the account itself, afterwards.
    pub real_balance_after: Result<i64, String>,
    /// `balance` through the lent account, before the revocation.
    pub lent_before: Result<i64, String>,
    /// `balance` through the lent account, after it.
    pub lent_after: Result<i64, String>,
}

async fn balance(account: &account::Client) -> Result<i64, String> {
    let answer = account.balance_request().send().promise.await;
    answer
        .and_then(|a| Ok(a.get()?.get_cents()))
        .map_err(|e| e.to_string())
}

async fn deposit(account: &account::Client, cents: i64) -> Result<i64, String> {
    let mut request = account.deposit_request();
    request.get().set_cents(cents);
    let answer = request.send().promise.await;
    answer
        .and_then(|a| Ok(a.get()?.get_cents()))
        .map_err(|e| e.to_string())
}

// ANCHOR: rights
/// Takes customer 7's read-only view and a loan of its account over the
/// network, and uses each as far as it goes.
pub async fn rights(bank_addr: std::net::SocketAddr) -> anyhow::Result<Rights> {
    crate::bank::with_bank(bank_addr, |bank: bank::Client| async move {
        let mut request = bank.customer_request();
        request.get().set_id(7);
        let customer = request.send().pipeline.get_customer();
        // ANCHOR: view_and_real
        let real = customer.account_request().send().pipeline.get_account();
        let view = customer.read_only_request().send().pipeline.get_account();
        // ANCHOR_END: view_and_real
        let view_balance = balance(&view).await;
        let view_deposit = deposit(&view, 1_000).await;
        let real_balance_after = balance(&real).await;

        // ANCHOR: lend_revoke
        let loan = customer.lend_request().send();
        let lent = loan.pipeline.get_account();
        let lent_before = balance(&lent).await;
        loan.pipeline
            .get_lease()
            .revoke_request()
            .send()
            .promise
            .await?;
        // ANCHOR_END: lend_revoke
        let lent_after = balance(&lent).await;
        Ok(Rights {
            view_balance,
            view_deposit,
            real_balance_after,
            lent_before,
            lent_after,
        })
    })
    .await
}
// ANCHOR_END: rights

fn shown(r: &Result<i64, String>) -> String {
    match r {
        Ok(cents) => format!("{cents} cents"),
        Err(e) => format!("error: {e}"),
    }
}

/// The `capabilities` scenario: the three attempts, as a report.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let bank = crate::bank::spawn()?;
    let forged = forge(bank).await?;
    let r = rights(bank).await?;
    let mut table = Table::new(
        "What each holder could do (customer 7's account)",
        &["holder", "call", "answer"],
    );
    table.row([
        "forger",
        "balance",
        &format!(
            "{}: {}",
            forged.answers.join(", "),
            forged.abort_reason.as_deref().unwrap_or("(no reason)")
        ),
    ]);
    table.row(["read-only", "balance", &shown(&r.view_balance)]);
    table.row(["read-only", "deposit", &shown(&r.view_deposit)]);
    table.row(["owner", "balance", &shown(&r.real_balance_after)]);
    table.row(["borrower", "balance", &shown(&r.lent_before)]);
    table.row(["revoked", "balance", &shown(&r.lent_after)]);
    table.note("forger: a hand-written client calling import id 7, never handed out");
    table.note("the others: what capnp-rpc's client received from the lab's bank");
    let mut report = Report::new(crate::LAB, "capabilities");
    report.table(table);
    Ok(report)
}
