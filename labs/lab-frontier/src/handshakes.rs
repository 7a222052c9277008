//! Scenario `handshakes`: how many round trips pass before the first byte of
//! application data leaves the client, for TCP + TLS 1.3, for a fresh QUIC
//! connection and for a resumed QUIC connection that sends 0-RTT data.
//!
//! Counted on the wire, not timed: labkit's proxies (TCP and UDP) record
//! every chunk and datagram in order, and the types of QUIC packets and TLS
//! records travel in clear, so the lab counts the server's flights that
//! came before the client's first packet able to carry application data.
//! TCP's own handshake (SYN, SYN-ACK) happens in the kernel before the
//! proxy sees a byte; the lab adds it as the one round trip it always is.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::tls::Throwaway;
use labkit::wire::{Direction, Proxy, UdpProxy};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::Lab;
use crate::packets::{self, Seen};
use crate::quic::{self, Tickets};
use crate::served::{self, Log};

/// The scenario, as `cargo run -p lab-frontier -- handshakes` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "handshakes",
    "round trips before the first application byte: TCP + TLS 1.3, QUIC, QUIC with 0-RTT",
    "a resumed QUIC connection sends its request in its very first datagram",
);

/// Latency the proxies add each way, so that flights stay apart.
pub const ONE_WAY: Duration = Duration::from_millis(5);

/// The request every connection sends.
pub const REQUEST: &str = "GET /charges/ch_1";

/// A TLS record holding only a ChangeCipherSpec: type 20, TLS 1.2's
/// version number, length 1, the value 1.
const CHANGE_CIPHER_SPEC: [u8; 6] = [20, 3, 3, 0, 1, 1];

/// What one way of connecting cost before its first application byte.
#[derive(Debug, Clone)]
pub struct Count {
    pub name: &'static str,
    /// Round trips before the first application byte left the client.
    pub round_trips: usize,
    /// Datagrams (or TCP chunks) both ways before it, the proxy's count.
    pub before: usize,
    /// The answer the server sent, to show the request went through.
    pub answer: String,
    /// For 0-RTT: whether the server accepted the early data.
    pub early_data_accepted: Option<bool>,
}

// ANCHOR: tcp_tls
/// TCP + TLS 1.3: connect, handshake, then the request.
async fn tcp_tls_client(addr: std::net::SocketAddr, certs: &Throwaway) -> anyhow::Result<String> {
    let config = quic::tls_client(certs)?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(addr).await?; // SYN, SYN-ACK, ACK
    tcp.set_nodelay(true)?; // else Nagle holds the request for an ACK
    let mut tls = connector
        .connect(ServerName::try_from("localhost")?, tcp)
        .await?;
    tls.write_all(format!("{REQUEST}\n").as_bytes()).await?; // after ClientHello, ServerHello…Finished
    tls.flush().await?;
    let mut answer = String::new();
    tls.read_to_string(&mut answer).await?;
    Ok(answer)
}
// ANCHOR_END: tcp_tls

/// TCP + TLS 1.3 through labkit's TCP proxy.
pub async fn tcp_tls(certs: &Throwaway) -> anyhow::Result<Count> {
    let mut config = quic::tls_server(certs, Tickets::SingleUse)?;
    config.max_early_data_size = 0;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind(quic::loopback()).await?;
    let server_addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await?;
        tcp.set_nodelay(true)?;
        let mut tls = acceptor.accept(tcp).await?;
        let mut line = Vec::new();
        while !line.ends_with(b"\n") {
            let mut byte = [0u8; 1];
            if tls.read(&mut byte).await? == 0 {
                break;
            }
            line.push(byte[0]);
        }
        let request = String::from_utf8_lossy(&line).trim().to_string();
        tls.write_all(format!("done: {request}").as_bytes()).await?;
        tls.shutdown().await?;
        anyhow::Ok(())
    });
    let proxy = Proxy::start(server_addr).await?;
    for dir in Direction::BOTH {
        proxy.faults().set_delay(dir, ONE_WAY);
    }
    let answer = tcp_tls_client(proxy.addr(), certs).await?;
    server.await??;
    let recording = proxy.recording();
    let conn = recording.first().context("the proxy saw no connection")?;
    // The client's records: ClientHello, (ChangeCipherSpec,) then type 23:
    // its Finished, then the request. The request is the second type-23.
    let client_records = packets::tls_records(&conn.stream(Direction::ToServer));
    let request_ends = client_records
        .iter()
        .filter(|(kind, _)| *kind == 23)
        .nth(1)
        .map(|(_, end)| *end)
        .context("the client sent no application data")?;
    let mut sent = 0;
    let mut seen = Vec::new();
    for chunk in &conn.chunks {
        // The client's lone ChangeCipherSpec record is a no-op kept for
        // middleboxes (RFC 8446 §D.4); it is sent while the server's flight
        // is still arriving, and does not start a new flight.
        if chunk.dir == Direction::ToServer && chunk.bytes[..] == CHANGE_CIPHER_SPEC {
            sent += chunk.bytes.len();
            continue;
        }
        let mut app_data = false;
        if chunk.dir == Direction::ToServer {
            sent += chunk.bytes.len();
            app_data = sent >= request_ends;
        }
        seen.push(Seen {
            dir: chunk.dir,
            app_data,
        });
    }
    let tls_flights = packets::flights_before_app_data(&seen).context("no request seen")?;
    Ok(Count {
        name: "TCP + TLS 1.3",
        round_trips: 1 + tls_flights,
        before: seen.iter().take_while(|s| !s.app_data).count(),
        answer,
        early_data_accepted: None,
    })
}

/// The client datagrams and server datagrams of one client address, as
/// [`Seen`]s: a datagram is application data if it holds a 0-RTT or 1-RTT
/// packet.
fn seen_by(proxy: &UdpProxy, client: std::net::SocketAddr) -> Vec<Seen> {
    proxy
        .recording()
        .iter()
        .filter(|d| d.client == client)
        .map(|d| Seen {
            dir: d.dir,
            app_data: d.dir == Direction::ToServer
                && packets::quic_packets(&d.bytes)
                    .iter()
                    .any(|p| p.carries_app_data()),
        })
        .collect()
}

fn count(name: &'static str, seen: &[Seen], answer: String) -> anyhow::Result<Count> {
    Ok(Count {
        name,
        round_trips: packets::flights_before_app_data(seen).context("no request seen")?,
        before: seen.iter().take_while(|s| !s.app_data).count(),
        answer,
        early_data_accepted: None,
    })
}

// ANCHOR: zero_rtt
/// A resumed connection: with a ticket from an earlier one, `into_0rtt`
/// hands back a connection at once, and the request goes out with the
/// ClientHello, in 0-RTT packets.
async fn resumed_client(
    endpoint: &quinn::Endpoint,
    addr: std::net::SocketAddr,
) -> anyhow::Result<(String, bool)> {
    let connecting = endpoint.connect(addr, "localhost")?;
    let (conn, accepted) = connecting
        .into_0rtt()
        .map_err(|_| anyhow::anyhow!("the client holds no ticket to resume with"))?;
    let answer = served::ask(&conn, REQUEST).await?;
    let accepted = accepted.await; // false: the server refused the early data
    conn.close(0u32.into(), b"bye");
    Ok((answer, accepted))
}
// ANCHOR_END: zero_rtt

/// A fresh QUIC connection, then a resumed one with 0-RTT, from two client
/// sockets that share one client config (the session ticket lives there).
pub async fn quic_fresh_and_resumed(certs: &Throwaway) -> anyhow::Result<(Count, Count)> {
    let server = quic::server(certs, Tickets::SingleUse)?;
    let log = Log::default();
    let server_addr = server.local_addr()?;
    let serving = tokio::spawn(served::serve(server.clone(), log.clone()));
    let proxy = UdpProxy::start(server_addr).await?;
    for dir in Direction::BOTH {
        proxy.set_delay(dir, ONE_WAY);
    }
    let config = quic::client_config(certs)?;

    let fresh = quic::client_with(config.clone())?;
    let conn = fresh.connect(proxy.addr(), "localhost")?.await?;
    let fresh_answer = served::ask(&conn, REQUEST).await?;
    conn.close(0u32.into(), b"bye");
    fresh.wait_idle().await;
    let fresh_count = count(
        "QUIC, fresh",
        &seen_by(&proxy, fresh.local_addr()?),
        fresh_answer,
    )?;

    let again = quic::client_with(config)?;
    let (answer, accepted) = resumed_client(&again, proxy.addr()).await?;
    again.wait_idle().await;
    let mut resumed = count(
        "QUIC, resumed, 0-RTT",
        &seen_by(&proxy, again.local_addr()?),
        answer,
    )?;
    resumed.early_data_accepted = Some(accepted);
    server.close(0u32.into(), b"done");
    serving.abort();
    Ok((fresh_count, resumed))
}

/// The `handshakes` scenario: the three ways, side by side.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let certs = lab.certs()?;
    let tcp = tcp_tls(&certs).await?;
    let (fresh, resumed) = quic_fresh_and_resumed(&certs).await?;
    let mut table = Table::new(
        "before the first application byte leaves the client",
        &["connection", "round trips", "packets both ways", "0-RTT"],
    );
    for c in [&tcp, &fresh, &resumed] {
        table.row([
            c.name.to_string(),
            c.round_trips.to_string(),
            c.before.to_string(),
            match c.early_data_accepted {
                None => "-".to_string(),
                Some(true) => "accepted".to_string(),
                Some(false) => "refused".to_string(),
            },
        ]);
    }
    table.note("round trips: server flights the client waited for, counted on the proxies");
    table.note("TCP's SYN/SYN-ACK is counted as 1; the proxy sees bytes, not segments");
    table.note("packets: TCP chunks or UDP datagrams the proxy relayed before the request");
    let mut report = Report::new(crate::LAB, "handshakes");
    report.table(table);
    report.value("tcp_tls_round_trips", tcp.round_trips);
    report.value("quic_round_trips", fresh.round_trips);
    report.value("quic_0rtt_round_trips", resumed.round_trips);
    Ok(report)
}
