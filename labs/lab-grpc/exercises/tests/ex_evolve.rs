//! Grading tests for `grpc-evolve`: bytes written by one version, read by
//! the other, as between an old and a new peer on the wire.

use lab_grpc_exercises::evolve::{OrderV1, OrderV2};
use labkit::grade::expect;
use prost::Message;

#[test]
fn an_old_peer_reads_the_new_message_without_confusion() {
    let v2 = OrderV2 {
        id: 7,
        amount_cents: 1250,
        currency: "EUR".into(),
    };
    let read = OrderV1::decode(&v2.encode_to_vec()[..]);
    let Ok(read) = read else {
        expect(false, "a v1 peer decodes v2 bytes", read.map(|_| ()));
        return;
    };
    expect(
        (read.id, read.amount_cents) == (7, 1250),
        "a v1 peer reads id and amount_cents intact",
        (read.id, read.amount_cents),
    );
    expect(
        read.note.is_empty(),
        "a v1 peer does not read the currency as its note",
        &read.note,
    );
}

#[test]
fn a_new_peer_reads_the_old_message_with_an_empty_currency() {
    let v1 = OrderV1 {
        id: 8,
        amount_cents: 990,
        note: "gift wrap".into(),
    };
    let read = OrderV2::decode(&v1.encode_to_vec()[..]);
    let Ok(read) = read else {
        expect(false, "a v2 peer decodes v1 bytes", read.map(|_| ()));
        return;
    };
    expect(
        (read.id, read.amount_cents) == (8, 990),
        "a v2 peer reads id and amount_cents intact",
        (read.id, read.amount_cents),
    );
    expect(
        read.currency.is_empty(),
        "a v2 peer reads the missing currency as \"\", not the old note",
        &read.currency,
    );
}

#[test]
fn the_currency_round_trips_between_new_peers() {
    let v2 = OrderV2 {
        id: 9,
        amount_cents: 1,
        currency: "CHF".into(),
    };
    let read = OrderV2::decode(&v2.encode_to_vec()[..]).ok();
    expect(
        read.as_ref() == Some(&v2),
        "v2 → v2 keeps every field",
        &read,
    );
}
