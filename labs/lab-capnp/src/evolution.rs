//! Scenario `evolution`: programs built from different versions of the
//! `Charge` schema read each other's messages, in Cap'n Proto and in
//! FlatBuffers.
//!
//! Adding fields at the end is safe both ways: an old reader never looks at
//! them, a new reader gets each new field's default from an old message.
//! Changing a field's type or its ordinal (`@N`) is not: the bytes are
//! read as something else, and nothing reports an error. FlatBuffers has
//! the same rules with the field's id (its position in the table) in place
//! of the ordinal; deleting a field instead of marking it `(deprecated)`
//! moves every later id, and a reader may then follow a number as if it were
//! an offset — planus checks bounds, so that one ends in an error.

use capnp::message::Builder;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use planus::ReadAsRoot;

use crate::Lab;
use crate::formats::{self, capnp_bytes, capnp_reader};
use crate::schema::evolution_capnp::{charge_renumbered, charge_retyped, charge_v2};
use crate::schema::evolution_fbs::evolution as fbe;
use crate::schema::payments_capnp::charge;
use crate::schema::payments_fbs::payments as fb;

/// The scenario, as `cargo run -p lab-capnp -- evolution` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "evolution",
    "old and new schemas reading each other's charges, and two breaking changes",
    "added fields read as defaults; retyped or renumbered ones read garbage",
);

/// A charge as each reader saw it: id, amount, currency, and the v2 extras.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub writer: &'static str,
    pub reader: &'static str,
    pub charge_id: String,
    pub amount: String,
    pub currency: String,
    pub extra: String,
}

/// The v2 charge the new writer sends: the v1 fields plus a note and a fee.
pub fn v2_bytes() -> Vec<u8> {
    let c = formats::charge(7);
    let mut message = Builder::new_default();
    let mut root = message.init_root::<charge_v2::Builder>();
    root.set_charge_id(c.charge_id.as_str());
    root.set_amount_cents(c.amount_cents);
    root.set_currency(c.currency.as_str());
    root.set_note("refund 88");
    root.set_fee_cents(40);
    capnp_bytes(&message)
}

// ANCHOR: readers
/// Every reader of this scenario on one message's bytes.
pub fn read_all(writer: &'static str, bytes: &[u8]) -> anyhow::Result<Vec<Seen>> {
    let message = capnp_reader(bytes)?;
    let v1 = message.get_root::<charge::Reader>()?;
    let v2 = message.get_root::<charge_v2::Reader>()?;
    let retyped = message.get_root::<charge_retyped::Reader>()?;
    let renumbered = message.get_root::<charge_renumbered::Reader>()?;
    let text =
        |t: capnp::Result<capnp::text::Reader>| -> anyhow::Result<String> { Ok(t?.to_string()?) };
    let seen = |reader, id, amount: String, currency, extra: String| Seen {
        writer,
        reader,
        charge_id: id,
        amount,
        currency,
        extra,
    };
    Ok(vec![
        seen(
            "v1",
            text(v1.get_charge_id())?,
            v1.get_amount_cents().to_string(),
            text(v1.get_currency())?,
            String::new(),
        ),
        seen(
            "v2",
            text(v2.get_charge_id())?,
            v2.get_amount_cents().to_string(),
            text(v2.get_currency())?,
            format!("{:?}, {}", text(v2.get_note())?, v2.get_fee_cents()),
        ),
        seen(
            "retyped",
            text(retyped.get_charge_id())?,
            format!("{:e}", retyped.get_amount_cents()),
            text(retyped.get_currency())?,
            String::new(),
        ),
        seen(
            "renumbered",
            text(renumbered.get_charge_id())?,
            renumbered.get_amount_cents().to_string(),
            text(renumbered.get_currency())?,
            String::new(),
        ),
    ])
}
// ANCHOR_END: readers

/// Both writers' charges, read by every reader.
pub fn measure() -> anyhow::Result<Vec<Seen>> {
    let v1 = capnp_bytes(&formats::capnp_charge(&formats::charge(7)));
    let mut all = read_all("v1", &v1)?;
    all.extend(read_all("v2", &v2_bytes())?);
    Ok(all)
}

/// The v2 charge as FlatBuffers bytes, from `schema/evolution.fbs`.
pub fn fb_v2_bytes() -> Vec<u8> {
    let c = formats::charge(7);
    let table = fbe::ChargeV2 {
        charge_id: Some(c.charge_id),
        amount_cents: c.amount_cents,
        currency: Some(c.currency),
        note: Some("refund 88".into()),
        fee_cents: 40,
    };
    planus::Builder::new().finish(&table, None).to_vec()
}

/// A field as read: its value, or planus's error as Rust prints it, which
/// is a value too (the reader decides what a bad field means).
fn cell<T: std::fmt::Display>(read: planus::Result<T>) -> String {
    match read {
        Ok(v) => v.to_string(),
        Err(e) => format!("Err({:?})", e.error_kind),
    }
}

fn text(read: planus::Result<Option<&str>>) -> String {
    match read {
        Ok(Some(s)) => s.to_string(),
        Ok(None) => "(absent)".into(),
        Err(e) => format!("Err({:?})", e.error_kind),
    }
}

// ANCHOR: fb_readers
/// The four readers of one buffer: each program takes the root table as
/// the `Charge` its own schema declares. Nothing in the bytes says which.
type FbReaders<'a> = (
    fb::ChargeRef<'a>,
    fbe::ChargeV2Ref<'a>,
    fbe::ChargeRetypedRef<'a>,
    fbe::ChargeRemovedRef<'a>,
);

// ANCHOR: fb_read_as_root
fn fb_readers(bytes: &[u8]) -> planus::Result<FbReaders<'_>> {
    Ok((
        fb::ChargeRef::read_as_root(bytes)?,
        fbe::ChargeV2Ref::read_as_root(bytes)?,
        fbe::ChargeRetypedRef::read_as_root(bytes)?,
        fbe::ChargeRemovedRef::read_as_root(bytes)?,
    ))
}
// ANCHOR_END: fb_read_as_root
// ANCHOR_END: fb_readers

/// Every FlatBuffers reader of this scenario on one buffer. A reader that
/// cannot even find the root table is an error; a bad field is a cell.
pub fn fb_read_all(writer: &'static str, bytes: &[u8]) -> anyhow::Result<Vec<Seen>> {
    let (v1, v2, retyped, removed) = fb_readers(bytes)?;
    let seen = |reader, charge_id, amount, currency, extra| Seen {
        writer,
        reader,
        charge_id,
        amount,
        currency,
        extra,
    };
    Ok(vec![
        seen(
            "v1",
            text(v1.charge_id()),
            cell(v1.amount_cents()),
            text(v1.currency()),
            String::new(),
        ),
        seen(
            "v2",
            text(v2.charge_id()),
            cell(v2.amount_cents()),
            text(v2.currency()),
            format!("{}, {}", text(v2.note()), cell(v2.fee_cents())),
        ),
        seen(
            "retyped",
            text(retyped.charge_id()),
            cell(retyped.amount_cents().map(|a| format!("{a:e}"))),
            text(retyped.currency()),
            String::new(),
        ),
        seen(
            "removed",
            "(no field)".into(),
            cell(removed.amount_cents()),
            text(removed.currency()),
            String::new(),
        ),
    ])
}

/// Both FlatBuffers writers' charges, read by every FlatBuffers reader.
pub fn fb_measure() -> anyhow::Result<Vec<Seen>> {
    let v1 = formats::flatbuffers_charge(&formats::charge(7));
    let mut all = fb_read_all("v1", &v1)?;
    all.extend(fb_read_all("v2", &fb_v2_bytes())?);
    Ok(all)
}

/// The `evolution` scenario: the readings as a table.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut table = Table::new(
        "One charge, written by v1 or v2, read by four schemas",
        &[
            "writer",
            "reader",
            "chargeId",
            "amount",
            "currency",
            "note, feeCents",
        ],
    );
    for s in measure()? {
        table.row([
            s.writer,
            s.reader,
            &s.charge_id,
            &s.amount,
            &s.currency,
            &s.extra,
        ]);
    }
    table.note("no row raised an error: the schema, not the bytes, says what a word means");
    let mut fb_table = Table::new(
        "The same in FlatBuffers, written by v1 or v2, read by four schemas",
        &[
            "writer",
            "reader",
            "charge_id",
            "amount",
            "currency",
            "note, fee",
        ],
    );
    for s in fb_measure()? {
        fb_table.row([
            s.writer,
            s.reader,
            &s.charge_id,
            &s.amount,
            &s.currency,
            &s.extra,
        ]);
    }
    fb_table.note("removed: amount_cents is id 0 now, so it reads the old charge_id offset");
    let mut report = Report::new(crate::LAB, "evolution");
    report.table(table);
    report.table(fb_table);
    Ok(report)
}
