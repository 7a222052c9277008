//! Scenario `pipeline`: reading a balance takes three dependent calls
//! (bank → customer → account → balance). Awaited one by one they cost three
//! round trips; pipelined, the client sends all three at once, each aimed
//! at the answer of the one before, and waits once.
//!
//! The calls go through labkit's proxy, which adds latency both ways and
//! records every byte; labkit's Cap'n Proto RPC decoder then reads what
//! each side sent and when.

use std::time::Duration;

use labkit::cli::Scenario;
use labkit::measure::human_duration;
use labkit::report::{Report, Table};
use labkit::wire::capnp::{Message, Messages};
use labkit::wire::{ConnRecord, Decoder, Direction, Proxy, Unit};

use crate::Lab;
use crate::schema::bank_capnp::bank;

/// The scenario, as `cargo run -p lab-capnp -- pipeline` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "pipeline",
    "three dependent calls, awaited one by one and then pipelined",
    "the pipelined calls all leave before the first answer comes back",
);

/// Latency the proxy adds in each direction.
pub const ONE_WAY: Duration = Duration::from_millis(25);

/// The customer whose balance the chain reads.
pub const CUSTOMER: u64 = 7;

// ANCHOR: sequential
/// Each call waits for the answer before the next one can be written.
pub async fn sequential(bank: bank::Client, id: u64) -> anyhow::Result<i64> {
    let mut request = bank.customer_request();
    request.get().set_id(id);
    let customer = request.send().promise.await?.get()?.get_customer()?;
    let account = customer.account_request().send().promise.await?;
    let account = account.get()?.get_account()?;
    let balance = account.balance_request().send().promise.await?;
    Ok(balance.get()?.get_cents())
}
// ANCHOR_END: sequential

// ANCHOR: pipelined
/// Each call is aimed at the *promise* of the previous answer: nothing is
/// awaited until the balance itself.
pub async fn pipelined(bank: bank::Client, id: u64) -> anyhow::Result<i64> {
    let mut request = bank.customer_request();
    request.get().set_id(id);
    let customer = request.send().pipeline.get_customer();
    let account = customer.account_request().send().pipeline.get_account();
    let balance = account.balance_request().send().promise.await?;
    Ok(balance.get()?.get_cents())
}
// ANCHOR_END: pipelined

/// One RPC message as the proxy saw it: when, which way, what.
#[derive(Debug, Clone)]
pub struct Seen {
    /// When the proxy read the chunk that completed the message.
    pub at: Duration,
    pub dir: Direction,
    pub message: Message,
}

/// What one run of the chain looked like on the wire.
#[derive(Debug, Clone)]
pub struct Trace {
    pub balance: i64,
    pub elapsed: Duration,
    /// Every RPC message both ways, in the order the proxy saw them.
    pub seen: Vec<Seen>,
}

impl Trace {
    /// The client's `Call` messages.
    pub fn calls(&self) -> impl Iterator<Item = &Seen> {
        self.seen
            .iter()
            .filter(|s| s.dir == Direction::ToServer && s.message.name() == "Call")
    }

    /// How many `Return`s had reached the proxy before each call left.
    pub fn returns_before_each_call(&self) -> Vec<usize> {
        self.calls()
            .map(|call| {
                self.seen
                    .iter()
                    .filter(|s| s.dir == Direction::ToClient && s.message.name() == "Return")
                    .filter(|s| s.at < call.at)
                    .count()
            })
            .collect()
    }

    /// Round trips the chain waited for: how many times the client had to
    /// hear an answer before it could send its next call, plus the last wait.
    pub fn round_trips(&self) -> usize {
        let mut waits = self.returns_before_each_call();
        waits.dedup();
        waits.len()
    }
}

/// Runs `chain` against the bank through a proxy that adds [`ONE_WAY`] each
/// way, and decodes what crossed it.
pub async fn trace<F, Fut>(bank_addr: std::net::SocketAddr, chain: F) -> anyhow::Result<Trace>
where
    F: FnOnce(bank::Client, u64) -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<i64>>,
{
    let proxy = Proxy::start(bank_addr).await?;
    for dir in Direction::BOTH {
        proxy.faults().set_delay(dir, ONE_WAY);
    }
    let started = std::time::Instant::now();
    let (balance, elapsed) = crate::bank::with_bank(proxy.addr(), move |bank| async move {
        let balance = chain(bank, CUSTOMER).await?;
        Ok((balance, started.elapsed()))
    })
    .await?;
    let recording = proxy.recording();
    let conn = recording
        .first()
        .ok_or_else(|| anyhow::anyhow!("the proxy saw no connection"))?;
    Ok(Trace {
        balance,
        elapsed,
        seen: seen(conn)?,
    })
}

/// Every message of a connection, placed in time by the chunk that
/// completed it.
pub fn seen(conn: &ConnRecord) -> anyhow::Result<Vec<Seen>> {
    let mut all = Vec::new();
    for dir in Direction::BOTH {
        let messages = Messages.decode_conn(conn, dir).complete()?;
        let mut ends = Vec::new();
        let mut end = 0;
        for chunk in conn.chunks_in(dir) {
            end += chunk.bytes.len();
            ends.push((end, chunk.at));
        }
        for message in messages {
            let last = message.offset + message.wire_len();
            let at = ends
                .iter()
                .find(|(end, _)| *end >= last)
                .map_or(Duration::MAX, |(_, at)| *at);
            all.push(Seen { at, dir, message });
        }
    }
    all.sort_by_key(|s| s.at);
    Ok(all)
}

/// The `pipeline` scenario: both chains, side by side.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let bank = crate::bank::spawn()?;
    let one_by_one = trace(bank, sequential).await?;
    let piped = trace(bank, pipelined).await?;
    let mut table = Table::new(
        format!(
            "bank → customer → account → balance, {} added each way",
            human_duration(ONE_WAY)
        ),
        &[
            "chain",
            "Calls",
            "pipelined",
            "round trips",
            "time",
            "balance",
        ],
    );
    for (name, t) in [("one by one", &one_by_one), ("pipelined", &piped)] {
        table.row([
            name.to_string(),
            t.calls().count().to_string(),
            t.calls()
                .filter(|c| c.message.is_pipelined())
                .count()
                .to_string(),
            t.round_trips().to_string(),
            human_duration(t.elapsed),
            t.balance.to_string(),
        ]);
    }
    table.note("round trips: how often the client waited for an answer before its next call");
    let mut report = Report::new(crate::LAB, "pipeline");
    report.table(table);
    for (name, t) in [("one by one", &one_by_one), ("pipelined", &piped)] {
        let mut wire = Table::new(
            format!("{name}: the RPC messages as the proxy saw them"),
            &["ms", "way", "message", "id", "aimed at"],
        );
        for s in &t.seen {
            wire.row([
                format!("{:.1}", s.at.as_secs_f64() * 1e3),
                s.dir.to_string(),
                s.message.name(),
                s.message.id.map_or(String::new(), |id| id.to_string()),
                match s.message.target {
                    Some(labkit::wire::capnp::Target::ImportedCap(i)) => format!("import {i}"),
                    Some(labkit::wire::capnp::Target::PromisedAnswer(q)) => {
                        format!("answer to {q}")
                    }
                    None => String::new(),
                },
            ]);
        }
        report.table(wire);
    }
    report.value("round_trips_one_by_one", one_by_one.round_trips());
    report.value("round_trips_pipelined", piped.round_trips());
    Ok(report)
}
