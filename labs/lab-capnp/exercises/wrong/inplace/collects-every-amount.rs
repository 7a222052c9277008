//! Wrong: collects every amount into a Vec and indexes it, allocating in proportion to the ledger.
//!
//! A known-wrong answer to `capnp-inplace`, which the grading tests must
//! refuse (`cargo exercises verify` checks that they do).

use lab_capnp::formats::capnp_reader;
use lab_capnp::schema::payments_capnp::ledger;

pub fn amount_of(bytes: &[u8], i: u32) -> anyhow::Result<i64> {
    let message = capnp_reader(bytes)?;
    let ledger = message.get_root::<ledger::Reader>()?;
    let amounts: Vec<i64> = ledger
        .get_charges()?
        .iter()
        .map(|c| c.get_amount_cents())
        .collect();
    Ok(amounts[i as usize])
}
