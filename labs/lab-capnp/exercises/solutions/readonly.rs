//! Reference solution for `capnp-readonly`.

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
        _: account::DepositParams,
        _: account::DepositResults,
    ) -> Result<(), capnp::Error> {
        Err(capnp::Error::failed(
            "this account capability is read-only".into(),
        ))
    }
}
