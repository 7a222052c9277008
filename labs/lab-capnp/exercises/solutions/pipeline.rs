//! Reference solution for `capnp-pipeline`.

use lab_capnp::schema::bank_capnp::bank;

pub async fn balance(bank: bank::Client, id: u64) -> anyhow::Result<i64> {
    let mut request = bank.customer_request();
    request.get().set_id(id);
    let customer = request.send().pipeline.get_customer();
    let account = customer.account_request().send().pipeline.get_account();
    let balance = account.balance_request().send().promise.await?;
    Ok(balance.get()?.get_cents())
}
