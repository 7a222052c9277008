//! A WebSocket client written out by hand over a plain TCP socket, so the
//! lessons can send what a library never would (no mask, a message in
//! pieces) and see every byte of the answer.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use labkit::wire::Decoder;
use labkit::wire::websocket::{self, Frame, Frames, Opcode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::handshake;

/// How long to wait for an answer before calling it missing (a hang guard).
pub const ANSWER_WAIT: Duration = Duration::from_secs(5);

/// A connection after a successful handshake.
pub struct RawSocket {
    stream: TcpStream,
    /// Bytes read but not yet cut into frames.
    buffer: Vec<u8>,
    /// Whether the server ended the TCP connection (read returned 0 or failed).
    ended: bool,
}

impl RawSocket {
    /// Opens a TCP connection to `addr`, sends the upgrade request for
    /// `path` with `key`, and checks for `101` and the right accept value.
    pub async fn connect(addr: SocketAddr, path: &str, key: &str) -> anyhow::Result<RawSocket> {
        let mut stream = TcpStream::connect(addr)
            .await
            .with_context(|| format!("nothing listens at {addr}"))?;
        stream
            .write_all(handshake::request(addr, path, key).as_bytes())
            .await?;
        let (head, rest) = read_head(&mut stream).await?;
        let answer = handshake::Answer::parse(&head)?;
        if answer.status != 101 {
            bail!(
                "the server answered {} instead of 101 Switching Protocols",
                answer.status
            );
        }
        if answer.accept.as_deref() != Some(handshake::accept_for(key).as_str()) {
            bail!(
                "Sec-WebSocket-Accept {:?} does not match the key",
                answer.accept
            );
        }
        Ok(RawSocket {
            stream,
            buffer: rest,
            ended: false,
        })
    }

    /// Sends one frame exactly as given (masked only if `mask` is set).
    pub async fn send(
        &mut self,
        fin: bool,
        opcode: Opcode,
        payload: &[u8],
        mask: Option<[u8; 4]>,
    ) -> anyhow::Result<()> {
        let bytes = websocket::encode(fin, opcode, payload, mask);
        self.stream.write_all(&bytes).await?;
        Ok(())
    }

    /// The next frame from the server; `None` when the server closed the
    /// TCP connection (or sent nothing within [`ANSWER_WAIT`]).
    pub async fn next_frame(&mut self) -> anyhow::Result<Option<Frame>> {
        loop {
            let decoded = Frames.decode(&self.buffer);
            if let Some(frame) = decoded.units.into_iter().next() {
                let used = frame.header_len + frame.payload.len();
                self.buffer.drain(..used);
                return Ok(Some(frame));
            }
            let mut chunk = [0u8; 16 * 1024];
            match tokio::time::timeout(ANSWER_WAIT, self.stream.read(&mut chunk)).await {
                Err(_) => return Ok(None),
                Ok(Ok(0)) | Ok(Err(_)) => {
                    self.ended = true;
                    return Ok(None);
                }
                Ok(Ok(n)) => self.buffer.extend_from_slice(&chunk[..n]),
            }
        }
    }
}

impl RawSocket {
    /// Whether the server has ended the TCP connection.
    pub fn ended(&self) -> bool {
        self.ended
    }
}

/// Reads up to the blank line ending an HTTP head; returns the head and any
/// bytes after it.
pub async fn read_head(stream: &mut TcpStream) -> anyhow::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end + 4]).into_owned();
            return Ok((head, buf[end + 4..].to_vec()));
        }
        let n = tokio::time::timeout(ANSWER_WAIT, stream.read(&mut chunk))
            .await
            .context("no HTTP answer within 5 s")??;
        if n == 0 {
            bail!("the server closed the connection before answering");
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
