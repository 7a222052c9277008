//! One test per row of the chapter's "Claims checked by the lab" table.
//! Each asserts bytes, counts or orderings measured in the test itself.

use lab_capnp::bank::OPENING_BALANCE;
use lab_capnp::codecs::{self, CODECS};
use lab_capnp::formats;
use lab_capnp::pipeline::{self, CUSTOMER};
use lab_capnp::sizes;
use lab_capnp::zerocopy::{self, FORMATS, Received};
use planus::ReadAsRoot;

#[test]
fn names_cost_bytes_and_packing_undoes_capnp_padding() {
    for s in sizes::measure().unwrap() {
        let [json, map, array, protobuf, flatbuffers, capnp, packed] = s.bytes;
        assert!(json > map && map > array, "{}: {:?}", s.message, s.bytes);
        assert!(array <= protobuf + 1, "{}: {:?}", s.message, s.bytes);
        assert_eq!(capnp % 8, 0, "{}: Cap'n Proto is whole words", s.message);
        assert!(capnp > protobuf, "{}: padding costs bytes", s.message);
        assert!(flatbuffers > protobuf, "{}: offsets cost bytes", s.message);
        assert!(packed < capnp, "{}: packing shrinks it", s.message);
    }
}

#[test]
fn every_codec_gives_back_the_ledger_it_was_given_in_its_own_number_of_bytes() {
    let charges = formats::ledger(codecs::CHARGES);
    let mut sizes = Vec::new();
    for (codec, name) in CODECS.iter().enumerate() {
        let bytes = codecs::encode(codec, &charges).unwrap();
        let back = codecs::decode(codec, &bytes).unwrap();
        assert_eq!(back.len(), 1_000, "{name}");
        assert!(back == charges, "{name} changed a charge on the way");
        sizes.push(bytes.len());
    }
    // JSON, MessagePack map, MessagePack array, protobuf, FlatBuffers, Cap'n Proto.
    assert_eq!(sizes, [67_001, 54_003, 22_003, 25_000, 44_046, 64_048]);
}

#[test]
fn messagepack_reads_a_misspelled_field_as_absent_without_error() {
    let (bytes, read) = sizes::misspelled().unwrap();
    let typo_key = b"amount_cent";
    assert!(bytes.windows(typo_key.len()).any(|w| w == typo_key));
    assert_eq!(read.amount_cents, 0, "the 1250 cents were not read");
    assert_eq!(read.currency, "EUR", "the rest of the message was");
}

#[test]
fn capnp_and_flatbuffers_read_one_field_with_no_allocation_the_others_allocate_per_charge() {
    for n in [1_000, 10_000] {
        let received = Received::ledger(n).unwrap();
        let capnp = zerocopy::cost(&received, 4).unwrap();
        assert_eq!(capnp.allocations, 0, "Cap'n Proto, {n} charges");
        let flatbuffers = zerocopy::cost(&received, 3).unwrap();
        assert_eq!(flatbuffers.allocations, 0, "FlatBuffers, {n} charges");
        assert_eq!(flatbuffers.value, capnp.value);
        for (f, name) in FORMATS.iter().enumerate().take(3) {
            let cost = zerocopy::cost(&received, f).unwrap();
            assert_eq!(cost.value, capnp.value, "{name} read another amount");
            assert!(
                cost.allocations >= n,
                "{name} made {} allocations for {n} charges",
                cost.allocations
            );
        }
    }
}

#[tokio::test]
async fn pipelined_calls_all_leave_before_the_first_return() {
    let bank = lab_capnp::bank::spawn().unwrap();
    let t = pipeline::trace(bank, pipeline::pipelined).await.unwrap();
    assert_eq!(t.balance, OPENING_BALANCE + CUSTOMER as i64);
    assert_eq!(t.calls().count(), 3);
    assert!(t.calls().all(|c| c.message.is_pipelined()));
    assert_eq!(t.returns_before_each_call(), [0, 0, 0]);
    assert_eq!(t.round_trips(), 1);
}

#[tokio::test]
async fn awaited_calls_each_wait_for_the_previous_return() {
    let bank = lab_capnp::bank::spawn().unwrap();
    let t = pipeline::trace(bank, pipeline::sequential).await.unwrap();
    assert_eq!(t.balance, OPENING_BALANCE + CUSTOMER as i64);
    assert_eq!(t.calls().count(), 3);
    let waits = t.returns_before_each_call();
    assert!(waits.windows(2).all(|w| w[0] < w[1]), "{waits:?}");
    assert_eq!(t.round_trips(), 3);
}

#[test]
fn a_charge_is_a_root_pointer_one_data_word_two_text_pointers_and_the_text() {
    use lab_capnp::layout::{annotate, pointer};
    let words = annotate();
    assert_eq!(words.len(), 8, "8-byte table + 7 words = 64 bytes");
    assert_eq!(
        words[0].bytes,
        [0, 0, 0, 0, 7, 0, 0, 0],
        "1 segment of 7 words"
    );
    let root = u64::from_le_bytes(words[1].bytes);
    assert_eq!(pointer(root), "struct at +0w, 1 data, 2 pointers");
    assert_eq!(
        words[2].bytes,
        1_257i64.to_le_bytes(),
        "amountCents in place"
    );
    let charge_id = u64::from_le_bytes(words[3].bytes);
    assert_eq!(pointer(charge_id), "list at +1w, 14 elements of code 2");
    let currency = u64::from_le_bytes(words[4].bytes);
    assert_eq!(pointer(currency), "list at +2w, 4 elements of code 2");
    assert_eq!(&words[5].bytes, b"ch_00000");
    assert_eq!(&words[6].bytes, b"00007\0\0\0");
    assert_eq!(&words[7].bytes, b"EUR\0\0\0\0\0");
}

#[tokio::test]
async fn a_capability_never_handed_out_cannot_be_called() {
    let bank = lab_capnp::bank::spawn().unwrap();
    let forged = lab_capnp::capabilities::forge(bank).await.unwrap();
    assert_eq!(
        forged.answers,
        ["Return", "Abort"],
        "bootstrap answered, then the end"
    );
    let reason = forged.abort_reason.unwrap();
    assert!(reason.contains("not a current export ID"), "{reason}");
}

#[tokio::test]
async fn a_read_only_view_refuses_deposits_and_a_revoked_loan_refuses_everything() {
    let bank = lab_capnp::bank::spawn().unwrap();
    let r = lab_capnp::capabilities::rights(bank).await.unwrap();
    let balance = OPENING_BALANCE + CUSTOMER as i64;
    assert_eq!(r.view_balance, Ok(balance));
    assert!(
        r.view_deposit
            .as_ref()
            .is_err_and(|e| e.contains("read-only")),
        "{r:?}"
    );
    assert_eq!(
        r.real_balance_after,
        Ok(balance),
        "the refused deposit moved nothing"
    );
    assert_eq!(r.lent_before, Ok(balance));
    assert!(
        r.lent_after.as_ref().is_err_and(|e| e.contains("revoked")),
        "{r:?}"
    );
}

#[test]
fn added_fields_read_as_defaults_and_retyped_or_renumbered_fields_read_garbage() {
    let seen = lab_capnp::evolution::measure().unwrap();
    let find = |w: &str, r: &str| {
        seen.iter()
            .find(|s| s.writer == w && s.reader == r)
            .unwrap()
    };
    for (w, r) in [("v1", "v2"), ("v2", "v1")] {
        let s = find(w, r);
        assert_eq!(
            (s.charge_id.as_str(), s.amount.as_str(), s.currency.as_str()),
            ("ch_0000000007", "1257", "EUR"),
            "{w} written, {r} read"
        );
    }
    assert_eq!(find("v1", "v2").extra, "\"\", 25", "defaults");
    assert_eq!(find("v2", "v2").extra, "\"refund 88\", 40");
    for w in ["v1", "v2"] {
        assert_eq!(
            find(w, "retyped").amount,
            "6.21e-321",
            "1257's bits as a float"
        );
        let renumbered = find(w, "renumbered");
        assert_eq!(renumbered.charge_id, "EUR");
        assert_eq!(renumbered.currency, "ch_0000000007");
    }
}

/// The FlatBuffers layout is read from the buffer, not assumed: every byte
/// belongs to one labelled piece, the offsets lead where the format says,
/// and writing at a decoded field position changes what planus reads there.
#[test]
fn a_flatbuffers_charge_is_a_root_offset_a_vtable_and_fields_the_vtable_locates() {
    use lab_capnp::schema::payments_fbs::payments as fb;
    let l = lab_capnp::layout::flatbuffers().unwrap();
    let b = &l.bytes;
    let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    let mut at = 0;
    for p in &l.pieces {
        assert_eq!(p.offset, at, "pieces tile the buffer: {:?}", l.pieces);
        at += p.len;
    }
    assert_eq!(at, b.len(), "pieces cover every byte");

    assert_eq!(
        u32_at(0),
        l.table,
        "the first 4 bytes locate the root table"
    );
    let to_vtable = i32::from_le_bytes(b[l.table..l.table + 4].try_into().unwrap());
    assert_eq!(l.table as i64 - i64::from(to_vtable), l.vtable as i64);
    let vtable_len = u16::from_le_bytes([b[l.vtable], b[l.vtable + 1]]);
    assert_eq!(vtable_len, 4 + 2 * 3, "size, table size, three field slots");
    assert_eq!(l.fields.len(), 3);
    for f in &l.fields {
        let f = f.expect("all three fields are set");
        assert!(
            f >= l.table + 4 && f < l.table + l.table_len,
            "{f} inside the table"
        );
    }

    let amount_at = l.fields[1].unwrap();
    assert_eq!(b[amount_at..amount_at + 8], 1_257i64.to_le_bytes());
    let mut changed = b.clone();
    changed[amount_at..amount_at + 8].copy_from_slice(&4_242i64.to_le_bytes());
    let read = fb::ChargeRef::read_as_root(&changed[..]).unwrap();
    assert_eq!(
        read.amount_cents().unwrap(),
        4_242,
        "the amount lives there"
    );

    for (id, text) in [(0, "ch_0000000007"), (2, "EUR")] {
        let field = l.fields[id].unwrap();
        let string = field + u32_at(field);
        assert_eq!(u32_at(string), text.len(), "length before the bytes");
        assert_eq!(&b[string + 4..string + 4 + text.len()], text.as_bytes());
        assert_eq!(b[string + 4 + text.len()], 0, "then a NUL");
        let mut changed = b.clone();
        changed[string + 4] = b'X';
        let read = fb::ChargeRef::read_as_root(&changed[..]).unwrap();
        let got = if id == 0 {
            read.charge_id()
        } else {
            read.currency()
        };
        assert_eq!(got.unwrap().unwrap(), format!("X{}", &text[1..]));
    }
}

#[test]
fn flatbuffers_added_fields_read_as_defaults_and_retyped_or_removed_fields_break() {
    let seen = lab_capnp::evolution::fb_measure().unwrap();
    let row = |writer: &str, reader: &str| {
        seen.iter()
            .find(|s| s.writer == writer && s.reader == reader)
            .unwrap_or_else(|| panic!("{writer} read by {reader}: {seen:?}"))
            .clone()
    };
    for (writer, reader) in [("v1", "v1"), ("v1", "v2"), ("v2", "v1"), ("v2", "v2")] {
        let s = row(writer, reader);
        assert_eq!(
            (s.charge_id.as_str(), s.amount.as_str(), s.currency.as_str()),
            ("ch_0000000007", "1257", "EUR"),
            "{writer} read by {reader}"
        );
    }
    assert_eq!(
        row("v1", "v2").extra,
        "(absent), 25",
        "new fields at their defaults"
    );
    assert_eq!(row("v2", "v2").extra, "refund 88, 40");
    for writer in ["v1", "v2"] {
        let retyped = row(writer, "retyped");
        assert_eq!(retyped.amount, format!("{:e}", f64::from_bits(1_257)));
        let removed = row(writer, "removed");
        assert_ne!(
            removed.amount, "1257",
            "id 0 is now the old charge_id's slot"
        );
        assert!(
            removed.currency.starts_with("Err("),
            "id 1 is the old amount, followed as an offset: {removed:?}"
        );
    }
}
