//! The recording proxy: a TCP relay on loopback that writes down every chunk.
//!
//! Each accepted connection gets one task. Inside it, each direction is a
//! *pump*: a reader that reads a chunk, records it and stamps it with the time
//! it may leave, and a writer that waits for that time (the delay line), for
//! room on the link (a bandwidth cap) and for the black hole to lift, then
//! writes it. Without faults the writer writes at once: the proxy costs one
//! more loopback hop each way plus a lock and a copy per chunk for the record
//! (about 11 µs more per echo round trip in a release build here; see
//! `tests/wire_record.rs`), and never changes what arrives or in what order.
//!
//! A production L4 proxy (HAProxy, Envoy) balances over many upstreams,
//! checks their health and splices bytes without copying them; this one has
//! one upstream and copies every chunk, because recording it is the point.

use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::record::{ConnRecord, Ending, Recorder};
use super::{Direction, pcap};
use crate::fault::Faults;

/// How much one read may take. Big enough that bulk transfers are not split
/// into more chunks than the kernel already splits them.
const READ_BUF: usize = 64 * 1024;

/// Chunks a pump holds between reading and writing (the delay line's length).
/// When it is full the reader stops reading and TCP pushes back on the sender.
const IN_FLIGHT: usize = 256;

/// A recording, fault-injecting TCP proxy in front of one upstream server.
///
/// Point the client at [`Proxy::addr`] instead of the server. The proxy runs
/// until it is dropped; dropping it stops its tasks and closes every
/// connection through it.
pub struct Proxy {
    addr: SocketAddr,
    upstream: SocketAddr,
    recorder: Arc<Recorder>,
    faults: Faults,
    accept: JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy to `upstream`, listening on a free port of 127.0.0.1.
    pub async fn start(upstream: SocketAddr) -> io::Result<Proxy> {
        Proxy::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), upstream).await
    }

    /// Starts a proxy to `upstream` listening on `listen`, for a lab that
    /// wants a port the reader can type.
    pub async fn start_on(listen: SocketAddr, upstream: SocketAddr) -> io::Result<Proxy> {
        let listener = TcpListener::bind(listen).await.map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("the wire proxy cannot listen on {listen}: {e}"),
            )
        })?;
        let addr = listener.local_addr()?;
        let recorder = Arc::new(Recorder::new());
        let faults = Faults::new();
        let accept = tokio::spawn(accept_loop(
            listener,
            upstream,
            recorder.clone(),
            faults.clone(),
        ));
        Ok(Proxy {
            addr,
            upstream,
            recorder,
            faults,
            accept,
        })
    }

    /// Where clients should connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server the proxy forwards to.
    pub fn upstream(&self) -> SocketAddr {
        self.upstream
    }

    /// TCP connections accepted since the start or the last [`Proxy::reset`],
    /// including refused ones: "how many handshakes did the client pay for".
    pub fn connections_opened(&self) -> usize {
        self.recorder.opened()
    }

    /// Connections open right now.
    pub fn open_connections(&self) -> usize {
        self.faults.live_count()
    }

    /// A snapshot of everything recorded, one entry per connection, by id.
    pub fn recording(&self) -> Vec<ConnRecord> {
        self.recorder.snapshot()
    }

    /// Bytes sent in `dir` over all recorded connections.
    pub fn bytes(&self, dir: Direction) -> u64 {
        self.recording().iter().map(|c| c.bytes(dir)).sum()
    }

    /// Forgets everything recorded so far, counters included, so the next
    /// measurement starts from zero. Connections still open are kept (with
    /// their chunks forgotten) and keep being recorded.
    pub fn reset(&self) {
        self.recorder.reset();
    }

    /// The faults of this proxy; see [`crate::fault`].
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Waits until no connection is open, at most `within`; returns whether
    /// that happened. Call it before reading the recording when the last
    /// close matters (keep-alive lessons), since closing takes a moment.
    pub async fn wait_closed(&self, within: Duration) -> bool {
        tokio::time::timeout(within, self.faults.wait_none_live())
            .await
            .is_ok()
    }

    /// Writes the recording as a pcap file for Wireshark or tshark; see
    /// [`crate::wire::pcap`].
    pub fn write_pcap(&self, path: &Path) -> io::Result<()> {
        pcap::write_file(path, &self.recording(), self.recorder.started_wall())
    }
}

impl std::fmt::Debug for Proxy {
    /// Addresses and counts, not the whole recording.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("addr", &self.addr)
            .field("upstream", &self.upstream)
            .field("connections_opened", &self.connections_opened())
            .field("open_connections", &self.open_connections())
            .finish()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.faults.abort_all();
        // `--pcap DIR` on a lab's command line: keep what this proxy saw.
        if let Some(path) = super::capture::next_path()
            && let Err(e) = self.write_pcap(&path)
        {
            eprintln!("warning: could not write {}: {e}", path.display());
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    recorder: Arc<Recorder>,
    faults: Faults,
) {
    loop {
        let (client, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                // Out of file descriptors or a connection reset before we
                // took it: neither is a reason to stop the proxy.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let id = recorder.open(peer, upstream);
        if faults.refusing() {
            drop(client);
            recorder.close(id, Ending::Refused);
            continue;
        }
        let kill = faults.register(id);
        let conn = Conn {
            id,
            recorder: recorder.clone(),
            faults: faults.clone(),
        };
        let task = tokio::spawn(conn.serve(client, upstream, kill));
        faults.set_task(id, task.abort_handle());
    }
}

/// One proxied connection: what its pumps need to know.
#[derive(Clone)]
struct Conn {
    id: usize,
    recorder: Arc<Recorder>,
    faults: Faults,
}

/// Why a pump stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PumpEnd {
    /// The sender closed its side and the FIN was passed on.
    Eof,
    /// Reading from the sender failed (it reset the connection).
    ReadFailed,
    /// Writing to the receiver failed (it reset the connection).
    WriteFailed,
    /// A one-shot cut fired.
    Cut,
}

/// What a pump's reader hands its writer.
enum Msg {
    Data(Bytes, Instant),
    Eof(Instant),
    ReadFailed(Instant),
    Cut(Instant),
}

impl Conn {
    async fn serve(
        self,
        mut client: TcpStream,
        upstream: SocketAddr,
        mut kill: watch::Receiver<bool>,
    ) {
        let connected = tokio::select! {
            r = TcpStream::connect(upstream) => r,
            _ = kill.wait_for(|k| *k) => {
                self.finish(Ending::Cut);
                return;
            }
        };
        let Ok(mut server) = connected else {
            drop(client);
            self.finish(Ending::Unreachable);
            return;
        };
        // The proxy must not add Nagle's delay of its own.
        let _ = client.set_nodelay(true);
        let _ = server.set_nodelay(true);

        let ending = {
            let (client_r, client_w) = client.split();
            let (server_r, server_w) = server.split();
            let mut up = pin!(self.pump(Direction::ToServer, client_r, server_w));
            let mut down = pin!(self.pump(Direction::ToClient, server_r, client_w));
            let (mut up_done, mut down_done) = (false, false);
            let mut first_close = None;
            loop {
                let (end, dir) = tokio::select! {
                    end = &mut up, if !up_done => { up_done = true; (end, Direction::ToServer) }
                    end = &mut down, if !down_done => { down_done = true; (end, Direction::ToClient) }
                    _ = kill.wait_for(|k| *k) => break Ending::Cut,
                };
                // Who is to blame: the sender for what it did on reading,
                // the receiver for a failed write.
                let (sender, receiver) = match dir {
                    Direction::ToServer => (Ending::Client, Ending::Server),
                    Direction::ToClient => (Ending::Server, Ending::Client),
                };
                match end {
                    PumpEnd::Eof => {
                        first_close.get_or_insert(sender);
                    }
                    PumpEnd::ReadFailed => break sender,
                    PumpEnd::WriteFailed => break receiver,
                    PumpEnd::Cut => break Ending::Cut,
                }
                if up_done && down_done {
                    break first_close.unwrap_or(sender);
                }
            }
        };
        // Close both sides as a dying process would: FIN after what was
        // written (the kernel sends a reset instead if input is unread).
        let _ = client.shutdown().await;
        let _ = server.shutdown().await;
        drop((client, server));
        self.finish(ending);
    }

    fn finish(&self, ending: Ending) {
        self.recorder.close(self.id, ending);
        self.faults.unregister(self.id);
    }

    /// Moves bytes one way until the sender closes, an error or a cut.
    async fn pump<R, W>(&self, dir: Direction, mut from: R, mut to: W) -> PumpEnd
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin,
    {
        let (tx, mut rx) = mpsc::channel(IN_FLIGHT);

        let reader = async move {
            // Read into one reused buffer and keep an exact-size copy of each
            // chunk: a recorded chunk must not pin a whole read buffer.
            let mut buf = vec![0; READ_BUF];
            let leave_at = || Instant::now() + self.faults.delay(dir);
            loop {
                let msg = match from.read(&mut buf).await {
                    Ok(0) => Msg::Eof(leave_at()),
                    Err(_) => Msg::ReadFailed(leave_at()),
                    Ok(n) => {
                        let bytes = Bytes::copy_from_slice(&buf[..n]);
                        let cut = self.faults.cut_point(dir, n);
                        let lost = cut.map_or(0, |keep| n - keep);
                        self.recorder.chunk(self.id, dir, bytes.clone(), lost);
                        match cut {
                            None => Msg::Data(bytes, leave_at() + self.faults.take_stall(dir)),
                            Some(keep) => {
                                let at = leave_at();
                                if keep > 0
                                    && tx.send(Msg::Data(bytes.slice(..keep), at)).await.is_err()
                                {
                                    return;
                                }
                                Msg::Cut(at)
                            }
                        }
                    }
                };
                let last = !matches!(msg, Msg::Data(..));
                if tx.send(msg).await.is_err() || last {
                    return;
                }
            }
        };

        let writer = async {
            while let Some(msg) = rx.recv().await {
                let leave_at = match &msg {
                    Msg::Data(_, at) | Msg::Eof(at) | Msg::ReadFailed(at) | Msg::Cut(at) => *at,
                };
                wait_until(leave_at).await;
                match msg {
                    Msg::Data(bytes, _) => {
                        if self.write_paced(dir, &mut to, &bytes).await.is_err() {
                            return PumpEnd::WriteFailed;
                        }
                    }
                    Msg::Eof(_) => {
                        self.faults.pass_black_hole().await;
                        let _ = to.shutdown().await;
                        return PumpEnd::Eof;
                    }
                    Msg::ReadFailed(_) => {
                        self.faults.pass_black_hole().await;
                        return PumpEnd::ReadFailed;
                    }
                    Msg::Cut(_) => return PumpEnd::Cut,
                }
            }
            // The reader always sends a last message before it stops.
            PumpEnd::ReadFailed
        };

        // The writer decides when the pump is over; the reader just runs
        // beside it (and stops by itself after its last message).
        let reader = async {
            reader.await;
            std::future::pending::<Infallible>().await
        };
        tokio::select! {
            end = writer => end,
            never = reader => match never {},
        }
    }

    /// Writes `bytes`, in pieces paced by the bandwidth cap, each only once
    /// the black hole (if any) has lifted.
    async fn write_paced<W: AsyncWrite + Unpin>(
        &self,
        dir: Direction,
        to: &mut W,
        bytes: &[u8],
    ) -> io::Result<()> {
        let mut rest = bytes;
        while !rest.is_empty() {
            self.faults.pass_black_hole().await;
            let piece = self.faults.piece_len(dir).min(rest.len());
            if let Some(crossed) = self.faults.book_link(dir, piece) {
                wait_until(crossed).await;
            }
            to.write_all(&rest[..piece]).await?;
            rest = &rest[piece..];
        }
        Ok(())
    }
}

/// Sleeps until `deadline` if it is still ahead. Tokio's timer rounds up to
/// the next millisecond, so sleeping until "now" would add up to 1 ms to every
/// chunk: exactly the timing change the proxy must not make.
async fn wait_until(deadline: Instant) {
    if deadline > Instant::now() {
        tokio::time::sleep_until(deadline).await;
    }
}
