//! HTTP/1.1 on the wire: cuts a recorded stream into requests or responses.
//!
//! Chapter 1 measures what plain HTTP/1.1 costs, and that needs the byte
//! count of every message split into its *head* (start line, headers, blank
//! line) and its *body*. HTTP/1.1 frames a body in one of four ways, all
//! handled here:
//!
//! - `Content-Length: n`: the next `n` bytes;
//! - `Transfer-Encoding: chunked`: hex sizes before each piece, a `0` chunk
//!   and optional trailers at the end (the framing bytes count as body here;
//!   [`Message::body`] holds the data without them);
//! - no body at all: requests without either header, and responses with
//!   status 1xx, 204 or 304 or answering a `HEAD`;
//! - a response with neither header runs until the server closes.
//!
//! Header parsing is done by the `httparse` crate (the one hyper uses); this
//! module adds the framing on top. After a `101 Switching Protocols` (or
//! the HTTP/2 preface) the connection is another protocol: decoding stops
//! there with [`StopReason::Handover`].
//!
//! ```
//! use labkit::wire::http1;
//! let stream = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n";
//! let requests = http1::parse_requests(stream).complete().unwrap();
//! assert_eq!(requests.len(), 2);
//! assert_eq!(requests[1].target(), Some("/x"));
//! ```

use super::decode::{Decoded, Decoder, Stop, StopReason, Unit};
use super::{ConnRecord, Direction};

/// The first line of the HTTP/2 connection preface, which a client sends
/// first when it speaks HTTP/2 without TLS ("h2c with prior knowledge") or
/// after an upgrade; enough to tell it from an HTTP/1.1 request.
const H2_PREFACE_LINE: &[u8] = b"PRI * HTTP/2.0";

/// Most headers a message may have before we call it not HTTP.
const MAX_HEADERS: usize = 1024;

/// Decodes the client's side of a connection into requests.
#[derive(Debug, Clone, Copy, Default)]
pub struct Requests;

/// Decodes the server's side of a connection into responses. On a recorded
/// connection it reads the requests first, so responses to `HEAD` are known
/// to have no body.
#[derive(Debug, Clone, Copy, Default)]
pub struct Responses;

impl Decoder for Requests {
    type Unit = Message;
    fn protocol(&self) -> &'static str {
        "HTTP/1.1 requests"
    }
    fn decode(&self, stream: &[u8]) -> Decoded<Message> {
        parse_requests(stream)
    }
}

impl Decoder for Responses {
    type Unit = Message;
    fn protocol(&self) -> &'static str {
        "HTTP/1.1 responses"
    }
    fn decode(&self, stream: &[u8]) -> Decoded<Message> {
        parse_responses(stream)
    }
    fn decode_conn(&self, conn: &ConnRecord, dir: Direction) -> Decoded<Message> {
        let requests = parse_requests(&conn.stream(dir.reverse()));
        let stream = conn.stream(dir);
        // A client that opened with the HTTP/2 preface gets HTTP/2 back.
        if let (true, Some(stop)) = (requests.units.is_empty(), &requests.stop)
            && matches!(stop.reason, StopReason::Handover(_))
            && !stream.is_empty()
        {
            return Decoded {
                protocol: self.protocol(),
                units: Vec::new(),
                stop: Some(Stop {
                    offset: 0,
                    remaining: stream.len(),
                    reason: stop.reason.clone(),
                }),
            };
        }
        let methods: Vec<&str> = requests.units.iter().filter_map(|m| m.method()).collect();
        parse_responses_to(&stream, &methods)
    }
}

/// One HTTP/1.1 message as it crossed the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Where the message starts in the stream.
    pub offset: usize,
    /// The first line, without its line ending: `GET /a HTTP/1.1`, `HTTP/1.1 200 OK`.
    pub start_line: String,
    /// Request or response, with what its start line says.
    pub kind: Kind,
    /// Header names and values, in order, as sent.
    pub headers: Vec<(String, String)>,
    /// Bytes of start line, headers and the blank line after them.
    pub head_len: usize,
    /// Bytes of body on the wire, chunked framing and trailers included.
    pub body_len: usize,
    /// How the body was delimited.
    pub framing: Framing,
    /// The body's data (without chunked framing).
    pub body: Vec<u8>,
}

/// Whether a message is a request or a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `METHOD target HTTP/1.x`
    Request { method: String, target: String },
    /// `HTTP/1.x status reason`
    Response { status: u16, reason: String },
}

/// How a message's body was delimited on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// No body by the rules (no length on a request; 1xx, 204, 304, HEAD).
    None,
    /// `Content-Length`.
    Length(u64),
    /// `Transfer-Encoding: chunked`, with this many data chunks.
    Chunked { chunks: usize },
    /// A response body that runs until the server closes the connection.
    UntilClose,
}

impl Message {
    /// The method, for a request.
    pub fn method(&self) -> Option<&str> {
        match &self.kind {
            Kind::Request { method, .. } => Some(method),
            Kind::Response { .. } => None,
        }
    }

    /// The request target (path and query), for a request.
    pub fn target(&self) -> Option<&str> {
        match &self.kind {
            Kind::Request { target, .. } => Some(target),
            Kind::Response { .. } => None,
        }
    }

    /// The status code, for a response.
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            Kind::Response { status, .. } => Some(*status),
            Kind::Request { .. } => None,
        }
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Bytes on the wire, head and body.
    pub fn len(&self) -> usize {
        self.head_len + self.body_len
    }

    /// Always false: a message has at least a start line. (For clippy's
    /// `len_without_is_empty`.)
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl Unit for Message {
    /// The method for a request (`"GET"`), the status code for a response (`"200"`).
    fn name(&self) -> String {
        match &self.kind {
            Kind::Request { method, .. } => method.clone(),
            Kind::Response { status, .. } => status.to_string(),
        }
    }
    fn header_len(&self) -> usize {
        self.head_len
    }
    fn body_len(&self) -> usize {
        self.body_len
    }
}

/// Cuts everything a client sent on one connection into requests
/// (shorthand for `Requests.decode(stream)`).
pub fn parse_requests(stream: &[u8]) -> Decoded<Message> {
    parse(stream, Side::Requests, &[])
}

/// Cuts everything a server sent on one connection into responses
/// (shorthand for `Responses.decode(stream)`), taking 1xx, 204 and 304
/// responses as bodiless. When some requests were `HEAD`,
/// use [`parse_responses_to`] (or the [`Responses`] decoder on a recording).
pub fn parse_responses(stream: &[u8]) -> Decoded<Message> {
    parse(stream, Side::Responses, &[])
}

/// Like [`parse_responses`], knowing the methods of the requests they answer,
/// in order, so that a response to `HEAD` is read as bodiless.
pub fn parse_responses_to(stream: &[u8], request_methods: &[&str]) -> Decoded<Message> {
    parse(stream, Side::Responses, request_methods)
}

/// The response head at the start of `bytes` — status line and headers,
/// for a client that read up to the blank line itself (a WebSocket
/// handshake, a proxy's answer to `CONNECT`). `None` when `bytes` do not
/// start with a complete, valid response head.
///
/// The message has `body_len` 0 and no body: what follows the head is not
/// looked at. [`Message::framing`] says how a body would be delimited.
///
/// ```
/// let head = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
/// let answer = labkit::wire::http1::response_head(head).unwrap();
/// assert_eq!(answer.status(), Some(101));
/// assert_eq!(answer.header("upgrade"), Some("websocket"));
/// ```
pub fn response_head(bytes: &[u8]) -> Option<Message> {
    let head = parse_head(bytes, Side::Responses).ok()??;
    let framing = framing(&head, None).ok()?;
    Some(Message {
        offset: 0,
        start_line: head.start_line,
        kind: head.kind,
        headers: head.headers,
        head_len: head.len,
        body_len: 0,
        framing,
        body: Vec::new(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Requests,
    Responses,
}

impl Side {
    fn protocol(self) -> &'static str {
        match self {
            Side::Requests => Requests.protocol(),
            Side::Responses => Responses.protocol(),
        }
    }
}

/// A message's start line and headers, parsed.
struct Head {
    kind: Kind,
    start_line: String,
    headers: Vec<(String, String)>,
    len: usize,
}

fn parse(stream: &[u8], side: Side, request_methods: &[&str]) -> Decoded<Message> {
    let mut decoded = Decoded {
        protocol: side.protocol(),
        units: Vec::new(),
        stop: None,
    };
    let stop = |offset: usize, reason| Stop {
        offset,
        remaining: stream.len() - offset,
        reason,
    };
    // Responses answered so far (1xx interim responses don't count).
    let mut answered = 0;
    // A requested protocol switch, for requests after an `Upgrade:` header.
    let mut upgrade: Option<String> = None;
    let mut pos = 0;

    while pos < stream.len() {
        let rest = &stream[pos..];
        if side == Side::Requests && rest.starts_with(H2_PREFACE_LINE) {
            decoded.stop = Some(stop(pos, StopReason::Handover("HTTP/2 (h2c)".into())));
            return decoded;
        }
        let head = match parse_head(rest, side) {
            Ok(Some(head)) => head,
            Ok(None) => {
                decoded.stop = Some(stop(pos, StopReason::Incomplete));
                return decoded;
            }
            Err(why) => {
                let reason = match upgrade.take() {
                    Some(to) => StopReason::Handover(to),
                    None => StopReason::Invalid(why),
                };
                decoded.stop = Some(stop(pos, reason));
                return decoded;
            }
        };
        let request_method = request_methods.get(answered).copied();
        let framing = match framing(&head, request_method) {
            Ok(framing) => framing,
            Err(why) => {
                decoded.stop = Some(stop(pos, StopReason::Invalid(why)));
                return decoded;
            }
        };
        let body_start = pos + head.len;
        let body = match read_body(&stream[body_start..], framing) {
            Ok(Some(body)) => body,
            Ok(None) => {
                decoded.stop = Some(stop(pos, StopReason::Incomplete));
                return decoded;
            }
            Err(why) => {
                decoded.stop = Some(stop(pos, StopReason::Invalid(why)));
                return decoded;
            }
        };
        let message = Message {
            offset: pos,
            start_line: head.start_line,
            kind: head.kind,
            headers: head.headers,
            head_len: head.len,
            body_len: body.wire_len,
            framing: body.framing,
            body: body.data,
        };
        pos = body_start + body.wire_len;
        let switched = match message.kind {
            Kind::Request { .. } => {
                if let Some(to) = message.header("upgrade") {
                    upgrade = Some(to.to_string());
                }
                None
            }
            Kind::Response { status, .. } => {
                if status >= 200 || status == 101 {
                    answered += 1;
                }
                (status == 101).then(|| {
                    message
                        .header("upgrade")
                        .unwrap_or("another protocol")
                        .to_string()
                })
            }
        };
        decoded.units.push(message);
        if let Some(to) = switched {
            if pos < stream.len() {
                decoded.stop = Some(stop(pos, StopReason::Handover(to)));
            }
            return decoded;
        }
    }
    decoded
}

/// Parses a start line and headers; `Ok(None)` if they are not all there yet.
fn parse_head(buf: &[u8], side: Side) -> Result<Option<Head>, String> {
    let mut capacity = 32;
    loop {
        let mut slots = vec![httparse::EMPTY_HEADER; capacity];
        let parsed = match side {
            Side::Requests => {
                let mut req = httparse::Request::new(&mut slots);
                match req.parse(buf) {
                    Ok(httparse::Status::Complete(len)) => {
                        let kind = Kind::Request {
                            method: req.method.unwrap_or_default().to_string(),
                            target: req.path.unwrap_or_default().to_string(),
                        };
                        Ok(Some((kind, owned(req.headers), len)))
                    }
                    Ok(httparse::Status::Partial) => Ok(None),
                    Err(e) => Err(e),
                }
            }
            Side::Responses => {
                let mut res = httparse::Response::new(&mut slots);
                match res.parse(buf) {
                    Ok(httparse::Status::Complete(len)) => {
                        let kind = Kind::Response {
                            status: res.code.unwrap_or_default(),
                            reason: res.reason.unwrap_or_default().to_string(),
                        };
                        Ok(Some((kind, owned(res.headers), len)))
                    }
                    Ok(httparse::Status::Partial) => Ok(None),
                    Err(e) => Err(e),
                }
            }
        };
        return match parsed {
            Ok(Some((kind, headers, len))) => Ok(Some(Head {
                kind,
                start_line: start_line(&buf[..len]),
                headers,
                len,
            })),
            Ok(None) => Ok(None),
            Err(httparse::Error::TooManyHeaders) if capacity < MAX_HEADERS => {
                capacity *= 4;
                continue;
            }
            Err(e) => Err(format!("{e} in the start line or headers")),
        };
    }
}

fn owned(headers: &[httparse::Header<'_>]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect()
}

/// The first non-empty line of a head, without its line ending.
fn start_line(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(head);
    text.trim_start_matches(['\r', '\n'])
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r')
        .to_string()
}

/// Decides how the body is delimited (RFC 9112 section 6.3, simplified).
fn framing(head: &Head, request_method: Option<&str>) -> Result<Framing, String> {
    if let Kind::Response { status, .. } = head.kind {
        let bodiless = (100..200).contains(&status)
            || status == 204
            || status == 304
            || request_method.is_some_and(|m| m.eq_ignore_ascii_case("HEAD"));
        if bodiless {
            return Ok(Framing::None);
        }
    }
    let values = |name: &'static str| {
        head.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
    };
    if let Some(last) = values("transfer-encoding").next_back() {
        if last.eq_ignore_ascii_case("chunked") {
            return Ok(Framing::Chunked { chunks: 0 });
        }
        return match head.kind {
            Kind::Response { .. } => Ok(Framing::UntilClose),
            Kind::Request { .. } => Err(format!(
                "a request's Transfer-Encoding must end with chunked, this one ends with {last}"
            )),
        };
    }
    let mut length = None;
    for v in values("content-length") {
        let n: u64 = v
            .parse()
            .map_err(|_| format!("Content-Length {v:?} is not a number"))?;
        if length.is_some_and(|l| l != n) {
            return Err("two different Content-Length values".into());
        }
        length = Some(n);
    }
    Ok(match (length, &head.kind) {
        (Some(n), _) => Framing::Length(n),
        (None, Kind::Request { .. }) => Framing::None,
        (None, Kind::Response { .. }) => Framing::UntilClose,
    })
}

/// A body read off the wire.
struct Body {
    wire_len: usize,
    data: Vec<u8>,
    framing: Framing,
}

/// Reads the body that starts at `buf[0]`; `Ok(None)` if it is not all there.
fn read_body(buf: &[u8], framing: Framing) -> Result<Option<Body>, String> {
    let whole = |len: usize| Body {
        wire_len: len,
        data: buf[..len].to_vec(),
        framing,
    };
    Ok(Some(match framing {
        Framing::None => whole(0),
        Framing::UntilClose => whole(buf.len()),
        Framing::Length(n) => match usize::try_from(n) {
            Ok(n) if n <= buf.len() => whole(n),
            _ => return Ok(None),
        },
        Framing::Chunked { .. } => return read_chunked(buf),
    }))
}

/// Reads a chunked body: `size CRLF data CRLF` ..., `0 CRLF`, trailers, `CRLF`.
fn read_chunked(buf: &[u8]) -> Result<Option<Body>, String> {
    let mut pos = 0;
    let mut data = Vec::new();
    let mut chunks = 0;
    loop {
        let (line_len, size) = match httparse::parse_chunk_size(&buf[pos..]) {
            Ok(httparse::Status::Complete(found)) => found,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(_) => return Err(format!("bad chunk size line at body byte {pos}")),
        };
        pos += line_len;
        if size == 0 {
            break;
        }
        // `end + 2` must not overflow either, so the size is checked against
        // what `usize` can hold with the CRLF after it.
        let Some(end) = usize::try_from(size)
            .ok()
            .and_then(|s| pos.checked_add(s))
            .filter(|e| e.checked_add(2).is_some())
        else {
            return Err(format!("chunk size {size} is too large"));
        };
        if buf.len() < end + 2 {
            return Ok(None);
        }
        if &buf[end..end + 2] != b"\r\n" {
            return Err(format!("chunk at body byte {pos} does not end with CRLF"));
        }
        data.extend_from_slice(&buf[pos..end]);
        chunks += 1;
        pos = end + 2;
    }
    // Trailers (usually none), then the blank line that ends the body.
    let mut slots = vec![httparse::EMPTY_HEADER; 64];
    match httparse::parse_headers(&buf[pos..], &mut slots) {
        Ok(httparse::Status::Complete((len, _))) => pos += len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(format!("bad trailer after the last chunk: {e}")),
    }
    Ok(Some(Body {
        wire_len: pos,
        data,
        framing: Framing::Chunked { chunks },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_length_chunked_and_bodiless_responses() {
        let stream = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello\
HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n\
HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n\
HTTP/1.1 204 No Content\r\n\r\n";
        let d = parse_responses(stream);
        assert_eq!(d.stop, None);
        let names: Vec<_> = d.units.iter().map(|m| m.name()).collect();
        assert_eq!(names, ["200", "200", "304", "204"]);
        assert_eq!(d.units[0].body, b"hello");
        assert_eq!(d.units[1].body, b"abcde");
        assert_eq!(d.units[1].framing, Framing::Chunked { chunks: 2 });
        // "3\r\nabc\r\n" + "2\r\nde\r\n" + "0\r\n" + "\r\n"
        assert_eq!(d.units[1].body_len, 8 + 7 + 3 + 2);
        let total: usize = d.units.iter().map(|m| m.len()).sum();
        assert_eq!(total, stream.len());
    }

    #[test]
    fn a_response_to_head_has_no_body() {
        let stream = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        let d = parse_responses_to(stream, &["HEAD", "GET"]);
        assert!(d.is_complete());
        assert_eq!(d.units.len(), 2);
        assert_eq!(d.units[0].body_len, 0);
        assert_eq!(d.units[1].body, b"ok");
    }

    #[test]
    fn a_cut_stream_is_reported_not_panicked_on() {
        let stream = b"POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345";
        let d = parse_requests(stream);
        assert!(d.units.is_empty());
        let stop = d.stop.clone().unwrap();
        assert_eq!((stop.offset, stop.reason), (0, StopReason::Incomplete));
        let err = d.complete().unwrap_err().to_string();
        assert!(err.contains("ends in the middle"), "{err}");

        for cut in 1..stream.len() {
            let d = parse_requests(&stream[..cut]);
            assert!(d.units.is_empty());
            assert_eq!(
                d.stop.map(|s| s.reason),
                Some(StopReason::Incomplete),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn garbage_is_invalid_and_the_h2_preface_is_a_handover() {
        let d = parse_requests(b"GET / HTTP/1.1\r\n\r\n\x16\x03\x01\x02\x00");
        assert_eq!(d.units.len(), 1);
        assert!(matches!(d.stop.unwrap().reason, StopReason::Invalid(_)));

        let d = parse_requests(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assert!(d.units.is_empty());
        assert!(matches!(d.stop.unwrap().reason, StopReason::Handover(_)));
    }
}
