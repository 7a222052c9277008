//! Scenario `webtransport`: a WebTransport session (the IETF's WebTransport
//! over HTTP/3 draft) between a `wtransport` 0.7 server and client, through
//! labkit's UDP proxy dropping a share of the datagrams both ways.
//!
//! In one session the client echoes messages on bidirectional streams, sends
//! messages on unidirectional streams, and sends datagrams. Streams are
//! reliable: QUIC resends what the proxy dropped and every message arrives.
//! Datagrams are not (RFC 9221): the ones the proxy drops are gone, and the
//! lab counts how many of those sent reached the server.
//!
//! The server presents a certificate the lab makes here: self-signed,
//! ECDSA with P-256, valid for 14 days. That is what a browser accepts
//! through `serverCertificateHashes` (W3C WebTransport, §"compute a
//! certificate hash" and the checks around it), and what wtransport's own
//! client accepts with `with_server_certificate_hashes`: the client trusts
//! the certificate because it knows its SHA-256 hash, with no CA at all.
//! The same server serves the browser in `tests/http3.rs`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, UdpProxy};
use rcgen::{CertificateParams, DnType, KeyPair, PKCS_ECDSA_P256_SHA256};
use wtransport::endpoint::endpoint_side;
use wtransport::tls::Sha256Digest;
use wtransport::{ClientConfig, Endpoint, Identity, ServerConfig};

use crate::Lab;
use crate::served::lock;

/// The scenario, as `cargo run -p lab-frontier -- webtransport` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "webtransport",
    "a WebTransport session: streams and datagrams through a lossy proxy",
    "streams deliver every message; datagrams lost on the way stay lost",
);

/// Messages sent on bidirectional streams (one stream each, echoed).
pub const ECHOES: usize = 20;
/// Messages sent on unidirectional streams (one stream each).
pub const UNI: usize = 20;
/// Datagrams the client sends.
pub const DATAGRAMS: usize = 200;
/// Share of datagrams the proxy drops, each way, once the session is up.
pub const LOSS: f64 = 0.2;
/// The longest validity a certificate trusted by hash may have.
pub const MAX_DAYS: i64 = 14;

/// A self-signed certificate for `127.0.0.1` and `localhost`, and what a
/// client needs to trust it by hash.
pub struct ShortLived {
    pub identity: Identity,
    /// SHA-256 of the certificate's DER bytes: what the client is given.
    pub hash: [u8; 32],
    /// Days between notBefore and notAfter.
    pub days: i64,
}

// ANCHOR: certificate
/// A certificate a browser takes by hash: ECDSA P-256, self-signed, valid
/// from an hour ago for `days` days in all (a browser refuses more than 14).
pub fn short_lived(days: i64) -> anyhow::Result<ShortLived> {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let mut params = CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()])?;
    params
        .distinguished_name
        .push(DnType::CommonName, "lab-frontier WebTransport");
    params.not_before = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    params.not_after = params.not_before + time::Duration::days(days);
    let cert = params.self_signed(&key)?;
    let der = cert.der().to_vec();
    let identity = Identity::new(
        wtransport::tls::CertificateChain::single(wtransport::tls::Certificate::from_der(der)?),
        wtransport::tls::PrivateKey::from_der_pkcs8(key.serialize_der()),
    );
    let hash = *identity.certificate_chain().as_slice()[0].hash().as_ref();
    Ok(ShortLived {
        identity,
        hash,
        days,
    })
}
// ANCHOR_END: certificate

/// What the server saw, across every session.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// Path and Origin of each session request (a browser sends an Origin).
    pub sessions: Vec<(String, Option<String>)>,
    /// Messages read from bidirectional streams (each echoed back).
    pub bidi: Vec<String>,
    /// Messages read from unidirectional streams.
    pub uni: Vec<String>,
    /// Datagrams received (each echoed back).
    pub datagrams: Vec<String>,
}

/// The server's log, shared with the tasks serving the sessions.
pub type Log = Arc<Mutex<Seen>>;

/// A wtransport server on a free loopback port presenting `identity`.
pub fn server(identity: Identity) -> anyhow::Result<Endpoint<endpoint_side::Server>> {
    let config = ServerConfig::builder()
        .with_bind_address(crate::quic::loopback())
        .with_identity(identity)
        .keep_alive_interval(Some(Duration::from_secs(1)))
        .build();
    Endpoint::server(config).context("could not open a UDP socket on 127.0.0.1")
}

/// Reads a wtransport stream to its end.
async fn read_all(recv: &mut wtransport::RecvStream) -> anyhow::Result<Vec<u8>> {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    while let Some(n) = recv.read(&mut buf).await? {
        all.extend_from_slice(&buf[..n]);
    }
    Ok(all)
}

// ANCHOR: serve
/// Serves one session: echoes each bidirectional stream, reads each
/// unidirectional one, echoes each datagram, until the session ends.
async fn session(conn: wtransport::Connection, log: Log) {
    let bidi = async {
        while let Ok((mut send, mut recv)) = conn.accept_bi().await {
            let log = log.clone();
            tokio::spawn(async move {
                let text = String::from_utf8_lossy(&read_all(&mut recv).await?).into_owned();
                send.write_all(format!("echo: {text}").as_bytes()).await?;
                send.finish().await?;
                lock(&log).bidi.push(text);
                anyhow::Ok(())
            });
        }
    };
    let uni = async {
        while let Ok(mut recv) = conn.accept_uni().await {
            let log = log.clone();
            tokio::spawn(async move {
                let text = String::from_utf8_lossy(&read_all(&mut recv).await?).into_owned();
                lock(&log).uni.push(text);
                anyhow::Ok(())
            });
        }
    };
    let datagrams = async {
        while let Ok(datagram) = conn.receive_datagram().await {
            let text = String::from_utf8_lossy(&datagram).into_owned();
            lock(&log).datagrams.push(text.clone());
            let _ = conn.send_datagram(format!("echo: {text}"));
        }
    };
    tokio::join!(bidi, uni, datagrams);
}

/// Accepts sessions until the endpoint is dropped.
pub async fn serve(endpoint: Endpoint<endpoint_side::Server>, log: Log) {
    loop {
        let incoming = endpoint.accept().await;
        let log = log.clone();
        tokio::spawn(async move {
            let request = incoming.await?; // the QUIC and HTTP/3 handshakes
            let origin = request.origin().map(str::to_string);
            lock(&log)
                .sessions
                .push((request.path().to_string(), origin));
            let conn = request.accept().await?; // 200 to the extended CONNECT
            session(conn, log).await;
            anyhow::Ok(())
        });
    }
}
// ANCHOR_END: serve

/// What the client got back.
#[derive(Debug, Clone, Default)]
pub struct Client {
    /// Echoes read back from the bidirectional streams.
    pub echoes: Vec<String>,
    /// Datagrams sent, and echoes of them received.
    pub datagrams_sent: usize,
    pub datagram_echoes: usize,
}

/// A wtransport client that trusts exactly the certificate with `hash`.
pub fn client(hash: [u8; 32]) -> anyhow::Result<Endpoint<endpoint_side::Client>> {
    let config = ClientConfig::builder()
        .with_bind_address(crate::quic::loopback())
        .with_server_certificate_hashes([Sha256Digest::new(hash)])
        .build();
    Endpoint::client(config).context("could not open a UDP socket on 127.0.0.1")
}

// ANCHOR: client
/// One session: streams first, then datagrams, one at a time.
async fn talk(conn: &wtransport::Connection) -> anyhow::Result<Client> {
    let mut got = Client::default();
    for i in 0..ECHOES {
        let (mut send, mut recv) = conn.open_bi().await?.await?;
        send.write_all(format!("bidi {i}").as_bytes()).await?;
        send.finish().await?;
        got.echoes
            .push(String::from_utf8(read_all(&mut recv).await?)?);
    }
    for i in 0..UNI {
        let mut send = conn.open_uni().await?.await?;
        send.write_all(format!("uni {i}").as_bytes()).await?;
        send.finish().await?;
    }
    for i in 0..DATAGRAMS {
        conn.send_datagram(format!("datagram {i}"))?; // no resend if lost
        got.datagrams_sent += 1;
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // Echoes come back for a while; count those that arrive within 2 s.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while let Ok(Ok(_)) = tokio::time::timeout_at(deadline, conn.receive_datagram()).await {
        got.datagram_echoes += 1;
    }
    Ok(got)
}
// ANCHOR_END: client

/// One run's result.
#[derive(Debug, Clone)]
pub struct Run {
    pub seen: Seen,
    pub client: Client,
    /// Datagrams (UDP, any content) the proxy dropped, each way.
    pub dropped_to_server: u64,
    pub dropped_to_client: u64,
    /// The session id: the stream id of the client's extended CONNECT.
    pub session_id: u64,
    pub cert_days: i64,
}

/// The server, the lossy proxy and one client session.
pub async fn exchange(loss: f64) -> anyhow::Result<Run> {
    let cert = short_lived(MAX_DAYS)?;
    let endpoint = server(cert.identity.clone_identity())?;
    let addr = endpoint.local_addr()?;
    let log = Log::default();
    let serving = tokio::spawn(serve(endpoint, log.clone()));
    let proxy = UdpProxy::start(addr).await?;
    let client = client(cert.hash)?;
    let url = format!("https://127.0.0.1:{}/charges", proxy.addr().port());
    let conn = client.connect(&url).await?;
    for dir in Direction::BOTH {
        proxy.set_loss(dir, loss, 7);
    }
    let got = tokio::time::timeout(Duration::from_secs(60), talk(&conn))
        .await
        .context("the session did not finish within 60 s")??;
    // The last unidirectional streams may still be arriving.
    for _ in 0..200 {
        if lock(&log).uni.len() >= UNI {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let session_id = conn.session_id().into_u64();
    conn.close(0u32.into(), b"done");
    serving.abort();
    let seen = lock(&log).clone();
    Ok(Run {
        seen,
        client: got,
        dropped_to_server: proxy.dropped(Direction::ToServer),
        dropped_to_client: proxy.dropped(Direction::ToClient),
        session_id,
        cert_days: cert.days,
    })
}

/// Whether wtransport's client accepts a certificate valid for `days` when
/// given its hash: `Ok(())` or the error it refused with.
pub async fn trusted_by_hash(days: i64) -> anyhow::Result<Result<(), String>> {
    let cert = short_lived(days)?;
    let endpoint = server(cert.identity.clone_identity())?;
    let addr: SocketAddr = endpoint.local_addr()?;
    let log = Log::default();
    let serving = tokio::spawn(serve(endpoint, log));
    let client = client(cert.hash)?;
    let url = format!("https://127.0.0.1:{}/check", addr.port());
    let outcome = match tokio::time::timeout(Duration::from_secs(10), client.connect(&url)).await {
        Ok(Ok(conn)) => {
            conn.close(0u32.into(), b"done");
            Ok(())
        }
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no answer within 10 s".into()),
    };
    serving.abort();
    Ok(outcome)
}

// ANCHOR: browser
/// The JavaScript a page runs (as a promise) to do in Chromium what
/// [`talk`] does in Rust, once: a session to `127.0.0.1:port/browser`
/// trusting the certificate whose SHA-256 is `hash`, one echoed
/// bidirectional stream, one unidirectional stream, datagrams until one
/// echo comes back (ten at most).
pub fn browser_script(port: u16, hash: &[u8; 32]) -> String {
    let hash: Vec<String> = hash.iter().map(u8::to_string).collect();
    format!(
        r#"(async () => {{
  const wt = new WebTransport("https://127.0.0.1:{port}/browser", {{
    serverCertificateHashes: [
      {{ algorithm: "sha-256", value: new Uint8Array([{hash}]) }},
    ],
  }});
  await wt.ready;
  const enc = new TextEncoder(), dec = new TextDecoder();
  const bidi = await wt.createBidirectionalStream();
  const writer = bidi.writable.getWriter();
  await writer.write(enc.encode("hello from chromium"));
  await writer.close();
  const echo = await new Response(bidi.readable).text();
  const uni = (await wt.createUnidirectionalStream()).getWriter();
  await uni.write(enc.encode("uni from chromium"));
  await uni.close();
  const out = wt.datagrams.writable.getWriter();
  const back = wt.datagrams.readable.getReader();
  let datagram = null;
  for (let i = 0; i < 10 && datagram === null; i++) {{
    await out.write(enc.encode("datagram from chromium"));
    const second = new Promise(ok => setTimeout(() => ok(null), 1000));
    const got = await Promise.race([back.read(), second]);
    if (got && got.value) datagram = dec.decode(got.value);
  }}
  wt.close();
  return {{ echo, datagram }};
}})()"#,
        hash = hash.join(",")
    )
}
// ANCHOR_END: browser

/// The `webtransport` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let run = exchange(LOSS).await?;
    let refused = trusted_by_hash(MAX_DAYS + 1).await?;
    let mut table = Table::new(
        format!(
            "one WebTransport session through a proxy dropping {:.0} % of UDP datagrams each way",
            LOSS * 100.0
        ),
        &["sent as", "client sent", "server got", "back to client"],
    );
    let s = &run.seen;
    table.row([
        "bidirectional streams (echo)".to_string(),
        ECHOES.to_string(),
        s.bidi.len().to_string(),
        run.client.echoes.len().to_string(),
    ]);
    table.row([
        "unidirectional streams".to_string(),
        UNI.to_string(),
        s.uni.len().to_string(),
        "-".to_string(),
    ]);
    table.row([
        "datagrams (echo)".to_string(),
        run.client.datagrams_sent.to_string(),
        s.datagrams.len().to_string(),
        run.client.datagram_echoes.to_string(),
    ]);
    table.note(format!(
        "the proxy dropped {} UDP datagrams to the server and {} to the client",
        run.dropped_to_server, run.dropped_to_client
    ));
    table.note(format!(
        "session id {} (the stream of the extended CONNECT); certificate self-signed, \
         ECDSA P-256, valid {} days, trusted by its SHA-256 hash",
        run.session_id, run.cert_days
    ));
    table.note(match &refused {
        Ok(()) => format!("a {}-day certificate was accepted too", MAX_DAYS + 1),
        Err(e) => format!(
            "a {}-day certificate, same check: refused ({e})",
            MAX_DAYS + 1
        ),
    });
    let mut report = Report::new(crate::LAB, "webtransport");
    report.table(table);
    report.value("datagrams_sent", run.client.datagrams_sent);
    report.value("datagrams_received", s.datagrams.len());
    report.value("stream_messages_received", s.bidi.len() + s.uni.len());
    Ok(report)
}
