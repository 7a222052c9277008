//! Scenario `layout`: one charge as Cap'n Proto lays it out, word by word,
//! and as FlatBuffers lays it out, piece by piece, both read back from the
//! lab's own encoded bytes.
//!
//! A Cap'n Proto message is a segment table followed by 8-byte words. The
//! first word of the first segment points at the root struct; a struct is a
//! data section (numbers, in place) then a pointer section (one word per
//! text, list or struct field, each pointing further on).
//!
//! A FlatBuffers buffer starts with the offset of its root table. The table
//! starts with a signed offset to its vtable, a row of 16-bit numbers giving
//! the vtable's size, the table's size, and where in the table each field
//! sits (0: absent). Strings sit after the table, each a 32-bit length, the
//! bytes and a NUL. [`flatbuffers`] follows those offsets the way a reader
//! does; a real reader (planus, flatbuffers-rs) does the same, bounds-checked.

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::Lab;
use crate::formats;

/// The scenario, as `cargo run -p lab-capnp -- layout` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "layout",
    "one encoded charge, annotated word by word",
    "numbers sit in place in the data section; text sits behind pointers",
);

/// One 8-byte piece of the message and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Offset of the word in the message's bytes.
    pub offset: usize,
    /// How many of `bytes` belong to it: 8 for a Cap'n Proto word, 2 to 8
    /// for a FlatBuffers piece.
    pub len: usize,
    pub bytes: [u8; 8],
    pub meaning: String,
}

/// What a pointer word says, decoded as the encoding specification lays it out.
pub fn pointer(word: u64) -> String {
    if word == 0 {
        return "null pointer".into();
    }
    let offset = (word as u32 as i32) >> 2;
    match word & 3 {
        0 => format!(
            "struct at +{offset}w, {} data, {} pointers",
            (word >> 32) & 0xFFFF,
            word >> 48
        ),
        1 => format!(
            "list at +{offset}w, {} elements of code {}",
            word >> 35,
            (word >> 32) & 7
        ),
        2 => "far pointer (into another segment)".into(),
        _ => "capability pointer".into(),
    }
}

// ANCHOR: annotate
/// The charge from `formats::charge(7)`, encoded, and each of its words
/// explained. The meanings follow `schema/payments.capnp`: `amountCents` is
/// the struct's one data word, `chargeId` and `currency` its two pointers.
pub fn annotate() -> Vec<Word> {
    let bytes = formats::capnp_bytes(&formats::capnp_charge(&formats::charge(7)));
    let word = |i: usize| -> [u8; 8] { bytes[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]) };
    let value = |i: usize| u64::from_le_bytes(word(i));
    let segments = u32::from_le_bytes(word(0)[..4].try_into().unwrap_or([0; 4])) + 1;
    let size = u32::from_le_bytes(word(0)[4..].try_into().unwrap_or([0; 4]));
    let text = |i: usize| String::from_utf8_lossy(&word(i)).replace('\0', "·");
    let mut words = vec![
        (
            0,
            format!("segment table: {segments} segment of {size} words"),
        ),
        (1, format!("root: {}", pointer(value(1)))),
        (2, format!("data: amountCents = {}", value(2) as i64)),
        (3, format!("chargeId: {}", pointer(value(3)))),
        (4, format!("currency: {}", pointer(value(4)))),
        (5, format!("chargeId text \"{}\"", text(5))),
        (6, format!("chargeId text \"{}\" (NUL, padding)", text(6))),
        (7, format!("currency text \"{}\" (NUL, padding)", text(7))),
    ];
    words.truncate(bytes.len() / 8);
    words
        .into_iter()
        .map(|(i, meaning)| Word {
            offset: i * 8,
            len: 8,
            bytes: word(i),
            meaning,
        })
        .collect()
}
// ANCHOR_END: annotate

/// The charge's FlatBuffers fields, by id, as `schema/payments.fbs` declares them.
const FB_FIELDS: [&str; 3] = ["charge_id", "amount_cents", "currency"];

/// Where a FlatBuffers reader finds each part of the charge, read from its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatLayout {
    /// The encoded bytes.
    pub bytes: Vec<u8>,
    /// Where the root table starts (the first four bytes say so).
    pub table: usize,
    /// Where its vtable starts: the table's first four bytes, subtracted.
    pub vtable: usize,
    /// The table's size in bytes, from the vtable.
    pub table_len: usize,
    /// Each field's position in the buffer by id, `None` when absent.
    pub fields: Vec<Option<usize>>,
    /// The labelled pieces, in buffer order, covering every byte.
    pub pieces: Vec<Word>,
}

fn u16_at(b: &[u8], at: usize) -> anyhow::Result<usize> {
    let two = b.get(at..at + 2).context("a 16-bit offset past the end")?;
    Ok(usize::from(u16::from_le_bytes([two[0], two[1]])))
}

fn u32_at(b: &[u8], at: usize) -> anyhow::Result<u32> {
    let four = b.get(at..at + 4).context("a 32-bit offset past the end")?;
    Ok(u32::from_le_bytes([four[0], four[1], four[2], four[3]]))
}

// ANCHOR: flatbuffers
/// Where the root table, its vtable and each field's slot are: the offsets a
/// FlatBuffers reader follows, read from the buffer `b`.
fn locate(b: &[u8]) -> anyhow::Result<(usize, usize, Vec<usize>)> {
    let table = u32_at(b, 0)? as usize; // root: an unsigned offset
    let to_vtable = u32_at(b, table)? as i32; // signed: the vtable may sit either side
    let vtable = usize::try_from(table as i64 - i64::from(to_vtable))?;
    let vtable_len = u16_at(b, vtable)?; // then the table's length, then one slot per id
    let slots = (0..vtable_len.saturating_sub(4) / 2)
        .map(|id| u16_at(b, vtable + 4 + 2 * id)) // 0: the field is absent
        .collect::<anyhow::Result<Vec<usize>>>()?;
    Ok((table, vtable, slots))
}
// ANCHOR_END: flatbuffers

/// The charge from `formats::charge(7)` as FlatBuffers bytes, each part
/// found by following the offsets from the first four bytes.
pub fn flatbuffers() -> anyhow::Result<FlatLayout> {
    let b = formats::flatbuffers_charge(&formats::charge(7));
    let mut found: Vec<(usize, usize, String)> = Vec::new(); // (offset, length, meaning)
    let (table, vtable, slots) = locate(&b)?;
    let to_vtable = table as i64 - vtable as i64;
    let vtable_len = 4 + 2 * slots.len();
    let table_len = u16_at(&b, vtable + 2)?;
    found.push((0, 4, format!("root: table at 0 + {table}")));
    found.push((
        table,
        4,
        format!("table: vtable at {table} - ({to_vtable}) = {vtable}"),
    ));
    found.push((vtable, 2, format!("vtable: {vtable_len} bytes long")));
    found.push((vtable + 2, 2, format!("vtable: table is {table_len} bytes")));
    let mut fields = Vec::new();
    for (id, &slot) in slots.iter().enumerate() {
        let name = FB_FIELDS.get(id).copied().unwrap_or("(unknown)");
        let at = (slot != 0).then_some(table + slot);
        let text = format!("vtable: {name} at table + {slot}");
        found.push((vtable + 4 + 2 * id, 2, text));
        fields.push(at);
        let Some(at) = at else { continue };
        if name == "amount_cents" {
            let amount = i64::from_le_bytes(b.get(at..at + 8).context("amount")?.try_into()?);
            found.push((at, 8, format!("table: amount_cents = {amount}")));
            continue;
        }
        let text = at + u32_at(&b, at)? as usize;
        let len = u32_at(&b, text)? as usize;
        found.push((at, 4, format!("table: {name} at {at} + {}", text - at)));
        found.push((text, 4, format!("{name}: length {len}")));
        found.push((text + 4, len + 1, format!("{name} text")));
    }
    found.sort_by_key(|f| f.0);
    let mut pieces = Vec::new();
    let mut at = 0;
    for (offset, len, meaning) in found {
        anyhow::ensure!(offset >= at, "two parts overlap at byte {offset}");
        if offset > at {
            pieces.push(piece(&b, at, offset - at, "padding (alignment)".into()));
        }
        // Text longer than a row is shown 8 bytes at a time.
        for start in (offset..offset + len).step_by(8) {
            let end = (start + 8).min(offset + len);
            let meaning = match meaning.strip_suffix(" text") {
                Some(name) => {
                    let chunk = String::from_utf8_lossy(&b[start..end]).replace('\0', "·");
                    format!("{name} text \"{chunk}\"")
                }
                None => meaning.clone(),
            };
            pieces.push(piece(&b, start, end - start, meaning));
        }
        at = offset + len;
    }
    if at < b.len() {
        pieces.push(piece(&b, at, b.len() - at, "padding (alignment)".into()));
    }
    Ok(FlatLayout {
        table,
        vtable,
        table_len,
        fields,
        pieces,
        bytes: b,
    })
}

/// A labelled piece of `len` bytes at `offset` (at most 8, for one row).
fn piece(b: &[u8], offset: usize, len: usize, meaning: String) -> Word {
    let mut bytes = [0u8; 8];
    bytes[..len.min(8)].copy_from_slice(&b[offset..offset + len.min(8)]);
    Word {
        offset,
        len: len.min(8),
        bytes,
        meaning,
    }
}

/// The `layout` scenario: the annotated words as a table.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let words = annotate();
    let mut table = Table::new(
        "One charge in Cap'n Proto, 8 bytes per row",
        &["offset", "bytes (hex)", "what they hold"],
    );
    for w in &words {
        let hex: Vec<String> = w.bytes.iter().map(|b| format!("{b:02x}")).collect();
        table.row([w.offset.to_string(), hex.join(" "), w.meaning.clone()]);
    }
    table.note("+Nw: N words on from the end of the pointer; list code 2 = 1-byte elements");
    let flat = flatbuffers()?;
    let mut fb = Table::new(
        "The same charge in FlatBuffers, one part per row",
        &["offset", "bytes (hex)", "what they hold"],
    );
    for p in &flat.pieces {
        let hex: Vec<String> = p.bytes[..p.len]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        fb.row([p.offset.to_string(), hex.join(" "), p.meaning.clone()]);
    }
    fb.note("offsets are little-endian; a table reaches each field through its vtable");
    let mut report = Report::new(crate::LAB, "layout");
    report.table(table);
    report.table(fb);
    Ok(report)
}
