//! The HTTP clients the scenarios use, configured the ways the chapter compares.
//!
//! Two kinds. A pooled [`reqwest::Client`] — what applications use — for
//! scenarios where it doesn't matter which connection carries a request.
//! And single connections made by hand with hyper's low-level API
//! ([`Http1Conn`], [`Http2Conn`]) where the lesson *is* the connection: a
//! pooled client decides by itself when to open another one (hyper's pool
//! races a new connect against waiting for an idle connection to come back),
//! which is right for an application and wrong for counting.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, anyhow};
use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpStream;

/// What an exchange on a hand-made connection returns.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

// ANCHOR: http1conn
/// One HTTP/1.1 connection, kept alive: every request goes on it, one at a time.
pub struct Http1Conn {
    sender: http1::SendRequest<Full<Bytes>>,
}

impl Http1Conn {
    /// Opens a TCP connection to `addr` and speaks HTTP/1.1 on it.
    pub async fn open(addr: SocketAddr) -> anyhow::Result<Http1Conn> {
        let tcp = TcpStream::connect(addr)
            .await
            .with_context(|| format!("cannot connect to {addr}"))?;
        // ANCHOR: handshake
        let (sender, connection) = http1::handshake(TokioIo::new(tcp)).await?;
        tokio::spawn(connection); // drives the socket until it closes
        // ANCHOR_END: handshake
        Ok(Http1Conn { sender })
    }

    /// Sends `request` and reads the whole answer.
    pub async fn send(&mut self, mut request: Request<Full<Bytes>>) -> anyhow::Result<Answer> {
        // ANCHOR: send_one
        // HTTP/1.1 to a server names only the path ("origin form", RFC 9112
        // §3.2.1); the host travels in the Host header.
        if let Some(path) = request.uri().path_and_query() {
            *request.uri_mut() = path.as_str().parse()?;
        }
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        // ANCHOR_END: send_one
        read(response).await
    }
    // ANCHOR_END: http1conn

    /// `GET path` on this connection.
    pub async fn get(&mut self, addr: SocketAddr, path: &str) -> anyhow::Result<Answer> {
        self.send(request("GET", addr, path, None)?).await
    }
}

/// One HTTP/2 connection without TLS (h2c, "prior knowledge"); cloning it
/// gives another handle to the same connection, so many requests can be in
/// flight on it at once.
#[derive(Clone)]
pub struct Http2Conn {
    sender: http2::SendRequest<Full<Bytes>>,
}

impl Http2Conn {
    /// Opens a TCP connection to `addr` and starts HTTP/2 with its preface.
    pub async fn open(addr: SocketAddr) -> anyhow::Result<Http2Conn> {
        let tcp = TcpStream::connect(addr)
            .await
            .with_context(|| format!("cannot connect to {addr}"))?;
        let (sender, connection) =
            http2::handshake(TokioExecutor::new(), TokioIo::new(tcp)).await?;
        tokio::spawn(connection);
        Ok(Http2Conn { sender })
    }

    /// `GET path` as a new stream on this connection.
    pub async fn get(&mut self, addr: SocketAddr, path: &str) -> anyhow::Result<Answer> {
        self.sender.ready().await?;
        let response = self
            .sender
            .send_request(request("GET", addr, path, None)?)
            .await?;
        read(response).await
    }
}

/// Builds a request for a hand-made connection (HTTP/1.1 needs `Host`; for
/// HTTP/2 the full URI gives `:authority`).
pub fn request(
    method: &str,
    addr: SocketAddr,
    path: &str,
    json: Option<Vec<u8>>,
) -> anyhow::Result<Request<Full<Bytes>>> {
    let mut builder = Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"))
        .header("host", addr.to_string());
    if json.is_some() {
        builder = builder.header("content-type", "application/json");
    }
    Ok(builder.body(Full::new(Bytes::from(json.unwrap_or_default())))?)
}

async fn read(response: http::Response<hyper::body::Incoming>) -> anyhow::Result<Answer> {
    let (parts, body) = response.into_parts();
    let body = body.collect().await?.to_bytes();
    Ok(Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

/// A pooled HTTP/1.1 client, as an application would use.
pub fn pooled() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .http1_only()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a valid client")
}

/// `http://ADDR` for a socket address (the labkit proxy's, usually).
pub fn base(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// The innermost cause of an error chain, which is the readable one
/// ("Connection refused (os error 111)") rather than a library's wrapper.
pub fn why(error: &(dyn std::error::Error + 'static)) -> String {
    let mut source = error;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

/// Turns a reqwest error into an anyhow error that says what was attempted.
pub fn failed(what: &str, error: reqwest::Error) -> anyhow::Error {
    anyhow!("{what} failed: {}", why(&error))
}
