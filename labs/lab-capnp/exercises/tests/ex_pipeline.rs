//! Grading tests for `capnp-pipeline`.

use lab_capnp::bank::{self, OPENING_BALANCE};
use lab_capnp::pipeline::trace;
use lab_capnp_exercises::pipeline::balance;
use labkit::grade::{expect, expect_eq, expect_ok};

#[tokio::test]
async fn the_chain_costs_one_round_trip() {
    let bank = expect_ok(bank::spawn(), "the lab's bank starts");
    let t = expect_ok(
        trace(bank, balance).await,
        "balance() reads the balance through the proxy without an error",
    );
    expect_eq(
        t.balance,
        OPENING_BALANCE + 7,
        "balance(bank, 7) returns customer 7's balance",
    );
    expect_eq(t.calls().count(), 3, "the client sends three Call messages");
    expect(
        t.calls().all(|c| c.message.is_pipelined()),
        "every Call is aimed at the promised answer of the call before it",
        t.calls().map(|c| c.message.target).collect::<Vec<_>>(),
    );
    expect_eq(
        t.round_trips(),
        1,
        "all three calls leave before the first Return arrives (one round trip)",
    );
}
