//! Scenario `nats-kv`: JetStream's key-value store, with a watcher that
//! sees every change as it happens.
//!
//! A bucket is an ordinary stream named `KV_<bucket>` on the subjects
//! `$KV.<bucket>.<key>`, keeping the last `history` messages per subject: a
//! put is a publish to the key's subject, a delete a publish with a
//! `KV-Operation: DEL` header, and a watcher is a consumer of the stream.
//!
//! async-nats 0.51's `create_key_value` first asks the server for the
//! account's JetStream limits and fails against Debian's nats-server 2.9.10
//! (the answer does not parse); the lab therefore creates the bucket's
//! stream itself, with the settings the NATS clients use for a bucket, and
//! then opens it with `get_key_value`. A newer server (2.10+) would let the
//! one call do both; the lab keeps the packaged server every other scenario
//! uses, and the reader sees that a bucket is just a stream.

use std::time::Duration;

use async_nats::jetstream::{self, kv, stream};
use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::nats_client::{connect, private_server, within_10s};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- nats-kv` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "nats-kv",
    "JetStream key-value: put, update, delete, and a watcher that sees each change",
    "a bucket is a stream keeping the last values per key; a watcher is a consumer",
);

// ANCHOR: bucket
/// The stream behind bucket `balances`, as NATS clients lay a bucket out.
pub fn bucket_stream(history: i64) -> stream::Config {
    stream::Config {
        name: "KV_balances".into(),
        subjects: vec!["$KV.balances.>".into()],
        max_messages_per_subject: history,
        discard: stream::DiscardPolicy::New,
        allow_rollup: true,
        deny_delete: true,
        allow_direct: true,
        duplicate_window: Duration::from_secs(120),
        ..Default::default()
    }
}
// ANCHOR_END: bucket

/// One change the watcher saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    pub operation: String,
    pub value: String,
    pub revision: u64,
}

/// What the scenario did and saw.
pub struct KvRun {
    /// What `create_key_value` said on this server (`Ok` or its error).
    pub create_key_value: Result<(), String>,
    /// Every change the watcher saw, in order.
    pub changes: Vec<Change>,
    /// The value of `acct-1` read back at the end.
    pub last: Option<String>,
}

/// Puts, updates and deletes balances while a watcher looks on.
pub async fn watch_changes() -> anyhow::Result<KvRun> {
    let server = private_server().await?;
    let js = jetstream::new(connect(server.url()).await?);
    let create_key_value = js
        .create_key_value(kv::Config {
            bucket: "probe".into(),
            ..Default::default()
        })
        .await
        .map(drop)
        .map_err(|e| e.to_string());
    // ANCHOR: watch
    js.create_stream(bucket_stream(5)).await?;
    let balances = js.get_key_value("balances").await?;
    let mut watcher = balances.watch_all().await?;
    balances.put("acct-1", "1250".into()).await?;
    balances.put("acct-2", "300".into()).await?;
    balances.put("acct-1", "2500".into()).await?;
    balances.delete("acct-2").await?;
    // ANCHOR_END: watch
    let mut changes = Vec::new();
    while changes.len() < 4 {
        let Some(entry) = within_10s(watcher.next()).await? else {
            break;
        };
        let entry = entry.map_err(|e| anyhow::anyhow!("{e}"))?;
        changes.push(Change {
            key: entry.key,
            operation: format!("{:?}", entry.operation),
            value: String::from_utf8_lossy(&entry.value).into_owned(),
            revision: entry.revision,
        });
    }
    let last = balances
        .get("acct-1")
        .await?
        .map(|v| String::from_utf8_lossy(&v).into_owned());
    Ok(KvRun {
        create_key_value,
        changes,
        last,
    })
}

/// The `nats-kv` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let r = watch_changes().await?;
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut table = Table::new(
        "Bucket `balances`: what the watcher saw",
        &["revision", "key", "operation", "value"],
    );
    for c in &r.changes {
        table.row([
            c.revision.to_string(),
            c.key.clone(),
            c.operation.clone(),
            c.value.clone(),
        ]);
    }
    table.note(format!("acct-1 read back: {:?}", r.last));
    table.note(match &r.create_key_value {
        Ok(()) => "create_key_value worked on this server".to_string(),
        Err(e) => format!("create_key_value on this server: {e}"),
    });
    report.table(table);
    report.value("changes", r.changes.len());
    Ok(report)
}
