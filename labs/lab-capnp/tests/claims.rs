//! One test per row of the chapter's "Claims checked by the lab" table.
//! Each asserts bytes, counts or orderings measured in the test itself.

use lab_capnp::bank::OPENING_BALANCE;
use lab_capnp::pipeline::{self, CUSTOMER};
use lab_capnp::sizes;
use lab_capnp::zerocopy::{self, FORMATS, Received};

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
