//! The same payment messages in every format the chapter compares: JSON,
//! MessagePack, protobuf, FlatBuffers and Cap'n Proto (plain and packed).
//!
//! The values come from the `domain` crate, as in every chapter; this file
//! only turns them into bytes and back, so the scenarios compare formats and
//! nothing else.

use capnp::message::{Builder, HeapAllocator, ReaderOptions};
use capnp::serialize::{self, NoAllocSliceSegments};
use domain::{Charge, Reading};
use serde::Serialize;

use crate::schema::payments_capnp::{charge, ledger, reading};
use crate::schema::payments_fbs::payments as fb;

/// A charge with realistic values, different for each `n`.
pub fn charge(n: u64) -> Charge {
    Charge {
        charge_id: format!("ch_{n:010}"),
        amount_cents: 1_250 + (n as i64 % 9_000),
        currency: "EUR".to_string(),
    }
}

/// `n` charges: the "large received message" of the zero-copy scenario.
pub fn ledger(n: u64) -> Vec<Charge> {
    (0..n).map(charge).collect()
}

/// JSON, as Chapter 1 sends it.
pub fn json<T: Serialize>(value: &T) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec(value)?)
}

/// MessagePack with each struct as a map: field names travel in every
/// message, as in JSON (`rmp_serde::to_vec_named`).
pub fn msgpack_named<T: Serialize>(value: &T) -> anyhow::Result<Vec<u8>> {
    Ok(rmp_serde::to_vec_named(value)?)
}

/// MessagePack with each struct as an array: only the values travel, and
/// both sides must agree on the order (`rmp_serde::to_vec`).
pub fn msgpack_positional<T: Serialize>(value: &T) -> anyhow::Result<Vec<u8>> {
    Ok(rmp_serde::to_vec(value)?)
}

// ANCHOR: prost
/// The protobuf messages, declared with prost's derive instead of a `.proto`
/// file; the tags are the field numbers a `.proto` file would give.
pub mod pb {
    // ANCHOR: prost_charge
    /// `message Charge { string charge_id = 1; int64 amount_cents = 2; string currency = 3; }`
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Charge {
        #[prost(string, tag = "1")]
        pub charge_id: String,
        #[prost(int64, tag = "2")]
        pub amount_cents: i64,
        #[prost(string, tag = "3")]
        pub currency: String,
    }
    // ANCHOR_END: prost_charge

    /// `message Ledger { repeated Charge charges = 1; }`
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Ledger {
        #[prost(message, repeated, tag = "1")]
        pub charges: Vec<Charge>,
    }

    /// `message Reading { string sensor_id = 1; double celsius = 2; ... }`
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Reading {
        #[prost(string, tag = "1")]
        pub sensor_id: String,
        #[prost(double, tag = "2")]
        pub celsius: f64,
        #[prost(uint32, tag = "3")]
        pub humidity_percent: u32,
        #[prost(uint64, tag = "4")]
        pub taken_at_ms: u64,
    }
}
// ANCHOR_END: prost

/// The protobuf form of a charge.
pub fn pb_charge(c: &Charge) -> pb::Charge {
    pb::Charge {
        charge_id: c.charge_id.clone(),
        amount_cents: c.amount_cents,
        currency: c.currency.clone(),
    }
}

/// The protobuf form of a reading.
pub fn pb_reading(r: &Reading) -> pb::Reading {
    pb::Reading {
        sensor_id: r.sensor_id.clone(),
        celsius: r.celsius,
        humidity_percent: r.humidity_percent.into(),
        taken_at_ms: r.taken_at_ms,
    }
}

/// The protobuf form of a ledger.
pub fn pb_ledger(charges: &[Charge]) -> pb::Ledger {
    pb::Ledger {
        charges: charges.iter().map(pb_charge).collect(),
    }
}

/// Protobuf bytes of any prost message.
pub fn protobuf(message: &impl prost::Message) -> Vec<u8> {
    message.encode_to_vec()
}

// ANCHOR: capnp_build
/// A Cap'n Proto message holding one charge: the builder writes each field
/// straight into its place in the message's words.
pub fn capnp_charge(c: &Charge) -> Builder<HeapAllocator> {
    let mut message = Builder::new_default();
    let mut root = message.init_root::<charge::Builder>();
    root.set_charge_id(c.charge_id.as_str());
    root.set_amount_cents(c.amount_cents);
    root.set_currency(c.currency.as_str());
    message
}
// ANCHOR_END: capnp_build

/// A Cap'n Proto message holding one reading.
pub fn capnp_reading(r: &Reading) -> Builder<HeapAllocator> {
    let mut message = Builder::new_default();
    let mut root = message.init_root::<reading::Builder>();
    root.set_sensor_id(r.sensor_id.as_str());
    root.set_celsius(r.celsius);
    root.set_humidity_percent(r.humidity_percent);
    root.set_taken_at_ms(r.taken_at_ms);
    message
}

/// A Cap'n Proto message holding a ledger of charges.
pub fn capnp_ledger(charges: &[Charge]) -> Builder<HeapAllocator> {
    let mut message = Builder::new_default();
    let root = message.init_root::<ledger::Builder>();
    let mut list = root.init_charges(charges.len() as u32);
    for (i, c) in charges.iter().enumerate() {
        let mut entry = list.reborrow().get(i as u32);
        entry.set_charge_id(c.charge_id.as_str());
        entry.set_amount_cents(c.amount_cents);
        entry.set_currency(c.currency.as_str());
    }
    message
}

/// The message as it travels: the segment table, then the segments.
pub fn capnp_bytes(message: &Builder<HeapAllocator>) -> Vec<u8> {
    serialize::write_message_to_words(message)
}

/// The same message, packed: runs of zero bytes squeezed out.
pub fn capnp_packed(message: &Builder<HeapAllocator>) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    capnp::serialize_packed::write_message(&mut out, message)?;
    Ok(out)
}

/// Reads a received Cap'n Proto message in place: no copy, no allocation.
pub fn capnp_reader(
    bytes: &[u8],
) -> capnp::Result<capnp::message::Reader<NoAllocSliceSegments<'_>>> {
    let mut options = ReaderOptions::new();
    // A lab message of a million charges is ~40 MB: allow it to be read.
    options.traversal_limit_in_words(Some(64 * 1024 * 1024));
    let mut slice = bytes;
    serialize::read_message_from_flat_slice_no_alloc(&mut slice, options)
}

/// FlatBuffers bytes of a reading (planus builds the buffer back to front).
pub fn flatbuffers_reading(r: &Reading) -> Vec<u8> {
    let table = fb::Reading {
        sensor_id: Some(r.sensor_id.clone()),
        celsius: r.celsius,
        humidity_percent: r.humidity_percent,
        taken_at_ms: r.taken_at_ms,
    };
    planus::Builder::new().finish(&table, None).to_vec()
}

fn fb_charge(c: &Charge) -> fb::Charge {
    fb::Charge {
        charge_id: Some(c.charge_id.clone()),
        amount_cents: c.amount_cents,
        currency: Some(c.currency.clone()),
    }
}

/// FlatBuffers bytes of a charge.
pub fn flatbuffers_charge(c: &Charge) -> Vec<u8> {
    planus::Builder::new().finish(fb_charge(c), None).to_vec()
}

/// FlatBuffers bytes of a ledger of charges.
pub fn flatbuffers_ledger(charges: &[Charge]) -> Vec<u8> {
    let table = fb::Ledger {
        charges: Some(charges.iter().map(fb_charge).collect()),
    };
    planus::Builder::new().finish(&table, None).to_vec()
}
