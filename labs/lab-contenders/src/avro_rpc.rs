//! Avro's own RPC call over HTTP, as the specification's "Protocol Wire
//! Format" lays it out, so the `compare` scenario can send the charge in
//! Avro the way an Avro RPC client would.
//!
//! HTTP is Avro's stateless transport: every request is a POST with
//! `Content-Type: avro/binary` to one URL, and every request and response
//! starts with a handshake. Here the client already knows the server's
//! protocol hash, so each handshake is the short one (`match = BOTH`): two
//! 16-byte MD5 hashes and two nulls going out, four one-byte fields coming
//! back. The message itself is framed as buffers, each a 4-byte big-endian
//! length and its bytes, ending with an empty buffer.
//!
//! The `apache-avro` crate encodes and decodes the records but has no RPC
//! layer, so the handshake, framing and call format are written here, in
//! about a hundred lines. A production service would use an Avro RPC
//! library (Java's `avro-ipc`, for one) that also handles the long
//! handshake, where a client sends its whole protocol text.

use std::sync::Arc;

use apache_avro::Schema;
use apache_avro::reader::datum::GenericDatumReader;
use apache_avro::types::Value;
use apache_avro::writer::datum::GenericDatumWriter;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;

use crate::ledger::Ledger;

pub use crate::http_server::RunningServer;

/// The URL path every message of the protocol is posted to.
pub const PATH: &str = "/avro";

/// The Payments protocol: one message, `charge`, answered by the `Charge`
/// record of `schema/charge-v1.avsc`.
pub const PROTOCOL: &str = r#"{"protocol":"Payments","namespace":"payments","types":[{"type":"record","name":"Charge","fields":[{"type":"string","name":"charge_id"},{"type":"long","name":"amount_cents"},{"type":"string","name":"currency"}]}],"messages":{"charge":{"request":[{"name":"amount_cents","type":"long"},{"name":"currency","type":"string"}],"response":"Charge"}}}"#;

/// MD5 of [`PROTOCOL`]'s text, as `md5sum` computes it; client and server
/// share the protocol here, so both send and expect this hash.
pub const PROTOCOL_MD5: [u8; 16] = [
    0x6d, 0xac, 0x82, 0x2e, 0x92, 0xd0, 0xf3, 0x03, 0x3d, 0x79, 0x38, 0x42, 0x53, 0xa5, 0x0c, 0x1e,
];

// ANCHOR: handshake
/// The handshake records, copied from the specification.
const HANDSHAKE_REQUEST: &str = r#"{"type":"record","name":"HandshakeRequest",
 "namespace":"org.apache.avro.ipc","fields":[
 {"name":"clientHash","type":{"type":"fixed","name":"MD5","size":16}},
 {"name":"clientProtocol","type":["null","string"]},
 {"name":"serverHash","type":"MD5"},
 {"name":"meta","type":["null",{"type":"map","values":"bytes"}]}]}"#;
const HANDSHAKE_RESPONSE: &str = r#"{"type":"record","name":"HandshakeResponse",
 "namespace":"org.apache.avro.ipc","fields":[
 {"name":"match","type":{"type":"enum","name":"HandshakeMatch","symbols":["BOTH","CLIENT","NONE"]}},
 {"name":"serverProtocol","type":["null","string"]},
 {"name":"serverHash","type":["null",{"type":"fixed","name":"MD5","size":16}]},
 {"name":"meta","type":["null",{"type":"map","values":"bytes"}]}]}"#;
// ANCHOR_END: handshake

/// The `charge` message's parameters, read like an anonymous record.
const PARAMS: &str = r#"{"type":"record","name":"charge","fields":[
 {"name":"amount_cents","type":"long"},{"name":"currency","type":"string"}]}"#;
const METADATA: &str = r#"{"type":"map","values":"bytes"}"#;

fn schema(text: &str) -> anyhow::Result<Schema> {
    Ok(Schema::parse_str(text)?)
}

fn write(schema_text: &str, value: Value) -> anyhow::Result<Vec<u8>> {
    Ok(GenericDatumWriter::builder(&schema(schema_text)?)
        .build()?
        .write_value_to_vec(value)?)
}

fn read(schema_text: &str, input: &mut &[u8]) -> anyhow::Result<Value> {
    Ok(GenericDatumReader::builder(&schema(schema_text)?)
        .build()?
        .read_value(input)?)
}

fn null() -> Value {
    Value::Union(0, Box::new(Value::Null))
}

/// `message` as one buffer and the empty buffer that ends it.
pub fn frame(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 8);
    out.extend_from_slice(&(message.len() as u32).to_be_bytes());
    out.extend_from_slice(message);
    out.extend_from_slice(&0u32.to_be_bytes());
    out
}

/// The buffers of a framed message, joined.
pub fn unframe(mut framed: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let Some((len, rest)) = framed.split_first_chunk::<4>() else {
            anyhow::bail!("an Avro message must end with an empty buffer");
        };
        let len = u32::from_be_bytes(*len) as usize;
        if len == 0 {
            return Ok(out);
        }
        anyhow::ensure!(rest.len() >= len, "an Avro buffer is cut short");
        out.extend_from_slice(&rest[..len]);
        framed = &rest[len..];
    }
}

// ANCHOR: request
/// The body of one `charge` call: handshake, empty metadata, the message
/// name, the parameters, framed.
pub fn request(amount_cents: i64, currency: &str) -> anyhow::Result<Vec<u8>> {
    let mut message = write(
        HANDSHAKE_REQUEST,
        Value::Record(vec![
            ("clientHash".into(), Value::Fixed(16, PROTOCOL_MD5.to_vec())),
            ("clientProtocol".into(), null()),
            ("serverHash".into(), Value::Fixed(16, PROTOCOL_MD5.to_vec())),
            ("meta".into(), null()),
        ]),
    )?;
    message.extend(write(METADATA, Value::Map(Default::default()))?);
    message.extend(write(r#""string""#, Value::String("charge".into()))?);
    message.extend(write(
        PARAMS,
        Value::Record(vec![
            ("amount_cents".into(), Value::Long(amount_cents)),
            ("currency".into(), Value::String(currency.into())),
        ]),
    )?);
    Ok(frame(&message))
}
// ANCHOR_END: request

/// What the server answers one framed request with (also framed).
pub fn respond(ledger: &Ledger, body: &[u8]) -> anyhow::Result<Vec<u8>> {
    let message = unframe(body)?;
    let mut input = &message[..];
    let handshake = read(HANDSHAKE_REQUEST, &mut input)?;
    let known = |field: &str| match &handshake {
        Value::Record(fields) => fields
            .iter()
            .any(|(n, v)| n == field && *v == Value::Fixed(16, PROTOCOL_MD5.to_vec())),
        _ => false,
    };
    let matched = known("clientHash") && known("serverHash");
    let mut out = write(
        HANDSHAKE_RESPONSE,
        Value::Record(if matched {
            vec![
                ("match".into(), Value::Enum(0, "BOTH".into())),
                ("serverProtocol".into(), null()),
                ("serverHash".into(), null()),
                ("meta".into(), null()),
            ]
        } else {
            // An unknown client: the server says who it is, and the client
            // must send again with its protocol text (not done here).
            vec![
                ("match".into(), Value::Enum(2, "NONE".into())),
                (
                    "serverProtocol".into(),
                    Value::Union(1, Box::new(Value::String(PROTOCOL.into()))),
                ),
                (
                    "serverHash".into(),
                    Value::Union(1, Box::new(Value::Fixed(16, PROTOCOL_MD5.to_vec()))),
                ),
                ("meta".into(), null()),
            ]
        }),
    )?;
    if !matched {
        return Ok(frame(&out));
    }
    read(METADATA, &mut input)?;
    let name = read(r#""string""#, &mut input)?;
    anyhow::ensure!(
        name == Value::String("charge".into()),
        "no message {name:?}"
    );
    let params = read(PARAMS, &mut input)?;
    let field = |n: &str| match &params {
        Value::Record(fields) => fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()),
        _ => None,
    };
    let asked = domain::ChargeRequest {
        amount_cents: match field("amount_cents") {
            Some(Value::Long(n)) => n,
            _ => 0,
        },
        currency: match field("currency") {
            Some(Value::String(s)) => s,
            _ => String::new(),
        },
    };
    out.extend(write(METADATA, Value::Map(Default::default()))?);
    match ledger.charge(&asked) {
        Ok(c) => {
            out.extend(write(r#""boolean""#, Value::Boolean(false))?);
            out.extend(write(
                crate::avro::V1,
                Value::Record(vec![
                    ("charge_id".into(), Value::String(c.charge_id)),
                    ("amount_cents".into(), Value::Long(c.amount_cents)),
                    ("currency".into(), Value::String(c.currency)),
                ]),
            )?);
        }
        Err(refusal) => {
            // The effective error union is ["string"]: a system error.
            out.extend(write(r#""boolean""#, Value::Boolean(true))?);
            out.extend(write(
                r#"["string"]"#,
                Value::Union(0, Box::new(Value::String(refusal.to_string()))),
            )?);
        }
    }
    Ok(frame(&out))
}

/// Reads a framed response: the `Charge` record, or why there is none.
pub fn read_response(body: &[u8]) -> anyhow::Result<Value> {
    let message = unframe(body)?;
    let mut input = &message[..];
    let handshake = read(HANDSHAKE_RESPONSE, &mut input)?;
    let matched = matches!(&handshake, Value::Record(f)
        if f.first().is_some_and(|(_, m)| *m == Value::Enum(0, "BOTH".into())));
    anyhow::ensure!(
        matched,
        "the Avro server did not know this client's protocol"
    );
    read(METADATA, &mut input)?;
    match read(r#""boolean""#, &mut input)? {
        Value::Boolean(false) => read(crate::avro::V1, &mut input),
        _ => anyhow::bail!(
            "the Avro server answered an error: {:?}",
            read(r#"["string"]"#, &mut input)?
        ),
    }
}

/// The route: `POST /avro` with an `avro/binary` body.
pub fn app(ledger: Arc<Ledger>) -> axum::Router {
    axum::Router::new().route(
        PATH,
        axum::routing::post(move |body: Bytes| async move {
            match respond(&ledger, &body) {
                Ok(answer) => ([(header::CONTENT_TYPE, "avro/binary")], answer).into_response(),
                Err(e) => (axum::http::StatusCode::BAD_REQUEST, e.to_string()).into_response(),
            }
        }),
    )
}

/// Starts the server on a free port of 127.0.0.1.
pub async fn spawn() -> anyhow::Result<RunningServer> {
    let ledger = Arc::new(Ledger::new());
    crate::http_server::serve(app(ledger.clone()), ledger).await
}
