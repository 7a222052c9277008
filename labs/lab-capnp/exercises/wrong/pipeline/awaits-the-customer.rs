//! Wrong: awaits the customer, then pipelines the rest: two round trips, not one.
//!
//! A known-wrong answer to `capnp-pipeline`, which the grading tests must
//! refuse (`cargo exercises verify` checks that they do).

use lab_capnp::schema::bank_capnp::bank;

pub async fn balance(bank: bank::Client, id: u64) -> anyhow::Result<i64> {
    let mut request = bank.customer_request();
    request.get().set_id(id);
    let customer = request.send().promise.await?.get()?.get_customer()?;
    let account = customer.account_request().send().pipeline.get_account();
    let balance = account.balance_request().send().promise.await?;
    Ok(balance.get()?.get_cents())
}
