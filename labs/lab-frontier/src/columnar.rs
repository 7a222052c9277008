//! Scenario `columnar`: a batch of payment messages sent row by row
//! (protobuf, one length-prefixed message after another) against the same
//! batch turned into columns — Arrow's IPC stream format, and columns
//! encoded by type — each with zstd: bytes per payment for growing
//! batches, and the wait a batch adds before its first payment can leave.
//!
//! Columns put like values side by side, so a compressor sees every
//! amount together, every currency together. But Arrow keeps each value at
//! its full width (eight bytes for every id) and compresses each buffer on
//! its own; what shrinks a column is knowing its type — ids and times as
//! differences, strings as dictionary indexes — which is what Parquet does
//! and Arrow IPC does not. The lab measures all three; [`schema_aware`] is
//! a dozen lines of the lab's own, a real system would use Parquet or
//! Arrow's dictionary arrays with a delta-encoding format.

use std::io::Cursor;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray, UInt64Array};
use arrow_ipc::CompressionType;
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::{IpcWriteOptions, StreamWriter};
use arrow_schema::{DataType, Field, Schema};
use labkit::cli::Scenario;
use labkit::measure::human_duration;
use labkit::report::{Report, Table};
use prost::Message;

use crate::Lab;

/// The scenario, as `cargo run -p lab-frontier -- columnar` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "columnar",
    "payments as row-wise protobuf + zstd against columnar Arrow IPC + zstd and typed columns",
    "Arrow's layout alone loses to rows + zstd; columns encoded by type win, in large batches only",
);

/// zstd's level for both (its default).
pub const ZSTD_LEVEL: i32 = 3;

/// The batch sizes the scenario compares.
pub const BATCHES: [usize; 5] = [1, 10, 100, 1_000, 10_000];

/// Payments a second, for the wait a batch adds.
pub const RATE_PER_S: f64 = 1_000.0;

// ANCHOR: payment
/// One payment, as a protobuf message (prost's derive writes the code a
/// `.proto` file would generate).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Payment {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(string, tag = "2")]
    pub account: String,
    #[prost(int64, tag = "3")]
    pub amount_cents: i64,
    #[prost(string, tag = "4")]
    pub currency: String,
    #[prost(uint64, tag = "5")]
    pub created_at_ms: u64,
    #[prost(string, tag = "6")]
    pub status: String,
}
// ANCHOR_END: payment

/// `n` payments as a payment service would see them: ids and times that
/// climb, a few hundred accounts, mostly euros, mostly settled.
pub fn payments(n: usize) -> Vec<Payment> {
    (0..n as u64)
        .map(|i| Payment {
            id: 1_000_000 + i,
            account: format!("acct-{:05}", (i * 7919) % 311),
            amount_cents: ((i * 2654435761) % 50_000) as i64 + 100,
            currency: ["EUR", "EUR", "EUR", "USD", "GBP"][(i % 5) as usize].into(),
            created_at_ms: 1_767_225_600_000 + i * 3 + i % 2,
            status: if i % 20 == 0 { "declined" } else { "settled" }.into(),
        })
        .collect()
}

/// Row-wise: each payment length-delimited, one after another.
pub fn rows(batch: &[Payment]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in batch {
        p.encode_length_delimited(&mut out)
            .expect("a Vec grows as needed");
    }
    out
}

fn schema() -> Schema {
    Schema::new(vec![
        Field::new("id", DataType::UInt64, false),
        Field::new("account", DataType::Utf8, false),
        Field::new("amount_cents", DataType::Int64, false),
        Field::new("currency", DataType::Utf8, false),
        Field::new("created_at_ms", DataType::UInt64, false),
        Field::new("status", DataType::Utf8, false),
    ])
}

// ANCHOR: columns
/// Columnar: one Arrow record batch, written as an IPC stream (schema
/// message, batch message, end marker), each buffer zstd-compressed when
/// `zstd` is set.
pub fn columns(batch: &[Payment], zstd: bool) -> anyhow::Result<Vec<u8>> {
    let strings = |f: fn(&Payment) -> &str| -> ArrayRef {
        Arc::new(batch.iter().map(f).map(Some).collect::<StringArray>())
    };
    let record = RecordBatch::try_new(
        Arc::new(schema()),
        vec![
            Arc::new(UInt64Array::from_iter_values(batch.iter().map(|p| p.id))),
            strings(|p| &p.account),
            Arc::new(Int64Array::from_iter_values(
                batch.iter().map(|p| p.amount_cents),
            )),
            strings(|p| &p.currency),
            Arc::new(UInt64Array::from_iter_values(
                batch.iter().map(|p| p.created_at_ms),
            )),
            strings(|p| &p.status),
        ],
    )?;
    let options =
        IpcWriteOptions::default().try_with_compression(zstd.then_some(CompressionType::ZSTD))?;
    let mut out = Vec::new();
    let mut writer = StreamWriter::try_new_with_options(&mut out, &schema(), options)?;
    writer.write(&record)?;
    writer.finish()?;
    drop(writer);
    Ok(out)
}
// ANCHOR_END: columns

/// Read an IPC stream back into payments (to show nothing was lost).
pub fn read_columns(bytes: &[u8]) -> anyhow::Result<Vec<Payment>> {
    let mut out = Vec::new();
    for record in StreamReader::try_new(Cursor::new(bytes), None)? {
        let record = record?;
        let col = |i: usize| record.column(i).clone();
        let u64s = |a: ArrayRef| -> anyhow::Result<UInt64Array> {
            Ok(a.as_any()
                .downcast_ref::<UInt64Array>()
                .ok_or_else(|| anyhow::anyhow!("not a u64 column"))?
                .clone())
        };
        let strs = |a: ArrayRef| -> anyhow::Result<StringArray> {
            Ok(a.as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| anyhow::anyhow!("not a string column"))?
                .clone())
        };
        let (id, account, currency) = (u64s(col(0))?, strs(col(1))?, strs(col(3))?);
        let amount = col(2)
            .as_any()
            .downcast_ref::<Int64Array>()
            .ok_or_else(|| anyhow::anyhow!("not an i64 column"))?
            .clone();
        let (at, status) = (u64s(col(4))?, strs(col(5))?);
        for i in 0..record.num_rows() {
            out.push(Payment {
                id: id.value(i),
                account: account.value(i).into(),
                amount_cents: amount.value(i),
                currency: currency.value(i).into(),
                created_at_ms: at.value(i),
                status: status.value(i).into(),
            });
        }
    }
    Ok(out)
}

// ANCHOR: schema_aware
/// Columns encoded by what the schema says they are — what Parquet does
/// and Arrow IPC does not: climbing numbers (ids, times) as differences
/// from the previous row, small numbers as varints, repeated strings as
/// indexes into a dictionary. zstd then runs over the result.
pub fn schema_aware(batch: &[Payment]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut previous = (0u64, 0u64);
    for p in batch {
        varint(&mut out, p.id.wrapping_sub(previous.0));
        previous.0 = p.id;
    }
    for p in batch {
        varint(&mut out, p.created_at_ms.wrapping_sub(previous.1));
        previous.1 = p.created_at_ms;
    }
    for p in batch {
        varint(
            &mut out,
            ((p.amount_cents << 1) ^ (p.amount_cents >> 63)) as u64,
        );
    }
    for column in [
        batch.iter().map(|p| p.account.as_str()).collect::<Vec<_>>(),
        batch.iter().map(|p| p.currency.as_str()).collect(),
        batch.iter().map(|p| p.status.as_str()).collect(),
    ] {
        let mut dictionary: Vec<&str> = Vec::new();
        let mut indexes = Vec::new();
        for value in column {
            let i = dictionary
                .iter()
                .position(|d| *d == value)
                .unwrap_or_else(|| {
                    dictionary.push(value);
                    dictionary.len() - 1
                });
            varint(&mut indexes, i as u64);
        }
        varint(&mut out, dictionary.len() as u64);
        for d in dictionary {
            varint(&mut out, d.len() as u64);
            out.extend_from_slice(d.as_bytes());
        }
        out.extend_from_slice(&indexes);
    }
    out
}
// ANCHOR_END: schema_aware

/// Protobuf's base-128 varint: seven bits a byte, high bit = more.
fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// zstd over a whole buffer.
pub fn zstd(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    Ok(zstd::bulk::compress(bytes, ZSTD_LEVEL)?)
}

/// The bytes of one batch in each of the four encodings.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub n: usize,
    pub protobuf: usize,
    pub protobuf_zstd: usize,
    pub arrow: usize,
    pub arrow_zstd: usize,
    /// zstd over the whole Arrow IPC stream, not buffer by buffer.
    pub arrow_then_zstd: usize,
    /// [`schema_aware`] columns, then zstd.
    pub typed_zstd: usize,
    /// Encoding and compressing the batch both ways.
    pub encode_rows: Duration,
    pub encode_columns: Duration,
}

/// Measure a batch of `n` payments.
pub fn sizes(n: usize) -> anyhow::Result<Sizes> {
    let batch = payments(n);
    let started = Instant::now();
    let protobuf = rows(&batch);
    let protobuf_zstd = zstd(&protobuf)?.len();
    let encode_rows = started.elapsed();
    let started = Instant::now();
    let arrow_zstd = columns(&batch, true)?.len();
    let encode_columns = started.elapsed();
    Ok(Sizes {
        n,
        protobuf: protobuf.len(),
        protobuf_zstd,
        arrow: columns(&batch, false)?.len(),
        arrow_zstd,
        arrow_then_zstd: zstd(&columns(&batch, false)?)?.len(),
        typed_zstd: zstd(&schema_aware(&batch))?.len(),
        encode_rows,
        encode_columns,
    })
}

/// How long the first payment of a batch of `n` waits for the last, at
/// [`RATE_PER_S`].
pub fn batch_wait(n: usize) -> Duration {
    Duration::from_secs_f64((n.saturating_sub(1)) as f64 / RATE_PER_S)
}

/// Runs the scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        "Bytes per payment, by batch size",
        &[
            "batch",
            "protobuf",
            "+ zstd",
            "Arrow IPC",
            "+ zstd",
            "IPC, zstd",
            "typed + zstd",
            "first waits",
            "encode rows",
            "encode cols",
        ],
    );
    for n in BATCHES {
        let s = sizes(n)?;
        let per = |bytes: usize| format!("{:.1}", bytes as f64 / n as f64);
        t.row([
            n.to_string(),
            per(s.protobuf),
            per(s.protobuf_zstd),
            per(s.arrow),
            per(s.arrow_zstd),
            per(s.arrow_then_zstd),
            per(s.typed_zstd),
            human_duration(batch_wait(n)),
            human_duration(s.encode_rows),
            human_duration(s.encode_columns),
        ]);
    }
    t.note(format!(
        "first waits: for the batch to fill at {RATE_PER_S} payments/s; zstd level {ZSTD_LEVEL}"
    ));
    report.table(t);
    Ok(report)
}
