//! The NATS client protocol, cut from a recorded byte stream into
//! operations.
//!
//! NATS is a text protocol (docs.nats.io, "Client protocol"): every
//! operation is a **control line** — a verb, then fields separated by
//! spaces or tabs, then CRLF — and four verbs are followed by content of a
//! length the line announces, then another CRLF:
//!
//! | verb | sent by | line | content |
//! |---|---|---|---|
//! | `INFO` | server | `INFO {json}` | — |
//! | `CONNECT` | client | `CONNECT {json}` | — |
//! | `PUB` | client | `PUB <subject> [reply-to] <#bytes>` | payload |
//! | `HPUB` | client | `HPUB <subject> [reply-to] <#header bytes> <#total bytes>` | headers, payload |
//! | `SUB` | client | `SUB <subject> [queue group] <sid>` | — |
//! | `UNSUB` | client | `UNSUB <sid> [max_msgs]` | — |
//! | `MSG` | server | `MSG <subject> <sid> [reply-to] <#bytes>` | payload |
//! | `HMSG` | server | `HMSG <subject> <sid> [reply-to] <#header bytes> <#total bytes>` | headers, payload |
//! | `PING`, `PONG` | both | the verb alone | — |
//! | `+OK`, `-ERR` | server | `+OK`, `-ERR '<message>'` | — |
//!
//! Verbs are case-insensitive. A header block (HPUB, HMSG) opens with the
//! version line `NATS/1.0` (optionally a status such as `503`), then
//! `Name: value` lines, then an empty line; its length is counted in both
//! numbers of the control line, so the payload is `total − header` bytes.
//!
//! Counted as header: the control line, the NATS header block and the CRLF
//! after the content; counted as body: the payload, which is all the
//! application asked to send. Everything an operation without content
//! sends (`INFO`'s JSON included) is header.
//!
//! The server also accepts a bare LF at the end of a control line (handy
//! with telnet); so does this decoder. Payload bytes are opaque: they may
//! hold CRLFs, which is why the length is announced first.
//!
//! ```
//! use labkit::wire::{Decoder, Unit, nats};
//! let stream = b"PUB pay.charge _INBOX.7 5\r\nhello\r\n";
//! let ops = nats::Ops.decode(stream).complete().unwrap();
//! assert_eq!(ops[0].name(), "PUB");
//! assert_eq!(ops[0].reply_to.as_deref(), Some("_INBOX.7"));
//! assert_eq!((ops[0].header_len(), ops[0].body_len()), (29, 5));
//! ```

use super::decode::{Decoded, Decoder, Stop, StopReason, Unit};

/// How long a control line may grow before the decoder calls the stream
/// something else. The server's own limit (`max_control_line`) is 4 KiB by
/// default; `INFO` lines from a cluster can be longer, so allow more.
pub const MAX_LINE: usize = 64 * 1024;

/// The operations of the client protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verb {
    Info,
    Connect,
    Pub,
    Hpub,
    Sub,
    Unsub,
    Msg,
    Hmsg,
    Ping,
    Pong,
    Ok,
    Err,
}

impl Verb {
    const ALL: [Verb; 12] = [
        Verb::Info,
        Verb::Connect,
        Verb::Pub,
        Verb::Hpub,
        Verb::Sub,
        Verb::Unsub,
        Verb::Msg,
        Verb::Hmsg,
        Verb::Ping,
        Verb::Pong,
        Verb::Ok,
        Verb::Err,
    ];

    /// The verb as the protocol spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Info => "INFO",
            Verb::Connect => "CONNECT",
            Verb::Pub => "PUB",
            Verb::Hpub => "HPUB",
            Verb::Sub => "SUB",
            Verb::Unsub => "UNSUB",
            Verb::Msg => "MSG",
            Verb::Hmsg => "HMSG",
            Verb::Ping => "PING",
            Verb::Pong => "PONG",
            Verb::Ok => "+OK",
            Verb::Err => "-ERR",
        }
    }

    fn parse(word: &[u8]) -> Option<Verb> {
        Verb::ALL
            .into_iter()
            .find(|v| v.as_str().as_bytes().eq_ignore_ascii_case(word))
    }

    /// Whether `partial` could still grow into some verb.
    fn could_start(partial: &[u8]) -> bool {
        Verb::ALL.iter().any(|v| {
            let v = v.as_str().as_bytes();
            v.len() >= partial.len() && v[..partial.len()].eq_ignore_ascii_case(partial)
        })
    }

    /// Whether the control line announces content after it.
    fn carries_content(self) -> bool {
        matches!(self, Verb::Pub | Verb::Hpub | Verb::Msg | Verb::Hmsg)
    }
}

/// One operation on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    /// Which operation.
    pub verb: Verb,
    /// Where it starts in the stream.
    pub offset: usize,
    /// The control line as sent, without its line end.
    pub line: String,
    /// Bytes of the control line with its line end.
    pub line_len: usize,
    /// The subject (PUB, HPUB, SUB, MSG, HMSG).
    pub subject: Option<String>,
    /// Where answers go: the reply subject, the requester's inbox (PUB,
    /// HPUB, MSG, HMSG).
    pub reply_to: Option<String>,
    /// The subscription id (SUB, UNSUB, MSG, HMSG).
    pub sid: Option<String>,
    /// The queue group (SUB).
    pub queue_group: Option<String>,
    /// UNSUB's `max_msgs`: unsubscribe after this many more messages.
    pub max_msgs: Option<u64>,
    /// The NATS header block (HPUB, HMSG), starting `NATS/1.0`.
    pub headers: Vec<u8>,
    /// The application's bytes (PUB, HPUB, MSG, HMSG).
    pub payload: Vec<u8>,
}

impl Op {
    /// What follows the verb on the control line, trimmed: the JSON of
    /// INFO and CONNECT, the message of -ERR.
    pub fn argument(&self) -> &str {
        let verb_len = self.verb.as_str().len().min(self.line.len());
        self.line[verb_len..].trim()
    }

    /// The JSON object of INFO or CONNECT, parsed (None for other verbs or
    /// when it does not parse).
    pub fn json(&self) -> Option<serde_json::Value> {
        match self.verb {
            Verb::Info | Verb::Connect => serde_json::from_str(self.argument()).ok(),
            _ => None,
        }
    }

    /// The status on the header block's version line: `503` in
    /// `NATS/1.0 503` (no responders), `408` for a request timeout.
    pub fn status(&self) -> Option<u16> {
        let text = String::from_utf8_lossy(&self.headers);
        let first = text.lines().next()?;
        first
            .strip_prefix("NATS/1.0")?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    }

    /// The header lines as (name, value) pairs, in order.
    pub fn header_fields(&self) -> Vec<(String, String)> {
        let text = String::from_utf8_lossy(&self.headers);
        text.split("\r\n")
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect()
    }

    /// The first value of header `name` (compared without case).
    pub fn header(&self, name: &str) -> Option<String> {
        self.header_fields()
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }
}

impl Unit for Op {
    fn name(&self) -> String {
        self.verb.as_str().to_owned()
    }
    fn header_len(&self) -> usize {
        if self.verb.carries_content() {
            self.line_len + self.headers.len() + 2
        } else {
            self.line_len
        }
    }
    fn body_len(&self) -> usize {
        self.payload.len()
    }
}

/// The NATS decoder: one direction of a client connection (either side).
#[derive(Debug, Clone, Copy, Default)]
pub struct Ops;

impl Decoder for Ops {
    type Unit = Op;

    fn protocol(&self) -> &'static str {
        "NATS"
    }

    fn decode(&self, stream: &[u8]) -> Decoded<Op> {
        let mut units = Vec::new();
        let mut at = 0;
        let stop = loop {
            if at == stream.len() {
                break None;
            }
            match decode_one(stream, at) {
                Ok(op) => {
                    at += op.wire_len();
                    units.push(op);
                }
                Err(reason) => {
                    break Some(Stop {
                        offset: at,
                        remaining: stream.len() - at,
                        reason,
                    });
                }
            }
        };
        Decoded {
            protocol: self.protocol(),
            units,
            stop,
        }
    }
}

fn invalid(why: impl Into<String>) -> StopReason {
    StopReason::Invalid(why.into())
}

/// Decodes the operation starting at `at`.
fn decode_one(stream: &[u8], at: usize) -> Result<Op, StopReason> {
    let rest = &stream[at..];
    // The verb: check it as soon as its bytes arrive, so that a stream that
    // is not NATS is called so even when it is short.
    let word_end = rest
        .iter()
        .position(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    let word = &rest[..word_end.unwrap_or(rest.len()).min(8)];
    let verb = match word_end {
        Some(end) if end <= 7 => Verb::parse(&rest[..end]),
        _ => None,
    };
    if verb.is_none() {
        let partial = word_end.is_none() && rest.len() <= 7;
        if partial && Verb::could_start(rest) {
            return Err(StopReason::Incomplete);
        }
        let shown = String::from_utf8_lossy(word);
        return Err(invalid(format!("{shown:?} is not a NATS operation")));
    }
    let verb = verb.unwrap_or(Verb::Ping);

    let Some(nl) = rest.iter().take(MAX_LINE).position(|&b| b == b'\n') else {
        if rest.len() >= MAX_LINE {
            return Err(invalid(format!(
                "a control line longer than {MAX_LINE} bytes"
            )));
        }
        return Err(StopReason::Incomplete);
    };
    let line_len = nl + 1;
    let line_bytes = rest[..nl].strip_suffix(b"\r").unwrap_or(&rest[..nl]);
    let Ok(line) = std::str::from_utf8(line_bytes) else {
        return Err(invalid("a control line that is not UTF-8"));
    };
    let fields: Vec<&str> = line.split([' ', '\t']).filter(|f| !f.is_empty()).collect();
    let args = &fields[1..];
    let mut op = Op {
        verb,
        offset: at,
        line: line.to_owned(),
        line_len,
        subject: None,
        reply_to: None,
        sid: None,
        queue_group: None,
        max_msgs: None,
        headers: Vec::new(),
        payload: Vec::new(),
    };
    let arity = |ok: &[usize]| {
        if ok.contains(&args.len()) {
            Ok(())
        } else {
            Err(invalid(format!(
                "{} takes {:?} fields, this line has {}",
                verb.as_str(),
                ok,
                args.len()
            )))
        }
    };
    let owned = |s: &str| Some(s.to_owned());
    // (header bytes, total bytes) of the content, when there is some.
    let mut content = None;
    match verb {
        Verb::Info | Verb::Connect => {
            if !op.argument().starts_with('{') {
                return Err(invalid(format!("{} carries a JSON object", verb.as_str())));
            }
        }
        Verb::Ping | Verb::Pong | Verb::Ok => arity(&[0])?,
        Verb::Err => {}
        Verb::Pub => {
            arity(&[2, 3])?;
            op.subject = owned(args[0]);
            if args.len() == 3 {
                op.reply_to = owned(args[1]);
            }
            content = Some((0, size(args[args.len() - 1])?));
        }
        Verb::Hpub => {
            arity(&[3, 4])?;
            op.subject = owned(args[0]);
            if args.len() == 4 {
                op.reply_to = owned(args[1]);
            }
            let n = args.len();
            content = Some((size(args[n - 2])?, size(args[n - 1])?));
        }
        Verb::Msg => {
            arity(&[3, 4])?;
            op.subject = owned(args[0]);
            op.sid = owned(args[1]);
            if args.len() == 4 {
                op.reply_to = owned(args[2]);
            }
            content = Some((0, size(args[args.len() - 1])?));
        }
        Verb::Hmsg => {
            arity(&[4, 5])?;
            op.subject = owned(args[0]);
            op.sid = owned(args[1]);
            if args.len() == 5 {
                op.reply_to = owned(args[2]);
            }
            let n = args.len();
            content = Some((size(args[n - 2])?, size(args[n - 1])?));
        }
        Verb::Sub => {
            arity(&[2, 3])?;
            op.subject = owned(args[0]);
            if args.len() == 3 {
                op.queue_group = owned(args[1]);
            }
            op.sid = owned(args[args.len() - 1]);
        }
        Verb::Unsub => {
            arity(&[1, 2])?;
            op.sid = owned(args[0]);
            if args.len() == 2 {
                op.max_msgs = Some(size(args[1])? as u64);
            }
        }
    }
    if let Some((header, total)) = content {
        if header > total {
            return Err(invalid(format!(
                "{} announces {header} header bytes in a total of {total}",
                verb.as_str()
            )));
        }
        // Compare before adding, so that a huge announced size can neither
        // overflow nor allocate.
        let available = rest.len() - line_len;
        if total > available || available - total < 2 {
            return Err(StopReason::Incomplete);
        }
        let content = &rest[line_len..line_len + total];
        if &rest[line_len + total..line_len + total + 2] != b"\r\n" {
            return Err(invalid(format!(
                "{} content of {total} bytes is not followed by CRLF",
                verb.as_str()
            )));
        }
        if header > 0 && !content.starts_with(b"NATS/") {
            return Err(invalid("a header block does not start with NATS/1.0"));
        }
        op.headers = content[..header].to_vec();
        op.payload = content[header..].to_vec();
    }
    Ok(op)
}

/// A byte count on a control line.
fn size(field: &str) -> Result<usize, StopReason> {
    field
        .parse::<usize>()
        .map_err(|_| invalid(format!("{field:?} is not a byte count")))
}
