//! Reference solution for `capnp-inplace`.

use lab_capnp::formats::capnp_reader;
use lab_capnp::schema::payments_capnp::ledger;

pub fn amount_of(bytes: &[u8], i: u32) -> anyhow::Result<i64> {
    let message = capnp_reader(bytes)?;
    let ledger = message.get_root::<ledger::Reader>()?;
    Ok(ledger.get_charges()?.get(i).get_amount_cents())
}
