//! Real servers and clients for the wire and fault tests: a TCP echo server
//! that reports what it received, an axum HTTP server, and a hyper client.
//! Each test file uses some of them.
#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::routing::{get, post};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// Fails the test instead of hanging it when `fut` takes longer than 20 s.
/// Never a timing assertion: the machine may be slow, not the code.
pub async fn guard<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), fut)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within 20 s"))
}

/// A TCP server that echoes what it reads; when a connection ends it sends
/// the number of bytes it received on `ended`.
pub struct Echo {
    pub addr: SocketAddr,
    pub ended: mpsc::UnboundedReceiver<usize>,
}

pub async fn echo_server() -> Echo {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, ended) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = vec![0; 64 * 1024];
                let mut total = 0;
                loop {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            total += n;
                            if sock.write_all(&buf[..n]).await.is_err() {
                                break;
                            }
                        }
                    }
                }
                let _ = tx.send(total);
            });
        }
    });
    Echo { addr, ended }
}

/// A TCP server that writes `reply` to each connection as soon as it has
/// read one byte, then keeps reading until the client closes.
pub async fn talker(reply: Vec<u8>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let reply = Arc::new(reply);
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let reply = reply.clone();
            tokio::spawn(async move {
                let mut buf = [0; 1024];
                if !matches!(sock.read(&mut buf).await, Ok(n) if n > 0) {
                    return;
                }
                let _ = sock.write_all(&reply).await;
                while matches!(sock.read(&mut buf).await, Ok(n) if n > 0) {}
            });
        }
    });
    addr
}

/// Reads until EOF or an error; returns what arrived and whether it ended in
/// an error (a reset) rather than a clean EOF.
pub async fn read_until_closed(sock: &mut TcpStream) -> (Vec<u8>, bool) {
    let mut got = Vec::new();
    let mut buf = [0; 8192];
    loop {
        match sock.read(&mut buf).await {
            Ok(0) => return (got, false),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (got, true),
        }
    }
}

/// An HTTP server of the kind lab-rest talks to, with a counter of the
/// POSTs it has processed.
pub struct Http {
    pub addr: SocketAddr,
    pub posts: Arc<AtomicUsize>,
}

impl Http {
    pub fn posts(&self) -> usize {
        self.posts.load(Ordering::SeqCst)
    }
}

/// Routes: `GET /fixed/{n}` (n bytes, Content-Length), `GET /chunked` (three
/// chunks, chunked transfer encoding), `POST /orders` (counts, echoes the
/// body length), `GET /empty` (204).
pub async fn http_server() -> Http {
    let posts = Arc::new(AtomicUsize::new(0));
    let counter = posts.clone();
    let app = Router::new()
        .route(
            "/fixed/{n}",
            get(|axum::extract::Path(n): axum::extract::Path<usize>| async move { "x".repeat(n) }),
        )
        .route(
            "/chunked",
            get(|| async {
                let parts =
                    ["first,", "second,", "third"].map(|s| Ok::<_, std::io::Error>(Bytes::from(s)));
                Body::from_stream(futures::stream::iter(parts))
            }),
        )
        .route(
            "/orders",
            post(move |body: Bytes| async move {
                counter.fetch_add(1, Ordering::SeqCst);
                format!("created {}", body.len())
            }),
        )
        .route(
            "/empty",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Http { addr, posts }
}

/// One HTTP/1.1 connection (kept alive) from hyper's client to `addr`.
pub async fn http_client(addr: SocketAddr) -> SendRequest<Full<Bytes>> {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    sender
}

/// Sends one request on `client` and reads the whole response.
pub async fn call(
    client: &mut SendRequest<Full<Bytes>>,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, Bytes) {
    client.ready().await.unwrap();
    let req = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", "lab")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap();
    let res = client.send_request(req).await.unwrap();
    let status = res.status().as_u16();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, body)
}

/// The property every decoder keeps, checked at every cut of a `stream`
/// that decodes completely: the stream cut after `n` bytes decodes to the
/// units that end within those `n` bytes — the same names and sizes, in
/// order — and then either ends exactly on a unit boundary or stops as
/// `Incomplete` right after the last whole unit. Never a panic, never a
/// unit made up from half of one.
///
/// Units are compared by name and sizes, not in full: what a unit *means*
/// may depend on units after it (an HTTP/2 header block split over
/// HEADERS and CONTINUATION is attached once it is whole).
///
/// For decoders whose units carry their own length (every one so far; an
/// HTTP/1.1 response that runs until the server closes has no length, so
/// a shorter stream is a shorter body, not a cut).
pub fn assert_every_cut_stops_cleanly<D: labkit::wire::Decoder>(decoder: &D, stream: &[u8]) {
    use labkit::wire::{StopReason, Unit};
    let shape = |units: &[D::Unit]| -> Vec<(String, usize, usize)> {
        units
            .iter()
            .map(|u| (u.name(), u.header_len(), u.body_len()))
            .collect()
    };
    let whole = decoder
        .decode(stream)
        .complete()
        .expect("the stream to cut decodes completely");
    assert!(!whole.is_empty(), "a stream with units to cut");
    let whole = shape(&whole);
    for cut in 0..=stream.len() {
        let part = decoder.decode(&stream[..cut]);
        let n = part.units.len();
        assert_eq!(
            shape(&part.units),
            whole[..n],
            "cut at {cut}: the units before it"
        );
        let used: usize = part.units.iter().map(Unit::wire_len).sum();
        assert!(used <= cut, "cut at {cut}: {used} bytes of units");
        match part.stop {
            None => assert_eq!(used, cut, "cut at {cut}: no stop, so every byte is a unit"),
            Some(stop) => {
                assert_eq!(
                    (stop.offset, stop.remaining, stop.reason),
                    (used, cut - used, StopReason::Incomplete),
                    "cut at {cut}: a stop right after the last whole unit"
                );
                assert!(
                    n < whole.len() && used + whole[n].1 + whole[n].2 > cut,
                    "cut at {cut}: the next unit really was cut"
                );
            }
        }
    }
}
