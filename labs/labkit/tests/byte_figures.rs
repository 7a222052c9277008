//! The book's byte-layout figures still say what the decoders say.
//!
//! Each figure (written by `.ci/figures` from the labs' own captures) carries
//! its bytes and its fields as data attributes. One test per figure reads
//! them back and checks that the fields cover the unit exactly (no gap, no
//! overlap, nothing left over), that the decoder, run again on the same
//! bytes, cuts them into the same fields with the same values, and that no
//! text in it is smaller than 13px. A figure edited by hand, or a decoder
//! changed without redrawing the figures, fails here.

use std::path::PathBuf;

use labkit::report::{ByteFigure, Field, unhex};
use labkit::wire::{Decoder, Unit, fields, tls};

fn book() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../book")
}

/// The figure at `path` (under `book/`), read back from its SVG.
fn read_back(path: &str) -> ByteFigure {
    let file = book().join(path);
    let svg = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (run .ci/figures)", file.display()));
    let doc = roxmltree::Document::parse(&svg).expect("the figure is well-formed XML");
    let root = doc.root_element();
    let bytes = unhex(root.attribute("data-bytes").expect("data-bytes")).expect("hex bytes");
    let mut fig = ByteFigure::new(
        root.descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap_or_default(),
        root.attribute("data-unit").expect("data-unit"),
        bytes,
    );
    for g in root
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("field"))
    {
        let num = |a: &str| g.attribute(a).and_then(|v| v.parse().ok()).expect(a);
        fig.fields.push(Field::new(
            num("data-start"),
            num("data-len"),
            g.attribute("data-name").expect("data-name"),
            g.attribute("data-value").expect("data-value"),
        ));
    }
    for n in root.descendants() {
        if let Some(size) = n.attribute("font-size") {
            let size: f64 = size.parse().expect("a numeric font size");
            assert!(
                size >= 13.0,
                "{path}: text at {size}px is too small for a phone"
            );
        }
    }
    fig
}

/// Reads the figure back and checks it against the decoder; returns it for
/// the unit's own checks.
fn check_figure(path: &str, unit: &str) -> ByteFigure {
    let drawn = read_back(path);
    assert_eq!(drawn.unit, unit, "{path} draws a different unit");
    drawn
        .check()
        .unwrap_or_else(|e| panic!("{path}: the fields do not cover the unit: {e}"));
    let decoded = fields::figure(unit, &drawn.bytes)
        .unwrap_or_else(|e| panic!("{path}: the decoder refuses the figure's bytes: {e}"));
    assert_eq!(drawn.title, decoded.title, "{path}: title");
    assert_eq!(
        drawn.fields, decoded.fields,
        "{path}: the figure's fields are not the decoder's"
    );
    drawn
}

fn field<'a>(fig: &'a ByteFigure, name: &str) -> &'a Field {
    fig.fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field `{name}` in {:?}", fig.fields))
}

#[test]
fn http1_request_figure() {
    let fig = check_figure("01-rest/request-fields.svg", "http1-request");
    assert!(fig.bytes.starts_with(b"GET "));
    assert!(fig.bytes.ends_with(b"\r\n\r\n"), "a GET has no body");
    assert_eq!(field(&fig, "method").len, 4);
}

#[test]
fn grpc_data_frame_figure() {
    let fig = check_figure("02-grpc/data-frame-fields.svg", "grpc-data-frame");
    // 9 bytes of HTTP/2 frame header, 5 of gRPC prefix, then the message.
    let lens: Vec<usize> = fig.fields.iter().map(|f| f.len).collect();
    assert_eq!(lens[..6], [3, 1, 1, 4, 1, 4]);
    let message = field(&fig, "Message: protobuf").len;
    assert_eq!(fig.bytes.len(), 9 + 5 + message);
}

#[test]
fn websocket_frame_figure() {
    let fig = check_figure("03-realtime/frame-fields.svg", "websocket-frame");
    let frame = &labkit::wire::websocket::Frames
        .decode(&fig.bytes)
        .complete()
        .unwrap()[0];
    assert!(frame.is_masked(), "the figure shows a client's frame");
    // 2 bytes, 2 of extended length, 4 of masking key.
    assert_eq!(frame.header_len, 8);
    assert_eq!(field(&fig, "masking key").len, 4);
    assert_eq!(field(&fig, "payload, masked").len, frame.payload.len());
}

#[test]
fn mqtt_publish_figure() {
    let fig = check_figure("04-mqtt/publish-fields.svg", "mqtt-publish");
    assert_eq!(fig.bytes[0] >> 4, 3, "a PUBLISH");
    let topic = field(&fig, "topic name");
    assert_eq!(topic.value, "greenhouse/7/readings");
    assert_eq!(
        field(&fig, "payload").len,
        93,
        "Chapter 1's 93-byte reading"
    );
}

#[test]
fn tls_record_figure() {
    let fig = check_figure("04-mqtt/tls-record-fields.svg", "tls-record");
    let record = &tls::Records.decode(&fig.bytes).complete().unwrap()[0];
    assert_eq!(record.content_type_name(), "application_data");
    assert_eq!(record.header_len(), 5);
    assert_eq!(field(&fig, "encrypted_record").len, record.body_len());
}

#[test]
fn amqp_frame_figure() {
    let fig = check_figure("05-amqp/publish-frame-fields.svg", "amqp-frame");
    assert_eq!(field(&fig, "class-id").value, "60: basic");
    assert_eq!(field(&fig, "method-id").value, "40: publish");
    assert_eq!(fig.bytes.last(), Some(&0xCE), "the frame-end octet");
}

/// The coverage check itself: it finds a gap, an overlap, an empty field
/// and bytes left over.
#[test]
fn coverage_check_refuses_gaps_overlaps_and_leftovers() {
    let fig = |fields: &[(usize, usize)]| ByteFigure {
        title: "t".into(),
        unit: "u".into(),
        bytes: vec![0; 6],
        fields: fields
            .iter()
            .map(|&(s, l)| Field::new(s, l, "f", ""))
            .collect(),
    };
    assert!(fig(&[(0, 2), (2, 4)]).check().is_ok());
    assert!(
        fig(&[(0, 2), (3, 3)])
            .check()
            .unwrap_err()
            .contains("a gap")
    );
    assert!(
        fig(&[(0, 3), (2, 4)])
            .check()
            .unwrap_err()
            .contains("an overlap")
    );
    assert!(
        fig(&[(0, 2), (2, 0), (2, 4)])
            .check()
            .unwrap_err()
            .contains("empty")
    );
    assert!(
        fig(&[(0, 2), (2, 3)])
            .check()
            .unwrap_err()
            .contains("cover 5")
    );
}

/// A layout is for exactly one unit: a byte more, or a byte less, is refused.
#[test]
fn layouts_refuse_anything_but_one_whole_unit() {
    let fig = read_back("04-mqtt/publish-fields.svg");
    let mut longer = fig.bytes.clone();
    longer.push(0xC0);
    assert!(fields::mqtt_publish(&longer).is_err());
    assert!(fields::mqtt_publish(&fig.bytes[..fig.bytes.len() - 1]).is_err());
    let heartbeat = [8, 0, 0, 0, 0, 0, 0, 0xCE];
    let hb = fields::amqp_frame(&heartbeat).unwrap();
    assert_eq!(hb.fields.len(), 4, "type, channel, size, frame-end");
}
