//! Wrong: forwards the deposit and then reports an error, so the money moves anyway.
//!
//! A known-wrong answer to `capnp-readonly`, which the grading tests must
//! refuse (`cargo exercises verify` checks that they do).

use capnp::capability::Rc;
use lab_capnp::schema::bank_capnp::account;

/// Wraps `account` in a capability that can read it but not write it.
pub fn attenuate(account: account::Client) -> account::Client {
    capnp_rpc::new_client(ReadOnly { inner: account })
}

struct ReadOnly {
    inner: account::Client,
}

impl account::Server for ReadOnly {
    async fn balance(
        self: Rc<Self>,
        _: account::BalanceParams,
        mut results: account::BalanceResults,
    ) -> Result<(), capnp::Error> {
        let answer = self.inner.balance_request().send().promise.await?;
        results.get().set_cents(answer.get()?.get_cents());
        Ok(())
    }

    async fn deposit(
        self: Rc<Self>,
        params: account::DepositParams,
        _: account::DepositResults,
    ) -> Result<(), capnp::Error> {
        let mut request = self.inner.deposit_request();
        request.get().set_cents(params.get()?.get_cents());
        request.send().promise.await?;
        Err(capnp::Error::failed(
            "this account capability is read-only".into(),
        ))
    }
}
