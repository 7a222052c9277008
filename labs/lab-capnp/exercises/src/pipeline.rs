//! Exercise `capnp-pipeline`: read a balance in one round trip.
//!
//! `balance` below reads customer `id`'s balance with three calls (bank →
//! customer → account → balance), awaiting each answer before the next call,
//! so it pays three round trips. Rewrite it so that all three calls leave at
//! once, each aimed at the promised answer of the one before, and only the
//! balance is awaited.
//!
//! Grade it: `cargo exercises grade capnp-pipeline`.

use lab_capnp::schema::bank_capnp::bank;

// ANCHOR: starter
pub async fn balance(bank: bank::Client, id: u64) -> anyhow::Result<i64> {
    // TODO: don't await the customer or the account: take them from the
    // `pipeline` of each request instead of from its `promise`.
    let mut request = bank.customer_request();
    request.get().set_id(id);
    let customer = request.send().promise.await?.get()?.get_customer()?;
    let account = customer.account_request().send().promise.await?;
    let account = account.get()?.get_account()?;
    let balance = account.balance_request().send().promise.await?;
    Ok(balance.get()?.get_cents())
}
// ANCHOR_END: starter
