//! Grading tests for `capnp-inplace`.

use lab_capnp::formats;
use lab_capnp_exercises::inplace::amount_of;
use labkit::grade::{expect_eq, expect_ok};

#[test]
fn one_amount_is_read_in_place_without_allocating() {
    let charges = formats::ledger(5_000);
    let bytes = formats::capnp_bytes(&formats::capnp_ledger(&charges));
    for i in [0, 2_500, 4_999] {
        let mut read = Ok(0);
        let info = allocation_counter::measure(|| read = amount_of(&bytes, i));
        let read = expect_ok(read, "amount_of reads the ledger without an error");
        expect_eq(
            read,
            charges[i as usize].amount_cents,
            &format!("amount_of(bytes, {i}) is charge {i}'s amount"),
        );
        expect_eq(
            info.count_total,
            0,
            "amount_of allocates nothing: the amount is read where it lies",
        );
    }
}
