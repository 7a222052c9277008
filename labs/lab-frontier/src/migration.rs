//! Scenario `migration`: a client moves to a new UDP port in the middle of
//! an upload, as a phone does when it leaves Wi-Fi, and the upload goes on
//! over the same QUIC connection: no new handshake, and the server sees
//! the new address on the connection it already had (RFC 9000 §9).
//!
//! The client's socket is swapped with quinn's `Endpoint::rebind`. Through
//! labkit's UDP proxy, a new client port means a new proxy socket towards
//! the server, so the server really sees a new peer address. A real move
//! also changes the IP address and often the path's RTT; the lab changes
//! only the port, on loopback.

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::tls::Throwaway;
use labkit::wire::{Direction, UdpProxy};

use crate::Lab;
use crate::packets::{self, PacketType};
use crate::quic::{self, Tickets};
use crate::served::{self, Done, Log, lock};

/// The scenario, as `cargo run -p lab-frontier -- migration` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "migration",
    "the client moves to a new port mid-upload; the QUIC connection carries on",
    "the server sees a new address on the same connection, with no new handshake",
);

/// The upload: this many pieces, the client moves after half of them.
pub const PIECES: usize = 64;
/// Bytes in each piece.
pub const PIECE: usize = 16 * 1024;

/// What the server and the proxy saw of one migrating upload.
#[derive(Debug, Clone)]
pub struct Moved {
    /// The small request sent before the upload, and the upload itself.
    pub before: Done,
    pub upload: Done,
    pub answer: String,
    /// Client addresses the proxy relayed for.
    pub client_addresses: usize,
    /// Initial or Handshake packets the client sent from its new port.
    pub handshake_packets_after_move: usize,
    /// Datagrams the client sent from its new port.
    pub datagrams_after_move: usize,
}

// ANCHOR: rebind
/// Uploads `PIECES` pieces on one stream, moving the client's socket to a
/// new local port halfway.
async fn upload_and_move(
    endpoint: &quinn::Endpoint,
    conn: &quinn::Connection,
) -> anyhow::Result<String> {
    let (mut send, mut recv) = conn.open_bi().await?;
    for i in 0..PIECES {
        if i == PIECES / 2 {
            let socket = std::net::UdpSocket::bind("127.0.0.1:0")?;
            endpoint.rebind(socket)?; // same connection, new address
        }
        send.write_all(&[b'x'; PIECE]).await?;
    }
    send.finish()?;
    let answer = recv.read_to_end(1024).await?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}
// ANCHOR_END: rebind

/// One connection: a small request, then the upload with its move.
pub async fn migrate(certs: &Throwaway) -> anyhow::Result<Moved> {
    let server = quic::server(certs, Tickets::SingleUse)?;
    let log = Log::default();
    let serving = tokio::spawn(served::serve(server.clone(), log.clone()));
    let proxy = UdpProxy::start(server.local_addr()?).await?;
    let client = quic::client(certs)?;
    let old_addr = client.local_addr()?;
    let conn = client.connect(proxy.addr(), "localhost")?.await?;
    served::ask(&conn, "hello").await?;
    let answer = upload_and_move(&client, &conn).await?;
    let new_addr = client.local_addr()?;
    conn.close(0u32.into(), b"bye");
    client.wait_idle().await;
    server.close(0u32.into(), b"done");
    serving.abort();
    anyhow::ensure!(
        new_addr != old_addr,
        "the client did not move to a new port"
    );
    let after: Vec<_> = proxy
        .recording()
        .into_iter()
        .filter(|d| d.client == new_addr && d.dir == Direction::ToServer)
        .collect();
    let done = lock(&log).clone();
    let [before, upload] = done.as_slice() else {
        anyhow::bail!("the server carried out {} requests, not 2", done.len());
    };
    Ok(Moved {
        before: before.clone(),
        upload: upload.clone(),
        answer,
        client_addresses: proxy.client_addresses(),
        handshake_packets_after_move: after
            .iter()
            .flat_map(|d| packets::quic_packets(&d.bytes))
            .filter(|p| matches!(p, PacketType::Initial | PacketType::Handshake))
            .count(),
        datagrams_after_move: after.len(),
    })
}

/// The `migration` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let moved = migrate(&*lab.certs()?).await?;
    let mut table = Table::new(
        format!(
            "one QUIC connection, {} KiB uploaded, the client moves halfway",
            PIECES * PIECE / 1024
        ),
        &["request", "connection", "server saw it from", "answer"],
    );
    for (name, d, answer) in [
        (
            "hello, before the move",
            &moved.before,
            "done: hello".to_string(),
        ),
        ("the upload", &moved.upload, moved.answer.clone()),
    ] {
        table.row([
            name.to_string(),
            if d.connection == moved.before.connection {
                "the first"
            } else {
                "a new one"
            }
            .to_string(),
            d.from.to_string(),
            answer,
        ]);
    }
    table.note(format!(
        "from the new port: {} datagrams, {} of them Initial or Handshake packets",
        moved.datagrams_after_move, moved.handshake_packets_after_move
    ));
    table.note("the server's addresses are the proxy's sockets: one per client port");
    let mut report = Report::new(crate::LAB, "migration");
    report.table(table);
    report.value(
        "handshake_packets_after_move",
        moved.handshake_packets_after_move,
    );
    report.value("client_addresses", moved.client_addresses);
    Ok(report)
}
