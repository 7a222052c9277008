//! Scenario `layout`: one charge as Cap'n Proto lays it out, word by word,
//! read back from the lab's own encoded bytes.
//!
//! A Cap'n Proto message is a segment table followed by 8-byte words. The
//! first word of the first segment points at the root struct; a struct is a
//! data section (numbers, in place) then a pointer section (one word per
//! text, list or struct field, each pointing further on).

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
            bytes: word(i),
            meaning,
        })
        .collect()
}
// ANCHOR_END: annotate

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
    let mut report = Report::new(crate::LAB, "layout");
    report.table(table);
    Ok(report)
}
