//! Exercise `capnp-inplace`: read one amount without decoding the message.
//!
//! `amount_of(bytes, i)` gets a received Cap'n Proto `Ledger` and must return
//! the amount of charge `i`. The starter copies every charge into a
//! `domain::Charge` first — one allocation per string, per charge — to read
//! one number. Read it where it lies instead: open the bytes with
//! `lab_capnp::formats::capnp_reader`, take the root `Ledger`, then entry
//! `i` of its list. The grader counts allocations: it wants none.
//!
//! Grade it: `cargo exercises grade capnp-inplace`.

use lab_capnp::formats::capnp_reader;
use lab_capnp::schema::payments_capnp::ledger;

// ANCHOR: starter
pub fn amount_of(bytes: &[u8], i: u32) -> anyhow::Result<i64> {
    let message = capnp_reader(bytes)?;
    let ledger = message.get_root::<ledger::Reader>()?;
    // TODO: skip the copy: read entry `i` of the list directly.
    let mut charges = Vec::new();
    for charge in ledger.get_charges()? {
        charges.push(domain::Charge {
            charge_id: charge.get_charge_id()?.to_string()?,
            amount_cents: charge.get_amount_cents(),
            currency: charge.get_currency()?.to_string()?,
        });
    }
    Ok(charges[i as usize].amount_cents)
}
// ANCHOR_END: starter
