//! Reads gRPC calls back out of a recorded HTTP/2 connection.
//!
//! labkit's HTTP/2 decoder gives frames; this module groups them by stream
//! and applies gRPC's own framing on top (the gRPC over HTTP/2 spec,
//! "PROTOCOL-HTTP2.md"): each message inside the DATA frames of a stream is
//! a 1-byte compressed flag, a 4-byte big-endian length and the protobuf
//! bytes, and a message may span DATA frames. The status arrives in the last
//! HEADERS frame (the trailers) as `grpc-status`.
//!
//! Counting messages here, from the bytes, rather than asking tonic, is what
//! lets the lab say "three messages crossed the wire" and mean it.

use anyhow::Context;
use labkit::wire::http2::{self, Frame, FrameType};
use labkit::wire::{ConnRecord, Direction, Unit};

/// The bytes gRPC puts before every message: compressed flag and length.
pub const PREFIX_LEN: usize = 5;

/// One gRPC message as it crossed the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub compressed: bool,
    /// The protobuf bytes, after the 5-byte prefix.
    pub body: Vec<u8>,
}

/// One gRPC call: one HTTP/2 stream, both directions.
#[derive(Debug, Clone, Default)]
pub struct Call {
    pub stream_id: u32,
    /// The request's header list (`:path` names the method).
    pub request_headers: Vec<(String, String)>,
    /// The response's first header block (`:status`, `content-type`).
    pub response_headers: Vec<(String, String)>,
    /// The last header block: `grpc-status`, `grpc-message`. A call that
    /// fails before any message may answer with headers only
    /// ("trailers-only"): then this is that block.
    pub trailers: Vec<(String, String)>,
    pub to_server: Vec<Message>,
    pub to_client: Vec<Message>,
    /// The frames of this stream each way: (type, bytes on the wire).
    pub frames_to_server: Vec<(FrameType, usize)>,
    pub frames_to_client: Vec<(FrameType, usize)>,
    /// An RST_STREAM's error code, and who sent it.
    pub reset: Option<(Direction, u32)>,
}

impl Call {
    /// The method's path, e.g. `/payments.PaymentService/Charge`.
    pub fn path(&self) -> &str {
        header(&self.request_headers, ":path").unwrap_or("")
    }

    /// The `grpc-status` of the trailers, if the call ended with one.
    pub fn grpc_status(&self) -> Option<i32> {
        header(&self.trailers, "grpc-status")?.parse().ok()
    }

    /// Bytes of this stream's frames each way (frame headers included).
    pub fn wire_bytes(&self) -> usize {
        self.frames_to_server
            .iter()
            .chain(&self.frames_to_client)
            .map(|(_, n)| n)
            .sum()
    }
}

/// The first value of header `name` in a list.
pub fn header<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The time a `grpc-timeout` header gives the server, or `None` when the
/// value is not one: at most 8 digits and a unit, `H` hours, `M` minutes,
/// `S` seconds, `m` milliseconds, `u` microseconds, `n` nanoseconds
/// (gRPC over HTTP/2, "Timeout"). `"150000u"` is 150 ms.
pub fn grpc_timeout(value: &str) -> Option<std::time::Duration> {
    use std::time::Duration;
    if !value.is_ascii() {
        return None;
    }
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

// ANCHOR: messages
/// Cuts the concatenated DATA of a stream into gRPC messages; errors if
/// bytes are left over (a message cut short).
pub fn messages(data: &[u8]) -> anyhow::Result<Vec<Message>> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        anyhow::ensure!(
            rest.len() >= PREFIX_LEN,
            "{} bytes left that are too short for a gRPC message prefix",
            rest.len()
        );
        // ANCHOR: prefix
        let len = u32::from_be_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
        anyhow::ensure!(
            rest.len() >= PREFIX_LEN + len,
            "a gRPC message of {len} bytes is cut short"
        );
        out.push(Message {
            compressed: rest[0] == 1,
            body: rest[PREFIX_LEN..PREFIX_LEN + len].to_vec(),
        });
        rest = &rest[PREFIX_LEN + len..];
        // ANCHOR_END: prefix
    }
    Ok(out)
}
// ANCHOR_END: messages

/// Both directions of a recorded connection, as HTTP/2 frames.
pub fn frames(conn: &ConnRecord) -> anyhow::Result<(Vec<Frame>, Vec<Frame>)> {
    let up = http2::parse(&conn.stream(Direction::ToServer))
        .complete()
        .context("decoding the client's HTTP/2 frames")?;
    let down = http2::parse(&conn.stream(Direction::ToClient))
        .complete()
        .context("decoding the server's HTTP/2 frames")?;
    Ok((up, down))
}

/// Every gRPC call on a recorded connection, in the order the client opened
/// its streams.
pub fn calls(conn: &ConnRecord) -> anyhow::Result<Vec<Call>> {
    let (up, down) = frames(conn)?;
    let mut calls = Vec::new();
    for id in http2::streams(&up) {
        let mut call = Call {
            stream_id: id,
            ..Call::default()
        };
        for (dir, frames) in [(Direction::ToServer, &up), (Direction::ToClient, &down)] {
            let mut data = Vec::new();
            let mut blocks = 0;
            for f in http2::on_stream(frames, id) {
                let entry = (f.kind, f.wire_len());
                match dir {
                    Direction::ToServer => call.frames_to_server.push(entry),
                    Direction::ToClient => call.frames_to_client.push(entry),
                }
                match f.kind {
                    FrameType::Data => data.extend_from_slice(f.data()),
                    FrameType::RstStream => call.reset = Some((dir, f.error_code().unwrap_or(0))),
                    FrameType::Headers => {
                        let list = f.headers.clone().unwrap_or_default();
                        match (dir, blocks) {
                            (Direction::ToServer, 0) => call.request_headers = list,
                            (Direction::ToClient, 0) if f.ends_stream() => call.trailers = list,
                            (Direction::ToClient, 0) => call.response_headers = list,
                            (Direction::ToClient, _) => call.trailers = list,
                            _ => {}
                        }
                        blocks += 1;
                    }
                    _ => {}
                }
            }
            let found =
                messages(&data).with_context(|| format!("gRPC messages on stream {id}, {dir}"))?;
            match dir {
                Direction::ToServer => call.to_server = found,
                Direction::ToClient => call.to_client = found,
            }
        }
        calls.push(call);
    }
    Ok(calls)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::grpc_timeout;

    #[test]
    fn grpc_timeout_reads_every_unit_and_refuses_the_rest() {
        assert_eq!(grpc_timeout("150000u"), Some(Duration::from_millis(150)));
        assert_eq!(grpc_timeout("5S"), Some(Duration::from_secs(5)));
        assert_eq!(grpc_timeout("2H"), Some(Duration::from_secs(7200)));
        assert_eq!(
            grpc_timeout("99999999n"),
            Some(Duration::from_nanos(99_999_999))
        );
        for bad in ["", "S", "150", "150x", "123456789m", "1.5S", "-1S", "5é"] {
            assert_eq!(grpc_timeout(bad), None, "{bad:?}");
        }
    }
}
