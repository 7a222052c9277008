//! The lab's bank, served over Cap'n Proto RPC, and a way to call it.
//!
//! A `Bank` hands out a `Customer`, a customer hands out its `Account`, an
//! account answers its balance: three objects, each reachable only through
//! the one before, so reading a balance is a chain of three dependent calls.
//! capnp-rpc runs on one thread (its objects are reference-counted, not
//! shared), so the server and each client get a thread and a single-threaded
//! tokio runtime of their own.
//! A real bank would keep its accounts in a database, not in memory.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use capnp::capability::Rc;
use capnp_rpc::{RpcSystem, rpc_twoparty_capnp::Side, twoparty};
use futures::io::{BufReader, BufWriter};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedReadHalf;
use tokio_util::compat::{Compat, TokioAsyncReadCompatExt, TokioAsyncWriteCompatExt};

use crate::schema::bank_capnp::{account, bank, customer, lease};

/// Every customer's account starts with this balance, in cents.
pub const OPENING_BALANCE: i64 = 12_500;

// ANCHOR: server
/// The bank: the object a client gets first (the "bootstrap" capability).
struct Bank;

impl bank::Server for Bank {
    async fn customer(
        self: Rc<Self>,
        params: bank::CustomerParams,
        mut results: bank::CustomerResults,
    ) -> Result<(), capnp::Error> {
        // ANCHOR: customer_cap
        let id = params.get()?.get_id();
        let account = open_account(OPENING_BALANCE + id as i64);
        let customer: customer::Client = capnp_rpc::new_client(Customer { account });
        results.get().set_customer(customer);
        Ok(())
        // ANCHOR_END: customer_cap
    }
}

/// One customer, handed out by the bank, holding one account.
struct Customer {
    account: account::Client,
}

impl customer::Server for Customer {
    async fn account(
        self: Rc<Self>,
        _: customer::AccountParams,
        mut results: customer::AccountResults,
    ) -> Result<(), capnp::Error> {
        results.get().set_account(self.account.clone());
        Ok(())
    }

    async fn read_only(
        self: Rc<Self>,
        _: customer::ReadOnlyParams,
        mut results: customer::ReadOnlyResults,
    ) -> Result<(), capnp::Error> {
        let view: account::Client = capnp_rpc::new_client(ReadOnly {
            inner: self.account.clone(),
        });
        results.get().set_account(view);
        Ok(())
    }

    async fn lend(
        self: Rc<Self>,
        _: customer::LendParams,
        mut results: customer::LendResults,
    ) -> Result<(), capnp::Error> {
        // ANCHOR: lend_slot
        let slot = std::rc::Rc::new(RefCell::new(Some(self.account.clone())));
        let lent: account::Client = capnp_rpc::new_client(Lent(slot.clone()));
        let lease: lease::Client = capnp_rpc::new_client(Lease(slot));
        let mut results = results.get();
        results.set_account(lent);
        results.set_lease(lease);
        // ANCHOR_END: lend_slot
        Ok(())
    }
}
// ANCHOR_END: server

/// A new account holding `cents`, as a capability: whoever is handed the
/// returned client can call it, and nobody else can.
pub fn open_account(cents: i64) -> account::Client {
    capnp_rpc::new_client(Account {
        cents: Cell::new(cents),
    })
}

/// One account, handed out by its customer.
struct Account {
    cents: Cell<i64>,
}

impl account::Server for Account {
    async fn balance(
        self: Rc<Self>,
        _: account::BalanceParams,
        mut results: account::BalanceResults,
    ) -> Result<(), capnp::Error> {
        results.get().set_cents(self.cents.get());
        Ok(())
    }

    async fn deposit(
        self: Rc<Self>,
        params: account::DepositParams,
        mut results: account::DepositResults,
    ) -> Result<(), capnp::Error> {
        let cents = self.cents.get() + params.get()?.get_cents();
        self.cents.set(cents);
        results.get().set_cents(cents);
        Ok(())
    }
}

/// Starts the bank on a free loopback port, on a thread of its own that
/// lives as long as the process; returns its address.
pub fn spawn() -> anyhow::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("cannot bind loopback")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    std::thread::Builder::new()
        .name("capnp-bank".into())
        .spawn(move || {
            on_one_thread::<()>(async move {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                loop {
                    let (stream, _) = listener.accept().await?;
                    stream.set_nodelay(true)?;
                    let bank: bank::Client = capnp_rpc::new_client(Bank);
                    let rpc = RpcSystem::new(network(stream, Side::Server), Some(bank.client));
                    tokio::task::spawn_local(rpc);
                }
            })
        })?;
    Ok(addr)
}

/// The two-party "network" over one TCP connection.
fn network(
    stream: TcpStream,
    side: Side,
) -> Box<twoparty::VatNetwork<BufReader<Compat<OwnedReadHalf>>>> {
    let (reader, writer) = stream.into_split();
    Box::new(twoparty::VatNetwork::new(
        BufReader::new(reader.compat()),
        BufWriter::new(writer.compat_write()),
        side,
        Default::default(),
    ))
}

/// Runs `body` on a single-threaded runtime where capnp-rpc's tasks can live.
fn on_one_thread<T>(body: impl Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    tokio::task::LocalSet::new().block_on(&runtime, body)
}

/// Connects to the bank at `addr`, hands its bootstrap capability to
/// `body`, and returns what `body` returns, after closing the connection.
pub async fn with_bank<T, F, Fut>(addr: SocketAddr, body: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: FnOnce(bank::Client) -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<T>>,
{
    tokio::task::spawn_blocking(move || {
        on_one_thread(async move {
            let stream = TcpStream::connect(addr)
                .await
                .with_context(|| format!("cannot connect to the bank at {addr}"))?;
            stream.set_nodelay(true)?;
            let mut rpc = RpcSystem::new(network(stream, Side::Client), None);
            let bank: bank::Client = rpc.bootstrap(Side::Server);
            let disconnector = rpc.get_disconnector();
            tokio::task::spawn_local(rpc);
            let out = body(bank).await;
            disconnector.await?;
            out
        })
    })
    .await?
}

// ANCHOR: attenuate
/// An account that can be read but not written: the object a holder of a
/// read-only right is given instead of the account.
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
        Err(capnp::Error::failed("read-only view".into()))
    }
}
// ANCHOR_END: attenuate

// ANCHOR: revoke
/// A lent account: it forwards every call until the loan is revoked, and
/// from then on refuses them all.
struct Lent(std::rc::Rc<RefCell<Option<account::Client>>>);

/// The other end of a loan: whoever holds it can end the loan.
struct Lease(std::rc::Rc<RefCell<Option<account::Client>>>);

impl lease::Server for Lease {
    async fn revoke(
        self: Rc<Self>,
        _: lease::RevokeParams,
        _: lease::RevokeResults,
    ) -> Result<(), capnp::Error> {
        self.0.replace(None);
        Ok(())
    }
}

impl Lent {
    fn target(&self) -> Result<account::Client, capnp::Error> {
        self.0
            .borrow()
            .clone()
            .ok_or_else(|| capnp::Error::failed("loan revoked".into()))
    }
}

impl account::Server for Lent {
    async fn balance(
        self: Rc<Self>,
        _: account::BalanceParams,
        mut results: account::BalanceResults,
    ) -> Result<(), capnp::Error> {
        let answer = self.target()?.balance_request().send().promise.await?;
        results.get().set_cents(answer.get()?.get_cents());
        Ok(())
    }

    async fn deposit(
        self: Rc<Self>,
        params: account::DepositParams,
        mut results: account::DepositResults,
    ) -> Result<(), capnp::Error> {
        let mut request = self.target()?.deposit_request();
        request.get().set_cents(params.get()?.get_cents());
        let answer = request.send().promise.await?;
        results.get().set_cents(answer.get()?.get_cents());
        Ok(())
    }
}
// ANCHOR_END: revoke
