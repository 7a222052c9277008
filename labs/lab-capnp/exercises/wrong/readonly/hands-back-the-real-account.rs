//! Wrong: returns the account itself, so the holder can still deposit.
//!
//! A known-wrong answer to `capnp-readonly`, which the grading tests must
//! refuse (`cargo exercises verify` checks that they do).

use lab_capnp::schema::bank_capnp::account;

/// Wraps `account` in a capability that can read it but not write it.
pub fn attenuate(account: account::Client) -> account::Client {
    account
}
