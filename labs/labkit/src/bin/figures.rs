//! `figures`: draws the book's byte-layout figures from the labs' own traffic.
//!
//! Run with `.ci/figures`, which runs each lab scenario that sends one of the
//! units below with `--pcap DIR` (so every labkit proxy saves what it saw),
//! then runs `cargo run -p labkit --bin figures -- DIR book`. This program
//! reads those capture files back, finds one unit of each kind in the
//! direction it was sent, cuts it into fields with
//! [`labkit::wire::fields`] and writes the SVG next to the chapter that
//! shows it. Nothing here is typed by hand: the bytes are the lab's, the
//! field lengths the decoder's. `labs/labkit/tests/byte_figures.rs` reads
//! each figure back and checks it against the decoder again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use labkit::wire::decode::{Decoder, Unit};
use labkit::wire::{amqp, fields, http1, http2, mqtt, tls, websocket};

/// One figure: where its capture is, which unit to draw, where it goes.
struct Spec {
    /// Capture files `<lab>/<scenario>-<n>.pcap` under the capture folder.
    lab: &'static str,
    scenario: &'static str,
    /// The unit tag [`fields::figure`] knows.
    unit: &'static str,
    /// Finds the unit in what one client sent: its bytes, if there.
    pick: fn(&[u8]) -> Option<Vec<u8>>,
    /// Under the book folder.
    out: &'static str,
}

const SPECS: &[Spec] = &[
    Spec {
        lab: "rest",
        scenario: "bytes",
        unit: "http1-request",
        pick: pick_http1_get,
        out: "01-rest/request-fields.svg",
    },
    Spec {
        lab: "grpc",
        scenario: "wire",
        unit: "grpc-data-frame",
        pick: pick_grpc_data,
        out: "02-grpc/data-frame-fields.svg",
    },
    Spec {
        lab: "realtime",
        scenario: "frames",
        unit: "websocket-frame",
        pick: pick_websocket_text,
        out: "03-realtime/frame-fields.svg",
    },
    Spec {
        lab: "mqtt",
        scenario: "bytes",
        unit: "mqtt-publish",
        pick: pick_mqtt_publish,
        out: "04-mqtt/publish-fields.svg",
    },
    Spec {
        lab: "mqtt",
        scenario: "tls",
        unit: "tls-record",
        pick: pick_tls_record,
        out: "04-mqtt/tls-record-fields.svg",
    },
    Spec {
        lab: "amqp",
        scenario: "frames",
        unit: "amqp-frame",
        pick: pick_amqp_publish,
        out: "05-amqp/publish-frame-fields.svg",
    },
];

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [captures, book] = args.as_slice() else {
        bail!("usage: figures CAPTURE_DIR BOOK_DIR (see .ci/figures, which makes the captures)");
    };
    let (captures, book) = (Path::new(captures), Path::new(book));
    for spec in SPECS {
        let bytes = find(captures, spec)?;
        let fig = fields::figure(spec.unit, &bytes)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("laying out the {} from {}", spec.unit, spec.lab))?;
        let path = book.join(spec.out);
        let svg = fig.to_svg();
        std::fs::write(&path, &svg).with_context(|| format!("writing {}", path.display()))?;
        println!(
            "{}: {} ({} bytes, {} fields, {} bytes of SVG)",
            path.display(),
            fig.title,
            fig.bytes.len(),
            fig.fields.len(),
            svg.len()
        );
    }
    Ok(())
}

/// The first unit `spec.pick` finds in what a client sent, over the
/// scenario's capture files in order.
fn find(captures: &Path, spec: &Spec) -> anyhow::Result<Vec<u8>> {
    let dir = captures.join(spec.lab);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {} (did .ci/figures run the lab?)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&format!("{}-", spec.scenario)) && n.ends_with(".pcap")
            })
        })
        .collect();
    files.sort();
    for file in &files {
        let raw = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        for to_server in
            client_streams(&raw).with_context(|| format!("reading {}", file.display()))?
        {
            if let Some(unit) = (spec.pick)(&to_server) {
                return Ok(unit);
            }
        }
    }
    bail!(
        "no {} in the {} capture files of {}/{}",
        spec.unit,
        files.len(),
        spec.lab,
        spec.scenario
    )
}

/// What each client sent, one byte stream per TCP connection, in the order
/// the connections opened. Reads the classic pcap files labkit's proxy
/// writes: Ethernet, IPv4, TCP, the client being whoever sent the SYN.
fn client_streams(raw: &[u8]) -> anyhow::Result<Vec<Vec<u8>>> {
    if raw.len() < 24 || raw[..4] != 0xa1b2_c3d4u32.to_le_bytes() {
        bail!("not a little-endian classic pcap file");
    }
    type End = ([u8; 4], u16);
    let mut order: Vec<End> = Vec::new();
    let mut streams: BTreeMap<End, Vec<u8>> = BTreeMap::new();
    let mut at = 24;
    while at + 16 <= raw.len() {
        let caplen = u32::from_le_bytes(raw[at + 8..at + 12].try_into()?) as usize;
        let frame = raw
            .get(at + 16..at + 16 + caplen)
            .context("a packet is cut short")?;
        at += 16 + caplen;
        let ip = frame.get(14..).context("short Ethernet frame")?;
        if ip.first().map(|b| b >> 4) != Some(4) || ip.get(9) != Some(&6) {
            continue;
        }
        let ihl = usize::from(ip[0] & 0x0F) * 4;
        let total = usize::from(u16::from_be_bytes([ip[2], ip[3]]));
        let tcp = ip.get(ihl..total).context("short IPv4 packet")?;
        let src: End = (ip[12..16].try_into()?, u16::from_be_bytes([tcp[0], tcp[1]]));
        let offset = usize::from(tcp[12] >> 4) * 4;
        let flags = tcp[13];
        let (syn, ack) = (flags & 0x02 != 0, flags & 0x10 != 0);
        if syn && !ack {
            order.push(src);
            streams.insert(src, Vec::new());
        }
        if let Some(s) = streams.get_mut(&src) {
            s.extend_from_slice(tcp.get(offset..).context("short TCP segment")?);
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|k| streams.remove(&k))
        .collect())
}

/// The `GET` the `bytes` scenario sends after its `POST`.
fn pick_http1_get(stream: &[u8]) -> Option<Vec<u8>> {
    let m = http1::parse_requests(stream)
        .units
        .into_iter()
        .find(|m| m.method() == Some("GET"))?;
    Some(stream[m.offset..m.offset + m.wire_len()].to_vec())
}

/// The first DATA frame that carries a gRPC message.
fn pick_grpc_data(stream: &[u8]) -> Option<Vec<u8>> {
    let f = http2::parse(stream)
        .units
        .into_iter()
        .find(|f| f.kind == http2::FrameType::Data && !f.payload.is_empty())?;
    Some(stream[f.offset..f.offset + f.wire_len()].to_vec())
}

/// The first text frame with a 16-bit extended length (126 to 65,535
/// bytes): the `frames` scenario's 1,000-byte message.
fn pick_websocket_text(stream: &[u8]) -> Option<Vec<u8>> {
    let start = match http1::parse_requests(stream).stop {
        Some(stop) if matches!(stop.reason, labkit::wire::StopReason::Handover(_)) => stop.offset,
        _ => return None,
    };
    let mut at = start;
    for f in websocket::Frames.decode(&stream[start..]).units {
        let len = f.wire_len();
        if f.opcode == websocket::Opcode::Text && (126..65_536).contains(&f.payload.len()) {
            return Some(stream[at..at + len].to_vec());
        }
        at += len;
    }
    None
}

/// The first QoS 1 PUBLISH.
fn pick_mqtt_publish(stream: &[u8]) -> Option<Vec<u8>> {
    let p = mqtt::Packets::v311()
        .decode(stream)
        .units
        .into_iter()
        .find(|p| p.qos() == Some(1))?;
    Some(stream[p.offset..p.offset + p.len()].to_vec())
}

/// On a TLS connection, the application_data record size the client sent
/// most often (the readings), and the first record of that size.
fn pick_tls_record(stream: &[u8]) -> Option<Vec<u8>> {
    let records: Vec<_> = tls::Records
        .decode(stream)
        .units
        .into_iter()
        .filter(|r| r.content_type == 23)
        .collect();
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for r in &records {
        *counts.entry(r.fragment_len).or_default() += 1;
    }
    let (&len, &n) = counts.iter().max_by_key(|&(_, n)| *n)?;
    if n < 2 {
        return None;
    }
    let r = records.iter().find(|r| r.fragment_len == len)?;
    Some(stream[r.offset..r.offset + r.wire_len()].to_vec())
}

/// The first `basic.publish` method frame.
fn pick_amqp_publish(stream: &[u8]) -> Option<Vec<u8>> {
    let mut at = 0;
    for f in amqp::Frames.decode(stream).units {
        let len = f.wire_len();
        if f.label() == "basic.publish" {
            return Some(stream[at..at + len].to_vec());
        }
        at += len;
    }
    None
}
