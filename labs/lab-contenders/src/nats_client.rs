//! What every NATS scenario shares: the server it talks to and a client
//! connected to it.
//!
//! Core NATS scenarios only publish and subscribe, so they share one
//! server ([`Lab::nats`]): `NATS_URL`, else a private `nats-server` with
//! JetStream on a free port (about 10 ms to start). JetStream scenarios that
//! restart or fill their server each start a private one of their own
//! ([`private_server`]), and so does the cluster. A production client would
//! also set a name, credentials, TLS and a reconnect policy; the lab keeps
//! async-nats' defaults.

use labkit::broker::{self, Broker, Kind, Options};

use crate::Lab;

impl Lab {
    /// The NATS server the core scenarios share, found or started on
    /// first use; a private one stops when the lab ends.
    pub async fn nats(&self) -> anyhow::Result<&Broker> {
        self.nats
            .get_or_try_init(|| async { broker::nats().await })
            .await
            .map_err(anyhow::Error::from)
    }
}

/// A private `nats-server -js` for one scenario: its own port and store,
/// so the scenario may restart or crash it.
pub async fn private_server() -> anyhow::Result<Broker> {
    Ok(broker::private(Kind::Nats, Options::new()).await?)
}

/// A client connected to `url` (a server or a proxy in front of one).
pub async fn connect(url: &str) -> anyhow::Result<async_nats::Client> {
    async_nats::connect(url).await.map_err(|e| {
        // The URL may carry a password: print it masked.
        let url = broker::mask(url);
        anyhow::anyhow!("cannot connect to NATS at {url}: {e}")
    })
}

/// `nats://` + the address of a labkit proxy.
pub fn url_of(addr: std::net::SocketAddr) -> String {
    format!("nats://{addr}")
}

/// A subject prefix of its own for each run, so that runs against a shared
/// server never see each other's messages.
pub fn run_prefix(what: &str) -> String {
    format!("lab.{what}.{}", std::process::id())
}

/// Waits for `fut`, failing with a sentence after 10 s instead of hanging
/// (a guard against a lost message, never a timing measurement).
pub async fn within_10s<T>(fut: impl std::future::Future<Output = T>) -> anyhow::Result<T> {
    tokio::time::timeout(std::time::Duration::from_secs(10), fut)
        .await
        .map_err(|_| anyhow::anyhow!("NATS did not answer within 10 s"))
}

/// Waits until the server has handled everything `client` sent so far
/// (a subscription is in place, say): a message to an inbox of the
/// client's own comes back. async-nats' `flush()` only empties the
/// client's write buffer; it does not wait for the server.
pub async fn round_trip(client: &async_nats::Client) -> anyhow::Result<()> {
    use futures::StreamExt;
    let inbox = client.new_inbox();
    let mut marker = client.subscribe(inbox.clone()).await?;
    client.publish(inbox, "".into()).await?;
    client.flush().await?;
    within_10s(marker.next()).await?;
    Ok(())
}

/// Waits until every message `from` published so far has reached `to`:
/// the server handles one connection's messages in order and writes them
/// to another connection in that order, so a marker sent last arrives last.
pub async fn delivered(from: &async_nats::Client, to: &async_nats::Client) -> anyhow::Result<()> {
    use futures::StreamExt;
    let inbox = to.new_inbox();
    let mut marker = to.subscribe(inbox.clone()).await?;
    round_trip(to).await?; // the marker's subscription is in place
    from.publish(inbox, "".into()).await?;
    from.flush().await?;
    within_10s(marker.next()).await?;
    Ok(())
}

/// Every message already delivered to `sub`, without waiting for more.
/// Call it after [`delivered`] (or [`round_trip`] when one connection
/// both publishes and subscribes): async-nats hands messages to their
/// subscriptions in the order they arrive, so everything sent before the
/// marker is here.
pub fn ready(sub: &mut async_nats::Subscriber) -> Vec<async_nats::Message> {
    use futures::{FutureExt, StreamExt};
    let mut got = Vec::new();
    // `unconstrained`: tokio's co-operative budget would otherwise report
    // the channel empty after 128 messages in one go.
    while let Some(Some(m)) = tokio::task::unconstrained(sub.next()).now_or_never() {
        got.push(m);
    }
    got
}
