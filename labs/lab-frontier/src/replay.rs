//! Scenario `replay`: the price of 0-RTT. Early data travels before the
//! handshake has proved the client is live, so anyone who recorded the
//! client's first flight can send it again, and a server that accepts the
//! ticket again runs the request again (RFC 8446 §8, RFC 9001 §9.2).
//!
//! The lab records a resumed connection's first flight on labkit's UDP
//! proxy (an Initial packet and the 0-RTT packets with the request), lets
//! the connection finish, then sends the same datagrams to the server from
//! a new socket. The attacker cannot finish that handshake (it has no
//! keys), but it does not need to: the request is in the early data.
//!
//! Two servers: one with rustls' single-use tickets (a ticket used for
//! early data is taken out of its store), one whose store never forgets a
//! ticket. Real deployments also refuse early data for anything unsafe to
//! repeat (HTTP's `425 Too Early`, RFC 8470), whatever their tickets do.

use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::tls::Throwaway;
use labkit::wire::{Direction, UdpProxy};
use tokio::time::Instant;

use crate::Lab;
use crate::quic::{self, Tickets};
use crate::served::{self, Log, lock};

/// The scenario, as `cargo run -p lab-frontier -- replay` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "replay",
    "a recorded 0-RTT flight sent again: carried out twice, unless tickets are single-use",
    "with reusable tickets the server carries out the same early request twice",
);

/// The request sent as early data: not one you would want run twice.
pub const PAYMENT: &str = "POST /payments amount=100";

/// What one server did with a replayed first flight.
#[derive(Debug, Clone)]
pub struct Replayed {
    pub tickets: Tickets,
    /// Whether the original connection's early data was accepted.
    pub early_accepted: bool,
    /// Datagrams in the recorded first flight.
    pub flight: usize,
    /// How many times the server carried out [`PAYMENT`].
    pub carried_out: usize,
}

/// One server, one resumed connection, one replay.
pub async fn replay(certs: &Throwaway, tickets: Tickets) -> anyhow::Result<Replayed> {
    let server = quic::server(certs, tickets)?;
    let log = Log::default();
    let serving = tokio::spawn(served::serve(server.clone(), log.clone()));
    let proxy = UdpProxy::start(server.local_addr()?).await?;
    let config = quic::client_config(certs)?;

    // A first connection, for the session ticket.
    let first = quic::client_with(config.clone())?;
    let conn = first.connect(proxy.addr(), "localhost")?.await?;
    served::ask(&conn, "GET /balance").await?;
    conn.close(0u32.into(), b"bye");
    first.wait_idle().await;

    // The resumed connection, with the payment as early data.
    let again = quic::client_with(config)?;
    let conn = again
        .connect(proxy.addr(), "localhost")?
        .into_0rtt()
        .map_err(|_| anyhow::anyhow!("the client holds no ticket to resume with"))?;
    let (conn, accepted) = conn;
    served::ask(&conn, PAYMENT).await?;
    let early_accepted = accepted.await;
    conn.close(0u32.into(), b"bye");
    again.wait_idle().await;

    // The attacker's copy: the client's datagrams before the server's first.
    let client = again.local_addr()?;
    let flight: Vec<_> = proxy
        .recording()
        .into_iter()
        .filter(|d| d.client == client)
        .take_while(|d| d.dir == Direction::ToServer)
        .map(|d| d.bytes)
        .collect();

    // Once the server has forgotten the connection, send the copy again.
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.open_connections() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    proxy.replay_to_server(&flight).await?;
    let count = || lock(&log).iter().filter(|d| d.request == PAYMENT).count();
    let deadline = Instant::now() + Duration::from_secs(1);
    while count() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.close(0u32.into(), b"done");
    serving.abort();
    Ok(Replayed {
        tickets,
        early_accepted,
        flight: flight.len(),
        carried_out: count(),
    })
}

/// The `replay` scenario: both servers.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let certs = lab.certs()?;
    let mut table = Table::new(
        format!("\"{PAYMENT}\" sent as 0-RTT, its first flight replayed"),
        &["server's tickets", "0-RTT", "replayed", "payments made"],
    );
    for tickets in [Tickets::Reusable, Tickets::SingleUse] {
        let r = replay(&certs, tickets).await?;
        table.row([
            match r.tickets {
                Tickets::Reusable => "reusable (no guard)",
                Tickets::SingleUse => "single-use (rustls' default)",
            }
            .to_string(),
            if r.early_accepted {
                "accepted"
            } else {
                "refused"
            }
            .to_string(),
            format!(
                "{} datagram{}",
                r.flight,
                if r.flight == 1 { "" } else { "s" }
            ),
            r.carried_out.to_string(),
        ]);
    }
    table.note("the replay comes from a new address after the original connection has ended");
    let mut report = Report::new(crate::LAB, "replay");
    report.table(table);
    Ok(report)
}
