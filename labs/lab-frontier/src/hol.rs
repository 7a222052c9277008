//! Scenario `hol`: head-of-line blocking, or its absence. Four streams share
//! one connection; the first loses a packet. Over QUIC the three others are
//! delivered while the lost packet is being resent; over HTTP/2 on one TCP
//! connection they wait behind it, because TCP hands the receiver its bytes
//! only in order (RFC 9000 §2.2 — "stream frames are delivered in order
//! within a stream", not across streams; RFC 9114 §1 — HTTP/2's streams
//! share TCP's single ordered byte stream).
//!
//! How the packet is lost:
//!
//! - QUIC: labkit's UDP proxy really drops the one datagram carrying the
//!   first stream's data; quinn notices (RFC 9002 §6) and resends it.
//! - TCP: a user-space proxy cannot drop a segment (the kernels under it
//!   would resend it at once), so labkit's TCP proxy holds the chunk
//!   carrying the first stream for the time a retransmission would take,
//!   and everything read after it waits behind, as in the receiving kernel.
//!
//! Each stream is written only after the proxy has seen the one before, so
//! each travels in its own datagram or chunk. Times are measured from the
//! moment the first stream was written to the moment the server had read
//! each stream to its end.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use labkit::cli::Scenario;
use labkit::measure::human_duration;
use labkit::report::{Report, Table};
use labkit::tls::Throwaway;
use labkit::wire::{Direction, Proxy, UdpProxy};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

use crate::Lab;
use crate::quic::{self, Tickets};
use crate::served::lock;

/// The scenario, as `cargo run -p lab-frontier -- hol` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "hol",
    "four streams, the first loses a packet: QUIC against HTTP/2 over one TCP connection",
    "over QUIC the streams that lost nothing arrive first, over TCP they wait",
);

/// Streams per run; stream 0 is the one that loses a packet.
pub const STREAMS: usize = 4;
/// Bytes per stream: small enough for one datagram.
pub const PAYLOAD: usize = 900;
/// Latency the proxies add each way.
pub const ONE_WAY: Duration = Duration::from_millis(20);
/// How long the TCP proxy holds the "lost" chunk: about what a fast
/// retransmission costs (duplicate ACKs back, the segment again: one round
/// trip and a half).
pub const TCP_RESEND: Duration = Duration::from_millis(60);
/// Runs of the scenario.
pub const RUNS: usize = 10;

/// One run: when the server finished reading each stream, since stream 0
/// was written; `done[0]` is the stream that lost a packet.
#[derive(Debug, Clone)]
pub struct Run {
    pub done: Vec<Duration>,
}

impl Run {
    /// Streams that lost nothing and were read to their end at least half
    /// of [`ONE_WAY`] before the one that did. The margin keeps ties out: over
    /// TCP the held chunk and the ones behind it reach the server in the
    /// same instant, in some order; over QUIC a resent packet cannot arrive
    /// sooner than an ACK's trip back and its own trip out after the
    /// packets that overtook it, two one-way delays.
    pub fn unaffected_before_lossy(&self) -> usize {
        self.done[1..]
            .iter()
            .filter(|d| **d + ONE_WAY / 2 <= self.done[0])
            .count()
    }

    /// The latest of the streams that lost nothing.
    pub fn slowest_unaffected(&self) -> Duration {
        self.done[1..].iter().copied().max().unwrap_or_default()
    }
}

/// When the server read each stream to its end.
type Finished = Arc<Mutex<Vec<(usize, Instant)>>>;

fn payload(stream: usize) -> Bytes {
    let mut p = vec![b'.'; PAYLOAD];
    p[0] = b'0' + stream as u8;
    Bytes::from(p)
}

/// Waits until `f` says yes, looking every millisecond, for at most 5 s.
async fn until(what: &str, f: impl Fn() -> bool) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !f() {
        anyhow::ensure!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    Ok(())
}

fn run_from(finished: &Finished, t0: Instant) -> anyhow::Result<Run> {
    let mut done = vec![None; STREAMS];
    for (stream, at) in lock(finished).iter() {
        done[*stream] = Some(at.saturating_duration_since(t0));
    }
    let done = done
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .context("a stream never reached the server")?;
    Ok(Run { done })
}

// ANCHOR: quic_streams
/// QUIC: one unidirectional stream per payload, on one connection; the
/// datagram carrying stream 0 is dropped.
async fn quic_streams(conn: &quinn::Connection, proxy: &UdpProxy) -> anyhow::Result<Instant> {
    let t0 = Instant::now();
    for stream in 0..STREAMS {
        let seen = proxy.recording().len();
        if stream == 0 {
            proxy.drop_next(Direction::ToServer, 1);
        }
        let mut send = conn.open_uni().await?;
        send.write_all(&payload(stream)).await?;
        send.finish()?;
        until("the proxy to see the stream", || {
            proxy.recording().len() > seen
        })
        .await?;
    }
    Ok(t0)
}
// ANCHOR_END: quic_streams

/// One QUIC run: a server that notes when each stream ends, a proxy
/// adding [`ONE_WAY`] each way, a connection, the four streams. A run
/// counts only if the datagram the proxy dropped was the one carrying
/// stream 0 (at least [`PAYLOAD`] bytes, not a stray ACK); otherwise it is
/// run again, up to 5 times.
pub async fn quic_run(certs: &Throwaway) -> anyhow::Result<Run> {
    for _ in 0..5 {
        if let Some(run) = quic_attempt(certs).await? {
            return Ok(run);
        }
    }
    anyhow::bail!("in 5 attempts the proxy never dropped the datagram carrying stream 0")
}

async fn quic_attempt(certs: &Throwaway) -> anyhow::Result<Option<Run>> {
    let server = quic::server(certs, Tickets::SingleUse)?;
    let finished = Finished::default();
    let serving = {
        let (server, finished) = (server.clone(), finished.clone());
        tokio::spawn(async move {
            let conn = server.accept().await.context("no connection")?.await?;
            while let Ok(mut recv) = conn.accept_uni().await {
                let finished = finished.clone();
                tokio::spawn(async move {
                    if let Ok(body) = recv.read_to_end(PAYLOAD).await {
                        let stream = usize::from(body[0] - b'0');
                        lock(&finished).push((stream, Instant::now()));
                    }
                });
            }
            anyhow::Ok(())
        })
    };
    let proxy = UdpProxy::start(server.local_addr()?).await?;
    for dir in Direction::BOTH {
        proxy.set_delay(dir, ONE_WAY);
    }
    let client = quic::client(certs)?;
    let conn = client.connect(proxy.addr(), "localhost")?.await?;
    // Let the handshake's last ACKs go by, so the next datagram is ours.
    tokio::time::sleep(ONE_WAY * 6).await;
    let t0 = quic_streams(&conn, &proxy).await?;
    until("every stream to reach the server", || {
        lock(&finished).len() == STREAMS
    })
    .await?;
    conn.close(0u32.into(), b"bye");
    server.close(0u32.into(), b"done");
    serving.abort();
    anyhow::ensure!(
        proxy.dropped(Direction::ToServer) == 1,
        "the proxy dropped {} datagrams, not 1",
        proxy.dropped(Direction::ToServer)
    );
    let dropped_stream = proxy
        .recording()
        .iter()
        .any(|d| d.dropped && d.bytes.len() >= PAYLOAD);
    if !dropped_stream {
        return Ok(None);
    }
    run_from(&finished, t0).map(Some)
}

// ANCHOR: h2_streams
/// HTTP/2: one POST per payload, all on one TCP connection; the chunk
/// carrying stream 0 is held as a lost segment would be.
async fn h2_streams(
    client: h2::client::SendRequest<Bytes>,
    proxy: &Proxy,
) -> anyhow::Result<(Instant, Vec<h2::client::ResponseFuture>)> {
    let t0 = Instant::now();
    let mut responses = Vec::new();
    let mut client = client.ready().await?;
    for stream in 0..STREAMS {
        let seen = proxy.bytes(Direction::ToServer);
        if stream == 0 {
            proxy.faults().stall_next(Direction::ToServer, TCP_RESEND);
        }
        let request = http::Request::post(format!("http://localhost/{stream}")).body(())?;
        let (response, mut body) = client.send_request(request, false)?;
        body.send_data(payload(stream), true)?;
        responses.push(response); // dropped, it would cancel the stream
        until("the proxy to see the stream", || {
            proxy.bytes(Direction::ToServer) > seen
        })
        .await?;
        client = client.ready().await?;
    }
    Ok((t0, responses))
}
// ANCHOR_END: h2_streams

/// One HTTP/2 run: an h2 server that notes when each request body ends,
/// labkit's TCP proxy adding [`ONE_WAY`] each way, one connection.
pub async fn h2_run() -> anyhow::Result<Run> {
    let listener = TcpListener::bind(quic::loopback()).await?;
    let server_addr = listener.local_addr()?;
    let finished = Finished::default();
    let serving = {
        let finished = finished.clone();
        tokio::spawn(async move {
            let (tcp, _) = listener.accept().await?;
            let mut conn = h2::server::handshake(tcp).await?;
            while let Some(request) = conn.accept().await {
                let (request, mut respond) = request?;
                let finished = finished.clone();
                tokio::spawn(async move {
                    let mut body = request.into_body();
                    let mut first = None;
                    while let Some(Ok(data)) = body.data().await {
                        first = first.or(data.first().copied());
                        let _ = body.flow_control().release_capacity(data.len());
                    }
                    if let Some(b) = first {
                        lock(&finished).push((usize::from(b - b'0'), Instant::now()));
                    }
                    let _ = respond.send_response(http::Response::new(()), true);
                });
            }
            anyhow::Ok(())
        })
    };
    let proxy = Proxy::start(server_addr).await?;
    for dir in Direction::BOTH {
        proxy.faults().set_delay(dir, ONE_WAY);
    }
    let tcp = TcpStream::connect(proxy.addr()).await?;
    tcp.set_nodelay(true)?;
    let (client, connection) = h2::client::handshake(tcp).await?;
    let driving = tokio::spawn(connection);
    // Let SETTINGS and their ACKs go by, so the next chunk is ours.
    tokio::time::sleep(ONE_WAY * 6).await;
    let (t0, responses) = h2_streams(client, &proxy).await?;
    for response in responses {
        response.await?;
    }
    driving.abort();
    serving.abort();
    run_from(&finished, t0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// The `hol` scenario: [`RUNS`] runs of each, side by side.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let certs = lab.certs()?;
    let mut quic_runs = Vec::new();
    let mut h2_runs = Vec::new();
    for _ in 0..RUNS {
        quic_runs.push(quic_run(&certs).await?);
        h2_runs.push(h2_run().await?);
    }
    let mut table = Table::new(
        format!(
            "{STREAMS} streams on one connection, stream 0 loses a packet, {} each way, {RUNS} runs",
            human_duration(ONE_WAY)
        ),
        &[
            "transport",
            "unaffected, median",
            "lossy stream, median",
            "unaffected before lossy",
        ],
    );
    for (name, runs) in [
        ("QUIC (quinn)", &quic_runs),
        ("HTTP/2 over TCP (h2)", &h2_runs),
    ] {
        table.row([
            name.to_string(),
            human_duration(median(runs.iter().map(Run::slowest_unaffected).collect())),
            human_duration(median(runs.iter().map(|r| r.done[0]).collect())),
            format!(
                "{} of {}",
                runs.iter().map(Run::unaffected_before_lossy).sum::<usize>(),
                runs.len() * (STREAMS - 1)
            ),
        ]);
    }
    table.note("times: from writing stream 0 to the server reading each stream's end");
    table.note("unaffected: the slowest of the 3 streams that lost nothing, per run");
    table.note(format!(
        "TCP's loss is modelled: the proxy holds the chunk {}",
        human_duration(TCP_RESEND)
    ));
    let mut report = Report::new(crate::LAB, "hol");
    report.table(table);
    Ok(report)
}
