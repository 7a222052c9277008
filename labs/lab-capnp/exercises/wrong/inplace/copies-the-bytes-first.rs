//! Wrong: copies the received bytes into a new buffer before reading, one allocation as large as the message.
//!
//! A known-wrong answer to `capnp-inplace`, which the grading tests must
//! refuse (`cargo exercises verify` checks that they do).

use lab_capnp::formats::capnp_reader;
use lab_capnp::schema::payments_capnp::ledger;

pub fn amount_of(bytes: &[u8], i: u32) -> anyhow::Result<i64> {
    let copy = bytes.to_vec();
    let message = capnp_reader(&copy)?;
    let ledger = message.get_root::<ledger::Reader>()?;
    Ok(ledger.get_charges()?.get(i).get_amount_cents())
}
