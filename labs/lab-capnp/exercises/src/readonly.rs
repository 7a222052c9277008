//! Exercise `capnp-readonly`: hand out a read-only view of an account.
//!
//! In Cap'n Proto a client can call only the objects it was handed, so to
//! let an auditor read a balance without moving money you hand it a
//! different object: one that answers `balance` by asking the real account
//! and refuses `deposit`. `attenuate` below must return such an object.
//! The starter forwards both calls; make `deposit` fail with an error whose
//! text says `read-only`, without touching the real account.
//!
//! Grade it: `cargo exercises grade capnp-readonly`.

use capnp::capability::Rc;
use lab_capnp::schema::bank_capnp::account;

/// Wraps `account` in a capability that can read it but not write it.
pub fn attenuate(account: account::Client) -> account::Client {
    capnp_rpc::new_client(ReadOnly { inner: account })
}

struct ReadOnly {
    inner: account::Client,
}

// ANCHOR: starter
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
        mut results: account::DepositResults,
    ) -> Result<(), capnp::Error> {
        // TODO: refuse instead: return Err(capnp::Error::failed(...)) with
        // a message saying the account is read-only.
        let mut request = self.inner.deposit_request();
        request.get().set_cents(params.get()?.get_cents());
        let answer = request.send().promise.await?;
        results.get().set_cents(answer.get()?.get_cents());
        Ok(())
    }
}
// ANCHOR_END: starter
