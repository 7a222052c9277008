//! Every byte of one unit, named: the field layouts behind the book's
//! byte-layout figures.
//!
//! Each function takes the bytes of exactly one unit (one HTTP/1.1 request,
//! one HTTP/2 DATA frame, one WebSocket frame, one MQTT PUBLISH, one AMQP
//! frame, one TLS record), runs this module's sibling decoder on them, and
//! cuts them into [`Field`](crate::report::Field)s using the lengths the
//! decoder found: a [`ByteFigure`] whose fields cover the unit with no gap
//! and no overlap, or an error saying why the bytes are not one such unit.
//! The chapters' figures are drawn from these, on bytes the labs' proxies
//! recorded (`.ci/figures`, which runs `labkit`'s `figures` binary), and
//! `tests/byte_figures.rs` reads each figure back and calls the same
//! function on its bytes, so a figure cannot drift from the protocol.
//!
//! | unit tag | function | specification |
//! |---|---|---|
//! | `http1-request` | [`http1_request`] | RFC 9112 §2.1, §3, §5 |
//! | `grpc-data-frame` | [`grpc_data_frame`] | RFC 9113 §4.1, gRPC's PROTOCOL-HTTP2 "Length-Prefixed-Message" |
//! | `websocket-frame` | [`websocket_frame`] | RFC 6455 §5.2 |
//! | `mqtt-publish` | [`mqtt_publish`] | MQTT 3.1.1 §2.2, §3.3 |
//! | `amqp-frame` | [`amqp_frame`] | AMQP 0-9-1 §4.2.3, `basic.publish` |
//! | `tls-record` | [`tls_record`] | RFC 8446 §5.1, §5.2 |

use super::decode::{Decoder, Unit};
use super::{amqp, http1, http2, mqtt, tls, websocket};
use crate::report::ByteFigure;

/// The layout for `unit` (one of the tags in the module's table) on `bytes`.
pub fn figure(unit: &str, bytes: &[u8]) -> Result<ByteFigure, String> {
    match unit {
        "http1-request" => http1_request(bytes),
        "grpc-data-frame" => grpc_data_frame(bytes),
        "websocket-frame" => websocket_frame(bytes),
        "mqtt-publish" => mqtt_publish(bytes),
        "amqp-frame" => amqp_frame(bytes),
        "tls-record" => tls_record(bytes),
        other => Err(format!("no field layout for a unit called `{other}`")),
    }
}

/// The one unit `bytes` decodes to, checked to span all of them.
fn one<U: Unit>(units: Vec<U>, bytes: &[u8], what: &str) -> Result<U, String> {
    let n = units.len();
    let mut units = units.into_iter();
    match (units.next(), n) {
        (Some(u), 1) if u.wire_len() == bytes.len() => Ok(u),
        (Some(u), 1) => Err(format!(
            "the {what} is {} bytes but {} were given",
            u.wire_len(),
            bytes.len()
        )),
        _ => Err(format!("expected one {what}, the bytes hold {n}")),
    }
}

/// Checks that the fields end where the decoder says the unit ends.
fn done(fig: ByteFigure) -> Result<ByteFigure, String> {
    fig.check()?;
    Ok(fig)
}

fn quoted_prefix(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut s: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        s.push('…');
    }
    format!("“{s}”")
}

/// An HTTP/1.1 request: method, request-target and version, one field line
/// per header, the empty line, and the body the framing announced.
pub fn http1_request(bytes: &[u8]) -> Result<ByteFigure, String> {
    let units = http1::parse_requests(bytes)
        .complete()
        .map_err(|e| e.to_string())?;
    let m = one(units, bytes, "HTTP/1.1 request")?;
    let (Some(method), Some(target)) = (m.method(), m.target()) else {
        return Err("not a request".into());
    };
    let head = &bytes[..m.head_len];
    let lines = line_ends(head);
    let first_end = *lines.first().ok_or("no start line")?;
    let version = m.start_line.rsplit(' ').next().unwrap_or_default();
    let mut fig = ByteFigure::new(
        format!("HTTP/1.1 request: {method} {target}, {} bytes", bytes.len()),
        "http1-request",
        bytes,
    );
    fig.field(
        method.len() + 1,
        "method",
        format!("{method}, then a space"),
    );
    fig.field(
        target.len() + 1,
        "request-target",
        format!("{target}, then a space"),
    );
    fig.field(
        first_end - method.len() - target.len() - 2,
        "HTTP-version",
        format!("{version}, then CRLF"),
    );
    if lines.len() != m.headers.len() + 2 {
        return Err(format!(
            "{} header lines but the decoder found {} fields",
            lines.len() - 2,
            m.headers.len()
        ));
    }
    for (k, (name, value)) in m.headers.iter().enumerate() {
        let len = lines[k + 1] - lines[k];
        fig.field(len, format!("field line: {name}"), value.clone());
    }
    fig.field(2, "CRLF", "an empty line: the head ends here");
    if fig.covered() != m.head_len {
        return Err(format!(
            "the head's fields cover {} bytes, the decoder's head is {}",
            fig.covered(),
            m.head_len
        ));
    }
    if m.body_len > 0 {
        let how = match m.framing {
            http1::Framing::Length(n) => format!("{n} bytes, as content-length said"),
            _ => format!("{} bytes", m.body_len),
        };
        fig.field(m.body_len, "message body", how);
    }
    done(fig)
}

/// Offsets just past each CRLF in `head`.
fn line_ends(head: &[u8]) -> Vec<usize> {
    head.windows(2)
        .enumerate()
        .filter(|(_, w)| w == b"\r\n")
        .map(|(i, _)| i + 2)
        .collect()
}

/// An HTTP/2 DATA frame carrying gRPC messages: the 9-byte frame header,
/// then each message's compressed flag, 4-byte length and protobuf bytes.
pub fn grpc_data_frame(bytes: &[u8]) -> Result<ByteFigure, String> {
    let units = http2::parse(bytes).complete().map_err(|e| e.to_string())?;
    let f = one(units, bytes, "HTTP/2 frame")?;
    if f.kind != http2::FrameType::Data || f.has_flag(http2::flags::PADDED) {
        return Err(format!(
            "a {} frame, not an unpadded DATA frame",
            f.kind.name()
        ));
    }
    let mut fig = ByteFigure::new(
        format!(
            "HTTP/2 DATA frame with one gRPC message, {} bytes",
            bytes.len()
        ),
        "grpc-data-frame",
        bytes,
    );
    fig.field(
        3,
        "Length",
        format!("{}: payload bytes after the header", f.payload.len()),
    );
    fig.field(1, "Type", "0x0: DATA");
    let end = if f.ends_stream() {
        "END_STREAM set"
    } else {
        "END_STREAM not set"
    };
    fig.field(1, "Flags", format!("{:#04x}: {end}", f.flags));
    fig.field(
        4,
        "Stream Identifier (and R bit)",
        format!("stream {}", f.stream_id),
    );
    let mut p = f.payload.as_slice();
    while !p.is_empty() {
        if p.len() < 5 {
            return Err("a gRPC message prefix is cut by the frame's end".into());
        }
        let len = u32::from_be_bytes([p[1], p[2], p[3], p[4]]) as usize;
        if p.len() < 5 + len {
            return Err("a gRPC message continues past the frame's end".into());
        }
        let compressed = if p[0] == 0 {
            "0: not compressed"
        } else {
            "1: compressed"
        };
        fig.field(1, "Compressed-Flag (gRPC)", compressed);
        fig.field(4, "Message-Length (gRPC)", len.to_string());
        fig.field(len, "Message: protobuf", protobuf_summary(&p[5..5 + len]));
        p = &p[5 + len..];
    }
    done(fig)
}

/// The top-level fields of a protobuf message, e.g. `1: "order-0001", 2:
/// 1250`; strings and varints are decoded, other wire types named.
fn protobuf_summary(mut b: &[u8]) -> String {
    fn varint(b: &mut &[u8]) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = b.split_first()?;
            *b = rest;
            v |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    let mut parts = Vec::new();
    while !b.is_empty() {
        let Some(key) = varint(&mut b) else { break };
        let (field, wire) = (key >> 3, key & 7);
        let part = match wire {
            0 => varint(&mut b).map(|v| format!("{field}: {v}")),
            2 => varint(&mut b).and_then(|n| {
                let n = usize::try_from(n).ok().filter(|n| *n <= b.len())?;
                let (s, rest) = b.split_at(n);
                b = rest;
                Some(format!("{field}: {}", quoted_prefix(s, 24)))
            }),
            _ => None,
        };
        match part {
            Some(p) => parts.push(p),
            None => {
                parts.push(format!("{field}: (wire type {wire})"));
                break;
            }
        }
    }
    format!("fields {}", parts.join(", "))
}

/// One WebSocket frame: the FIN/opcode byte, the MASK/length byte, any
/// extended length, the masking key, the (masked) payload.
pub fn websocket_frame(bytes: &[u8]) -> Result<ByteFigure, String> {
    let units = websocket::Frames
        .decode(bytes)
        .complete()
        .map_err(|e| e.to_string())?;
    let f = one(units, bytes, "WebSocket frame")?;
    let who = if f.is_masked() { "client" } else { "server" };
    let mut fig = ByteFigure::new(
        format!(
            "WebSocket {} frame from the {who}, {} bytes",
            f.opcode.name().to_lowercase(),
            bytes.len()
        ),
        "websocket-frame",
        bytes,
    );
    fig.field(
        1,
        "FIN, RSV1–3, opcode",
        format!(
            "FIN {}, opcode {:#x}: {}",
            u8::from(f.fin),
            f.opcode.bits(),
            f.opcode.name().to_lowercase()
        ),
    );
    let short = bytes[1] & 0x7F;
    let ext = match short {
        126 => 2,
        127 => 8,
        _ => 0,
    };
    let len_says = match ext {
        0 => format!("length {short}"),
        n => format!("{short}: the length is in the next {n} bytes"),
    };
    fig.field(
        1,
        "MASK, payload length",
        format!("MASK {}, {len_says}", u8::from(f.is_masked())),
    );
    if ext > 0 {
        fig.field(ext, "extended payload length", f.payload.len().to_string());
    }
    if let Some(key) = f.mask {
        fig.field(4, "masking key", crate::report::hex(&key));
    }
    if fig.covered() != f.header_len {
        return Err(format!(
            "header fields cover {} bytes, the decoder's header is {}",
            fig.covered(),
            f.header_len
        ));
    }
    if !f.payload.is_empty() {
        let name = if f.is_masked() {
            "payload, masked"
        } else {
            "payload"
        };
        let text = quoted_prefix(&f.payload, 24);
        let value = if f.is_masked() {
            format!("unmasked: {text}")
        } else {
            text
        };
        fig.field(f.payload.len(), name, value);
    }
    done(fig)
}

/// One MQTT 3.1.1 PUBLISH: type and flags, Remaining Length, topic length
/// and name, the packet identifier (QoS 1 and 2), the payload.
pub fn mqtt_publish(bytes: &[u8]) -> Result<ByteFigure, String> {
    let units = mqtt::Packets::v311()
        .decode(bytes)
        .complete()
        .map_err(|e| e.to_string())?;
    let p = one(units, bytes, "MQTT packet")?;
    let (Some(topic), Some(qos)) = (&p.topic, p.qos()) else {
        return Err(format!("a {}, not a PUBLISH", p.kind.name()));
    };
    let mut fig = ByteFigure::new(
        format!("MQTT PUBLISH, QoS {qos}, {} bytes", bytes.len()),
        "mqtt-publish",
        bytes,
    );
    fig.field(
        1,
        "packet type, flags",
        format!(
            "3: PUBLISH; DUP {}, QoS {qos}, RETAIN {}",
            u8::from(p.dup()),
            u8::from(p.retain())
        ),
    );
    fig.field(
        p.fixed_header_len - 1,
        "Remaining Length",
        format!("{}: the bytes that follow", p.remaining_len),
    );
    fig.field(2, "topic name length", topic.len().to_string());
    fig.field(topic.len(), "topic name", topic.clone());
    if let Some(id) = p.packet_id {
        fig.field(2, "packet identifier", id.to_string());
    }
    if fig.covered() != p.header_len {
        return Err(format!(
            "header fields cover {} bytes, the decoder's header is {}",
            fig.covered(),
            p.header_len
        ));
    }
    if p.payload_len > 0 {
        let payload = &bytes[p.header_len..];
        fig.field(p.payload_len, "payload", quoted_prefix(payload, 24));
    }
    done(fig)
}

/// One AMQP 0-9-1 frame: type, channel, size, the payload (a method's class,
/// method and, for `basic.publish`, each argument), the frame-end octet.
pub fn amqp_frame(bytes: &[u8]) -> Result<ByteFigure, String> {
    let units = amqp::Frames
        .decode(bytes)
        .complete()
        .map_err(|e| e.to_string())?;
    let f = one(units, bytes, "AMQP frame")?;
    let mut fig = ByteFigure::new(
        format!("AMQP 0-9-1 frame: {}, {} bytes", f.label(), bytes.len()),
        "amqp-frame",
        bytes,
    );
    let kind = match f.kind {
        amqp::FrameKind::Method { .. } => "1: method",
        amqp::FrameKind::Header { .. } => "2: content header",
        amqp::FrameKind::Body => "3: content body",
        amqp::FrameKind::Heartbeat => "8: heartbeat",
        amqp::FrameKind::ProtocolHeader => return Err("the protocol header is not a frame".into()),
    };
    fig.field(1, "type", kind);
    fig.field(2, "channel", f.channel.to_string());
    fig.field(4, "size", format!("{}: payload bytes", f.payload_len));
    let payload = &bytes[7..7 + f.payload_len];
    match f.kind {
        amqp::FrameKind::Method { class, method } => {
            let name = f.label();
            let (class_name, method_name) = name.split_once('.').unwrap_or((&name, ""));
            fig.field(2, "class-id", format!("{class}: {class_name}"));
            fig.field(2, "method-id", format!("{method}: {method_name}"));
            if (class, method) == (60, 40) {
                basic_publish_args(&mut fig, &payload[4..])?;
            } else if payload.len() > 4 {
                fig.field(
                    payload.len() - 4,
                    "arguments",
                    format!("{} bytes", payload.len() - 4),
                );
            }
        }
        _ if !payload.is_empty() => {
            fig.field(payload.len(), "payload", format!("{} bytes", payload.len()));
        }
        _ => {}
    }
    fig.field(1, "frame-end", "0xce");
    done(fig)
}

/// `basic.publish`'s arguments: reserved-1 (short), exchange and routing key
/// (short strings: a length octet and the name), mandatory and immediate
/// (two bits of one octet).
fn basic_publish_args(fig: &mut ByteFigure, args: &[u8]) -> Result<(), String> {
    let short_str = |at: usize| -> Result<(usize, String), String> {
        let n = *args.get(at).ok_or("basic.publish arguments cut short")? as usize;
        let s = args
            .get(at + 1..at + 1 + n)
            .ok_or("basic.publish arguments cut short")?;
        Ok((n, String::from_utf8_lossy(s).into_owned()))
    };
    if args.len() < 2 {
        return Err("basic.publish arguments cut short".into());
    }
    fig.field(
        2,
        "reserved-1",
        u16::from_be_bytes([args[0], args[1]]).to_string(),
    );
    let mut at = 2;
    for name in ["exchange", "routing-key"] {
        let (n, s) = short_str(at)?;
        if n == 0 {
            fig.field(
                1,
                format!("{name} length"),
                "0: empty (the default exchange)",
            );
        } else {
            fig.field(1, format!("{name} length"), n.to_string());
            fig.field(n, name, s);
        }
        at += 1 + n;
    }
    let bits = *args.get(at).ok_or("basic.publish arguments cut short")?;
    fig.field(
        1,
        "mandatory, immediate",
        format!(
            "bits: mandatory {}, immediate {}",
            bits & 1,
            (bits >> 1) & 1
        ),
    );
    if at + 1 != args.len() {
        return Err(format!(
            "{} bytes after basic.publish's arguments",
            args.len() - at - 1
        ));
    }
    Ok(())
}

/// One TLS record: content type, legacy version, length, the fragment.
pub fn tls_record(bytes: &[u8]) -> Result<ByteFigure, String> {
    let units = tls::Records
        .decode(bytes)
        .complete()
        .map_err(|e| e.to_string())?;
    let r = one(units, bytes, "TLS record")?;
    let mut fig = ByteFigure::new(
        format!(
            "TLS record: {}, {} bytes",
            r.content_type_name(),
            bytes.len()
        ),
        "tls-record",
        bytes,
    );
    fig.field(
        1,
        "content type",
        format!("{}: {}", r.content_type, r.content_type_name()),
    );
    let version = match r.version {
        0x0303 => "0x0303: says TLS 1.2, as TLS 1.3 records must",
        0x0301 => "0x0301: TLS 1.0, allowed in a first ClientHello",
        _ => "legacy version",
    };
    fig.field(2, "legacy_record_version", version);
    fig.field(
        2,
        "length",
        format!("{}: bytes of fragment", r.fragment_len),
    );
    if r.fragment_len > 0 {
        let (name, value) = if r.content_type == 23 {
            (
                "encrypted_record",
                "ciphertext: the inner plaintext, its real content type (1 byte), then the authentication tag".to_string(),
            )
        } else {
            ("fragment", format!("{} bytes, in clear", r.fragment_len))
        };
        fig.field(r.fragment_len, name, value);
    }
    done(fig)
}
