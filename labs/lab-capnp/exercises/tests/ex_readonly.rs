//! Grading tests for `capnp-readonly`.

use lab_capnp::bank::open_account;
use lab_capnp::schema::bank_capnp::account;
use lab_capnp_exercises::readonly::attenuate;
use labkit::grade::{expect, expect_eq, expect_ok};

async fn balance(account: &account::Client) -> Result<i64, capnp::Error> {
    let answer = account.balance_request().send().promise.await?;
    Ok(answer.get()?.get_cents())
}

async fn deposit(account: &account::Client, cents: i64) -> Result<i64, capnp::Error> {
    let mut request = account.deposit_request();
    request.get().set_cents(cents);
    let answer = request.send().promise.await?;
    Ok(answer.get()?.get_cents())
}

#[tokio::test]
async fn the_view_reads_but_cannot_deposit() {
    tokio::task::LocalSet::new()
        .run_until(async {
            let real = open_account(12_500);
            let view = attenuate(real.clone());
            expect_eq(
                expect_ok(balance(&view).await, "the read-only view answers balance"),
                12_500,
                "the view reads the real account's balance",
            );
            let refused = deposit(&view, 1_000).await;
            expect(
                refused
                    .as_ref()
                    .is_err_and(|e| e.to_string().contains("read-only")),
                "a deposit through the view fails with an error saying read-only",
                &refused,
            );
            expect_eq(
                expect_ok(balance(&real).await, "the real account answers balance"),
                12_500,
                "the refused deposit did not reach the real account",
            );
        })
        .await;
}
