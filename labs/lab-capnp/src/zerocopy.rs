//! Scenario `zerocopy`: reading one field of a large received message.
//!
//! A ledger of charges arrives as bytes; the reader wants one amount from
//! the middle. JSON, MessagePack and protobuf must decode the whole message
//! into Rust values first; FlatBuffers and Cap'n Proto read the field where
//! it lies. A
//! counting allocator (allocation-counter) tells how much memory each
//! way asked for, on this thread only.

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use planus::ReadAsRoot;
use prost::Message as _;

use crate::Lab;
use crate::formats::{self, pb};
use crate::schema::payments_capnp::ledger;
use crate::schema::payments_fbs::payments as fb;

/// The scenario, as `cargo run -p lab-capnp -- zerocopy` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "zerocopy",
    "one amount out of a received ledger: allocations per format",
    "the in-place readers allocate nothing; the others grow with the ledger",
);

/// The formats compared, in the order of [`Received::read`].
pub const FORMATS: [&str; 5] = [
    "JSON",
    "MessagePack",
    "protobuf",
    "FlatBuffers",
    "Cap'n Proto",
];

/// One ledger of `n` charges, received in each format.
pub struct Received {
    pub n: u64,
    pub json: Vec<u8>,
    pub msgpack: Vec<u8>,
    pub protobuf: Vec<u8>,
    pub flatbuffers: Vec<u8>,
    pub capnp: Vec<u8>,
}

impl Received {
    /// The ledger of `n` charges, encoded four ways.
    pub fn ledger(n: u64) -> anyhow::Result<Received> {
        let charges = formats::ledger(n);
        Ok(Received {
            n,
            json: formats::json(&charges)?,
            msgpack: formats::msgpack_named(&charges)?,
            protobuf: formats::protobuf(&formats::pb_ledger(&charges)),
            flatbuffers: formats::flatbuffers_ledger(&charges),
            capnp: formats::capnp_bytes(&formats::capnp_ledger(&charges)),
        })
    }

    /// Reads the amount of the middle charge, the way `format` (an index
    /// into [`FORMATS`]) must.
    pub fn read(&self, format: usize) -> anyhow::Result<i64> {
        let i = (self.n / 2) as usize;
        Ok(match format {
            0 => serde_json::from_slice::<Vec<domain::Charge>>(&self.json)?[i].amount_cents,
            1 => rmp_serde::from_slice::<Vec<domain::Charge>>(&self.msgpack)?[i].amount_cents,
            2 => pb::Ledger::decode(self.protobuf.as_slice())?.charges[i].amount_cents,
            3 => flatbuffers_in_place(&self.flatbuffers, i)?,
            _ => read_in_place(&self.capnp, i as u32)?,
        })
    }
}

// ANCHOR: in_place
/// Reads charge `i`'s amount straight out of the received bytes: find the
/// list through the root pointer, step to entry `i`, load eight bytes.
pub fn read_in_place(bytes: &[u8], i: u32) -> capnp::Result<i64> {
    let message = formats::capnp_reader(bytes)?;
    let ledger = message.get_root::<ledger::Reader>()?;
    Ok(ledger.get_charges()?.get(i).get_amount_cents())
}
// ANCHOR_END: in_place

// ANCHOR: flatbuffers
/// The same read in FlatBuffers: the root table's vtable locates the
/// `charges` vector, whose entries are offsets to each charge's table.
pub fn flatbuffers_in_place(bytes: &[u8], i: usize) -> anyhow::Result<i64> {
    let ledger = fb::LedgerRef::read_as_root(bytes)?;
    let charges = ledger.charges()?.context("the ledger has no charges")?;
    let charge = charges.get(i).context("no such charge")??;
    Ok(charge.amount_cents()?)
}
// ANCHOR_END: flatbuffers

/// What reading one field cost in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub value: i64,
    pub allocations: u64,
    pub bytes: u64,
}

// ANCHOR: count
/// Reads the middle amount in `format`, counting the allocations made.
pub fn cost(received: &Received, format: usize) -> anyhow::Result<Cost> {
    let mut value = Ok(0);
    let info = allocation_counter::measure(|| value = received.read(format));
    Ok(Cost {
        value: value?,
        allocations: info.count_total,
        bytes: info.bytes_total,
    })
}
// ANCHOR_END: count

/// The `zerocopy` scenario: allocations per format at two ledger sizes.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let sizes = [1_000, 10_000];
    let mut table = Table::new(
        "Reading one amount from a received ledger: allocations (bytes)",
        &["format", "1,000 charges", "10,000 charges", "message size"],
    );
    let received: Vec<Received> = sizes
        .iter()
        .map(|&n| Received::ledger(n))
        .collect::<anyhow::Result<_>>()?;
    let mut values = serde_json::Map::new();
    for (f, name) in FORMATS.iter().enumerate() {
        let small = cost(&received[0], f)?;
        let large = cost(&received[1], f)?;
        let wire = match f {
            0 => received[1].json.len(),
            1 => received[1].msgpack.len(),
            2 => received[1].protobuf.len(),
            3 => received[1].flatbuffers.len(),
            _ => received[1].capnp.len(),
        };
        table.row([
            name.to_string(),
            format!(
                "{} ({})",
                small.allocations,
                labkit::measure::human_bytes(small.bytes)
            ),
            format!(
                "{} ({})",
                large.allocations,
                labkit::measure::human_bytes(large.bytes)
            ),
            labkit::measure::human_bytes(wire as u64),
        ]);
        values.insert(
            name.to_string(),
            serde_json::json!([small.allocations, large.allocations]),
        );
    }
    table.note("every format read the same amount; message size is for 10,000 charges");
    let mut report = Report::new(crate::LAB, "zerocopy");
    report.table(table);
    report.value("allocations", values);
    Ok(report)
}
