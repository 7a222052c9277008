//! Scenario `codecs` (a benchmark): the same ledger of 1,000 charges in
//! every format — its size, the time to encode it from the domain's values,
//! and the time to decode all of it back into them — side by side in one run.
//!
//! "Decode" here means every field of every charge ends up in an owned
//! `domain::Charge`, whatever the format. For FlatBuffers and Cap'n Proto
//! that is exactly the copy their readers exist to avoid: a program that
//! reads a few fields in place pays what `readtime` shows instead. A real
//! service would measure its own messages; these are the chapter's.

use std::hint::black_box;
use std::time::Duration;

use anyhow::Context;
use capnp::message::ReaderOptions;
use capnp::serialize;
use domain::Charge;
use labkit::cli::Scenario;
use labkit::measure::{duration_ratio, fmt_ratio, human_duration, median_of, time_per_op};
use labkit::report::{BarChart, Report, Table};
use planus::ReadAsRoot;
use prost::Message as _;

use crate::Lab;
use crate::formats::{self, pb};
use crate::schema::payments_capnp::ledger;
use crate::schema::payments_fbs::payments as fb;
use crate::sizes;

/// The scenario, as `cargo run -p lab-capnp -- codecs` runs it.
pub const SCENARIO: Scenario = Scenario::benchmark(
    "codecs",
    "one ledger in six encodings: bytes, encode time, decode time",
    "decoding a whole message is close across formats; encoding cost does not follow size",
);

/// Charges in the ledger.
pub const CHARGES: u64 = 1_000;

/// The rows, in the order of the table: the `sizes` scenario's encodings
/// without packing (a packed message is unpacked before it is read).
pub const CODECS: [&str; 6] = {
    let f = sizes::FORMATS;
    [f[0], f[1], f[2], f[3], f[4], f[5]]
};

// ANCHOR: encode
/// The ledger as `codec` (an index into [`CODECS`]) sends it.
pub fn encode(codec: usize, charges: &[Charge]) -> anyhow::Result<Vec<u8>> {
    Ok(match codec {
        0 => formats::json(&charges)?,
        1 => formats::msgpack_named(&charges)?,
        2 => formats::msgpack_positional(&charges)?,
        3 => formats::protobuf(&formats::pb_ledger(charges)),
        4 => formats::flatbuffers_ledger(charges),
        _ => formats::capnp_bytes(&formats::capnp_ledger(charges)),
    })
}
// ANCHOR_END: encode

/// Every charge of a received ledger, copied out into the domain's values.
pub fn decode(codec: usize, bytes: &[u8]) -> anyhow::Result<Vec<Charge>> {
    Ok(match codec {
        0 => serde_json::from_slice(bytes)?,
        1 | 2 => rmp_serde::from_slice(bytes)?,
        3 => pb::Ledger::decode(bytes)?
            .charges
            .into_iter()
            .map(|c| Charge {
                charge_id: c.charge_id,
                amount_cents: c.amount_cents,
                currency: c.currency,
            })
            .collect(),
        4 => flatbuffers_charges(bytes)?,
        _ => capnp_charges(bytes)?,
    })
}

/// FlatBuffers: follow each charge's offsets and copy its strings out.
fn flatbuffers_charges(bytes: &[u8]) -> anyhow::Result<Vec<Charge>> {
    let ledger = fb::LedgerRef::read_as_root(bytes)?;
    let list = ledger.charges()?.context("the ledger has no charges")?;
    let mut out = Vec::with_capacity(list.len());
    for charge in list.iter() {
        let charge = charge?;
        out.push(Charge {
            charge_id: charge.charge_id()?.unwrap_or_default().to_string(),
            amount_cents: charge.amount_cents()?,
            currency: charge.currency()?.unwrap_or_default().to_string(),
        });
    }
    Ok(out)
}

/// Cap'n Proto: walk the list in place and copy each charge's fields out.
fn capnp_charges(bytes: &[u8]) -> anyhow::Result<Vec<Charge>> {
    let mut slice = bytes;
    let message = serialize::read_message_from_flat_slice(&mut slice, ReaderOptions::new())?;
    let list = message.get_root::<ledger::Reader>()?.get_charges()?;
    let mut out = Vec::with_capacity(list.len() as usize);
    for charge in list.iter() {
        out.push(Charge {
            charge_id: charge.get_charge_id()?.to_string()?,
            amount_cents: charge.get_amount_cents(),
            currency: charge.get_currency()?.to_string()?,
        });
    }
    Ok(out)
}

/// The median of 7 rounds of `op`, each round long enough (about 20 ms) that
/// the clock's resolution and one scheduler tick do not decide the result.
fn timed(mut op: impl FnMut()) -> Duration {
    let once = time_per_op(3, &mut op).max(Duration::from_micros(1));
    let reps = (Duration::from_millis(20).as_nanos() / once.as_nanos()).clamp(3, 2_000) as u32;
    median_of(7, || time_per_op(reps, &mut op))
}

/// The `codecs` benchmark: the median of 7 rounds per codec and direction.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let charges = formats::ledger(CHARGES);
    let mut rows = Vec::new();
    for (codec, name) in CODECS.iter().enumerate() {
        let bytes = encode(codec, &charges)?;
        anyhow::ensure!(
            decode(codec, &bytes)? == charges,
            "{name} did not give back the charges it was given"
        );
        let encode_time = timed(|| {
            black_box(encode(codec, black_box(&charges)).ok());
        });
        let decode_time = timed(|| {
            black_box(decode(codec, black_box(&bytes)).ok());
        });
        rows.push((bytes.len(), encode_time, decode_time));
    }
    let (json_bytes, json_encode, json_decode) = rows[0];
    let mut table = Table::new(
        format!("A ledger of {CHARGES} charges, encoded and decoded whole (median of 7 rounds)"),
        &[
            "format",
            "bytes",
            "encode",
            "decode",
            "size / JSON",
            "encode / JSON",
            "decode / JSON",
        ],
    );
    for (name, (bytes, enc, dec)) in CODECS.iter().zip(&rows) {
        table.row([
            name.to_string(),
            bytes.to_string(),
            human_duration(*enc),
            human_duration(*dec),
            fmt_ratio(*bytes as f64 / json_bytes as f64),
            fmt_ratio(duration_ratio(*enc, json_encode)),
            fmt_ratio(duration_ratio(*dec, json_decode)),
        ]);
    }
    table.note("the ratios are against JSON's row, measured in this run");
    table.note("decode: every field of every charge copied into a domain::Charge");
    if cfg!(debug_assertions) {
        table.note(
            "a debug build: run `cargo run --release -p lab-capnp -- codecs` for these times",
        );
    }
    let chart = BarChart::new("A ledger of 1,000 charges: time to encode and decode", "µs")
        .categories(CODECS)
        .series(
            "encode",
            rows.iter()
                .map(|r| r.1.as_secs_f64() * 1e6)
                .collect::<Vec<_>>(),
        )
        .series(
            "decode",
            rows.iter()
                .map(|r| r.2.as_secs_f64() * 1e6)
                .collect::<Vec<_>>(),
        );
    let mut report = Report::new(crate::LAB, "codecs");
    report.table(table).chart("times", chart.to_svg());
    report.value("bytes", rows.iter().map(|r| r.0).collect::<Vec<_>>());
    Ok(report)
}
