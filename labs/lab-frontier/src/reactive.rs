//! Scenario `reactive`: a client subscribes to a query's result and
//! receives `+row` / `−row` deltas as the table changes, fed by PostgreSQL's
//! logical decoding — against a client that polls the same query.
//!
//! The lab starts its own PostgreSQL (labkit's private instance, with
//! `wal_level = logical`), opens a temporary replication slot decoded by
//! the `test_decoding` plugin, and keeps the result current with
//! [`LiveResult`]. The poller re-runs the query once per interval and
//! diffs whole results. Both talk to the database through labkit's
//! recording proxy, so the bytes each one moved are counted on the wire.
//!
//! A real system would use the `pgoutput` plugin (binary, with a
//! publication naming the tables) and keep its slot across restarts;
//! test_decoding's text is easier to read and the stream is the same.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use labkit::broker::{self, Options};
use labkit::cli::{Need, Scenario};
use labkit::measure::human_duration;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};

use crate::Lab;
use crate::live_query::{self, Delta, LiveResult, Query, diff};
use crate::pgwire::Conn;

/// The scenario, as `cargo run -p lab-frontier -- reactive` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "reactive",
    "a live query fed by PostgreSQL's logical decoding, against polling the query",
    "the row inserted and deleted between two polls: the stream shows it, polling never does",
)
.needs(&[Need::Postgres]);

/// The query the client watches.
pub const QUERY: Query = Query {
    customer: "ada",
    min_amount: 1000,
};

/// How often the poller re-runs the query; it polls at the end of each
/// interval, after that interval's writes.
pub const POLL_EVERY: Duration = Duration::from_millis(100);

/// The writes, one slice per polling interval, one statement per
/// transaction.
pub const SCRIPT: &[&[&str]] = &[
    &["INSERT INTO payments VALUES (101, 'ada', 2500)"],
    &["UPDATE payments SET amount = 300 WHERE id = 101"],
    &["UPDATE payments SET amount = 5000 WHERE id = 101"],
    &["INSERT INTO payments VALUES (102, 'bob', 9000)"],
    // A row that comes and goes within one interval.
    &[
        "INSERT INTO payments VALUES (103, 'ada', 7000)",
        "DELETE FROM payments WHERE id = 103",
    ],
    &["UPDATE payments SET amount = amount + 1 WHERE customer = 'ada' AND amount >= 4000"],
    &["DELETE FROM payments WHERE id = 101"],
    &[], // nothing changes: the poller asks anyway
];

/// The id of the row that lives inside one polling interval.
pub const FLICKER_ID: i64 = 103;

/// The table, and 40 rows of four customers.
const SEED: &str = "CREATE TABLE payments (id integer PRIMARY KEY, customer text NOT NULL, amount bigint NOT NULL);
INSERT INTO payments
  SELECT i, (ARRAY['ada', 'bob', 'cy', 'dee'])[i % 4 + 1], (i * 337) % 6000 FROM generate_series(1, 40) AS i;";

/// What one transaction did, by the database's own account.
#[derive(Debug, Clone)]
pub struct Write {
    pub sql: &'static str,
    pub sent: Instant,
    /// The query's true result changes, from re-running it before and after.
    pub truth: Vec<Delta>,
}

/// The deltas one client saw, each with when it saw them.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub batches: Vec<(Instant, Vec<Delta>)>,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Round trips (polls, or replication messages received).
    pub messages: usize,
    /// For polling: each poll's answer, in bytes and in result rows.
    pub answers: Vec<(u64, usize)>,
}

impl Seen {
    /// Every delta, in the order seen.
    pub fn deltas(&self) -> Vec<Delta> {
        self.batches.iter().flat_map(|(_, d)| d.clone()).collect()
    }
}

/// Everything one run measured.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub writes: Vec<Write>,
    pub stream: Seen,
    pub polling: Seen,
    /// The live result at the end, and the query's real result.
    pub live_rows: BTreeMap<i64, i64>,
    pub final_rows: BTreeMap<i64, i64>,
    /// Bytes of one poll's answer when nothing changed.
    pub one_poll_bytes: u64,
}

/// Run the script against a fresh private PostgreSQL.
pub async fn measure() -> anyhow::Result<Outcome> {
    let db = broker::postgres(Options::new()).await?;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], db.endpoint().port));
    let mut writer = Conn::connect(addr, false).await?;
    for statement in SEED.split(";\n") {
        writer.query(statement).await?;
    }

    // The subscriber: a slot first (changes after this point are kept for
    // it), then the result as it stands, then the stream.
    let stream_proxy = Proxy::start(addr).await?;
    let mut replication = Conn::connect(stream_proxy.addr(), true).await?;
    replication.start_replication("lab_live").await?;
    let mut first = Conn::connect(stream_proxy.addr(), false).await?;
    let mut live = LiveResult::new(QUERY, rows(&mut first, &QUERY).await?);
    drop(first);
    let transactions = SCRIPT.iter().map(|t| t.len()).sum::<usize>();
    let subscriber = tokio::spawn(async move {
        let mut seen = Seen::default();
        while seen.batches.len() < transactions {
            let line = replication.next_change().await?;
            seen.messages += 1;
            if let Some(deltas) = live.apply(live_query::parse(&line)?) {
                seen.batches.push((Instant::now(), deltas));
            }
        }
        anyhow::Ok((seen, live))
    });

    let poll_proxy = Proxy::start(addr).await?;
    let mut poller = Conn::connect(poll_proxy.addr(), false).await?;
    let mut polled = rows(&mut poller, &QUERY).await?;
    let mut polling = Seen::default();
    let mut truth = rows(&mut writer, &QUERY).await?;
    let mut writes = Vec::new();
    for interval in SCRIPT {
        let started = Instant::now();
        for &sql in *interval {
            let sent = Instant::now();
            writer.query(sql).await?;
            let after = rows(&mut writer, &QUERY).await?;
            writes.push(Write {
                sql,
                sent,
                truth: diff(&truth, &after),
            });
            truth = after;
        }
        tokio::time::sleep(POLL_EVERY.saturating_sub(started.elapsed())).await;
        let before = poll_proxy.bytes(Direction::ToClient);
        let now = rows(&mut poller, &QUERY).await?;
        polling.messages += 1;
        polling
            .answers
            .push((poll_proxy.bytes(Direction::ToClient) - before, now.len()));
        polling.batches.push((Instant::now(), diff(&polled, &now)));
        polled = now;
    }
    let before = poll_proxy.bytes(Direction::ToClient);
    rows(&mut poller, &QUERY).await?;
    let one_poll_bytes = poll_proxy.bytes(Direction::ToClient) - before;

    let (mut stream, live) = tokio::time::timeout(Duration::from_secs(10), subscriber)
        .await
        .map_err(|_| anyhow::anyhow!("the change stream stalled"))???;
    stream.bytes_in = stream_proxy.bytes(Direction::ToClient);
    stream.bytes_out = stream_proxy.bytes(Direction::ToServer);
    polling.bytes_in = poll_proxy.bytes(Direction::ToClient) - one_poll_bytes;
    polling.bytes_out = poll_proxy.bytes(Direction::ToServer);
    Ok(Outcome {
        writes,
        stream,
        polling,
        live_rows: live.rows().clone(),
        final_rows: truth,
        one_poll_bytes,
    })
}

/// The query's result, `id → amount`.
async fn rows(conn: &mut Conn, query: &Query) -> anyhow::Result<BTreeMap<i64, i64>> {
    conn.query(&query.sql())
        .await?
        .into_iter()
        .map(|r| {
            let field = |i: usize| -> anyhow::Result<i64> {
                Ok(r.get(i).cloned().flatten().unwrap_or_default().parse()?)
            };
            Ok((field(0)?, field(1)?))
        })
        .collect()
}

/// How long after its write each delta was seen (the first write, in
/// order, that produced that delta).
pub fn delays(writes: &[Write], seen: &Seen) -> Vec<Duration> {
    let mut out = Vec::new();
    let mut from = 0;
    for (at, deltas) in &seen.batches {
        for delta in deltas {
            if let Some(i) = (from..writes.len()).find(|&i| writes[i].truth.contains(delta)) {
                out.push(at.saturating_duration_since(writes[i].sent));
                from = i;
            }
        }
    }
    out
}

/// Runs the scenario and reports deltas, bytes and delays.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let o = measure().await?;
    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        "A live query and a poller, side by side",
        &[
            "client",
            "deltas",
            "bytes in",
            "bytes out",
            "median delay",
            "worst delay",
        ],
    );
    for (name, seen) in [("logical decoding", &o.stream), ("polling", &o.polling)] {
        let mut d = delays(&o.writes, seen);
        d.sort();
        let median = d.get(d.len() / 2).copied().unwrap_or_default();
        let worst = d.last().copied().unwrap_or_default();
        t.row([
            name.to_string(),
            seen.deltas().len().to_string(),
            seen.bytes_in.to_string(),
            seen.bytes_out.to_string(),
            human_duration(median),
            human_duration(worst),
        ]);
    }
    t.note(format!(
        "{} transactions in {} polling intervals of {}; one unchanged poll answer: {} bytes",
        o.writes.len(),
        SCRIPT.len(),
        human_duration(POLL_EVERY),
        o.one_poll_bytes
    ));
    report.table(t);

    let mut deltas = Table::new("What each client saw", &["write", "stream", "polling"]);
    let mut polls = o.polling.batches.iter();
    let mut commits = o.stream.batches.iter();
    for interval in SCRIPT {
        for (k, sql) in interval.iter().enumerate() {
            // One commit per write, in order.
            let stream = commits.next().map(|(_, d)| show(d)).unwrap_or_default();
            let poll = if k + 1 == interval.len() {
                polls.next().map(|(_, d)| show(d)).unwrap_or_default()
            } else {
                String::new()
            };
            deltas.row([short(sql), stream, poll]);
        }
        if interval.is_empty() {
            let poll = polls.next().map(|(_, d)| show(d)).unwrap_or_default();
            deltas.row(["(no write)".to_string(), String::new(), poll]);
        }
    }
    deltas.note("polling compares whole results once per interval; the stream sees each commit");
    report.table(deltas);
    report.value("live_result_matches_query", o.live_rows == o.final_rows);
    Ok(report)
}

/// A write, shortened to fit the table.
fn short(sql: &str) -> String {
    let s = sql
        .replace("INSERT INTO payments VALUES ", "insert ")
        .replace("UPDATE payments SET ", "update ")
        .replace("DELETE FROM payments WHERE ", "delete where ")
        .replace(" WHERE customer = 'ada' AND ", " where ada, ")
        .replace(" WHERE ", " where ");
    s.chars().take(44).collect()
}

fn show(deltas: &[Delta]) -> String {
    if deltas.is_empty() {
        return "-".into();
    }
    deltas
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}
