//! Scenario `sizes`: the same messages in JSON, MessagePack, protobuf,
//! FlatBuffers and Cap'n Proto, measured in one run, and what MessagePack does with a
//! misspelled field.

use domain::Reading;
use labkit::cli::Scenario;
use labkit::report::{BarChart, Report, Table};
use serde::{Deserialize, Serialize};

use crate::Lab;
use crate::formats::{self, pb_charge, pb_ledger, pb_reading};

/// The scenario, as `cargo run -p lab-capnp -- sizes` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "sizes",
    "one charge, one reading and a ledger in seven encodings, byte for byte",
    "names cost bytes; Cap'n Proto pads to words, packing takes it back",
);

/// The encodings compared, in the order of the table's columns.
pub const FORMATS: [&str; 7] = [
    "JSON",
    "MessagePack, map",
    "MessagePack, array",
    "protobuf",
    "FlatBuffers",
    "Cap'n Proto",
    "Cap'n Proto packed",
];

/// One message's size in each of [`FORMATS`], in bytes.
#[derive(Debug, Clone, Serialize)]
pub struct Sizes {
    pub message: &'static str,
    pub bytes: [usize; 7],
}

// ANCHOR: measure
/// Encodes the book's reading, one charge and a ledger of 100 charges in every
/// format and counts the bytes.
pub fn measure() -> anyhow::Result<Vec<Sizes>> {
    let reading = Reading::sample(7);
    let charge = formats::charge(7);
    let ledger = formats::ledger(100);
    let capnp_reading = formats::capnp_reading(&reading);
    let capnp_charge = formats::capnp_charge(&charge);
    let capnp_ledger = formats::capnp_ledger(&ledger);
    Ok(vec![
        Sizes {
            message: "reading",
            bytes: [
                formats::json(&reading)?.len(),
                formats::msgpack_named(&reading)?.len(),
                formats::msgpack_positional(&reading)?.len(),
                formats::protobuf(&pb_reading(&reading)).len(),
                formats::flatbuffers_reading(&reading).len(),
                formats::capnp_bytes(&capnp_reading).len(),
                formats::capnp_packed(&capnp_reading)?.len(),
            ],
        },
        Sizes {
            message: "charge",
            bytes: [
                formats::json(&charge)?.len(),
                formats::msgpack_named(&charge)?.len(),
                formats::msgpack_positional(&charge)?.len(),
                formats::protobuf(&pb_charge(&charge)).len(),
                formats::flatbuffers_charge(&charge).len(),
                formats::capnp_bytes(&capnp_charge).len(),
                formats::capnp_packed(&capnp_charge)?.len(),
            ],
        },
        Sizes {
            message: "ledger of 100",
            bytes: [
                formats::json(&ledger)?.len(),
                formats::msgpack_named(&ledger)?.len(),
                formats::msgpack_positional(&ledger)?.len(),
                formats::protobuf(&pb_ledger(&ledger)).len(),
                formats::flatbuffers_ledger(&ledger).len(),
                formats::capnp_bytes(&capnp_ledger).len(),
                formats::capnp_packed(&capnp_ledger)?.len(),
            ],
        },
    ])
}
// ANCHOR_END: measure

// ANCHOR: typo
/// What a writer with a typo in one field name sends.
#[derive(Serialize)]
pub struct ChargeWithTypo {
    pub charge_id: String,
    pub amount_cent: i64,
    pub currency: String,
}

/// What the reader expects. With no schema shared, the reader must default
/// a field that older writers did not send, so an absent field is not an
/// error, and neither is a misspelled one.
#[derive(Debug, Deserialize)]
pub struct ChargeAsRead {
    pub charge_id: String,
    #[serde(default)]
    pub amount_cents: i64,
    pub currency: String,
}

/// Sends a charge of 1250 cents with `amount_cents` misspelled, as a
/// MessagePack map, and reads it back: no error, and an amount of 0.
pub fn misspelled() -> anyhow::Result<(Vec<u8>, ChargeAsRead)> {
    let sent = ChargeWithTypo {
        charge_id: "ch_0000000007".into(),
        amount_cent: 1_250,
        currency: "EUR".into(),
    };
    let bytes = rmp_serde::to_vec_named(&sent)?;
    let read: ChargeAsRead = rmp_serde::from_slice(&bytes)?;
    Ok((bytes, read))
}
// ANCHOR_END: typo

/// The `sizes` scenario: both measurements above, as a report.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let sizes = measure()?;
    let mut header = vec!["format"];
    header.extend(sizes.iter().map(|s| s.message));
    let mut table = Table::new("The same message in seven encodings, in bytes", &header);
    for (f, name) in FORMATS.iter().enumerate() {
        let mut row = vec![name.to_string()];
        row.extend(sizes.iter().map(|s| s.bytes[f].to_string()));
        table.row(row);
    }
    table.note("MessagePack map keeps field names (to_vec_named), array drops them (to_vec)");
    table.note("packed: Cap'n Proto's packing, which squeezes out runs of zero bytes");

    let (bytes, read) = misspelled()?;
    let mut typo = Table::new(
        "MessagePack, writer misspells amount_cents as amount_cent",
        &["what", "value"],
    );
    typo.row(["bytes sent", &bytes.len().to_string()]);
    typo.row(["decode error", "none"]);
    typo.row(["amount_cents as read", &read.amount_cents.to_string()]);
    typo.note("the 1250 cents travelled under a key no reader looks up");

    let chart = BarChart::new("One charge, bytes on the wire", "bytes")
        .categories(FORMATS)
        .series(
            "charge",
            sizes[1].bytes.iter().map(|&b| b as f64).collect::<Vec<_>>(),
        );
    let mut report = Report::new(crate::LAB, "sizes");
    report.table(table);
    report.table(typo);
    report.chart("charge-bytes", chart.to_svg());
    report.value("sizes", &sizes);
    report.value("misspelled_amount_read", read.amount_cents);
    Ok(report)
}
