//! The MQTT decoder, checked three ways: against the specification's own
//! numbers (the variable-length integer), against what Mosquitto's own
//! clients (`mosquitto_pub`, which we did not write) send to a real
//! Mosquitto through the proxy, and against Wireshark's MQTT dissector
//! (tshark) reading the same connections from a pcap file.

mod wire_support;

use std::process::Command;
use std::time::Duration;

use labkit::broker;
use labkit::wire::mqtt::{self, Kind, Packets};
use labkit::wire::{Decoder, Direction, Proxy, StopReason};

/// Runs a program we depend on, failing (never skipping) when it is missing.
fn run(program: &str, args: &[&str], install: &str) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}); install it with `{install}`"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Publishes one message with `mosquitto_pub` through a fresh proxy and
/// returns the proxy, once the connection has closed.
async fn publish_through_proxy(qos: u8, extra: &[&str]) -> (broker::Broker, Proxy) {
    let broker = broker::mosquitto().await.expect("an MQTT broker");
    let proxy = Proxy::start(broker.addr()).await.unwrap();
    let port = proxy.addr().port().to_string();
    let qos = qos.to_string();
    let mut args = vec![
        "-h",
        "127.0.0.1",
        "-p",
        &port,
        "-i",
        "decoder-test",
        "-t",
        "greenhouse/7/temperature",
        "-m",
        "21.5",
        "-q",
        &qos,
    ];
    args.extend_from_slice(extra);
    // On a blocking thread: the proxy runs on this test's runtime.
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run("mosquitto_pub", &args, "apt-get install mosquitto-clients")
    })
    .await
    .unwrap();
    assert!(proxy.wait_closed(Duration::from_secs(20)).await);
    (broker, proxy)
}

fn names(packets: &[mqtt::Packet]) -> Vec<&'static str> {
    packets.iter().map(|p| p.kind.name()).collect()
}

#[test]
fn the_remaining_length_uses_one_to_four_bytes() {
    for (n, len) in [
        (0, 1),
        (127, 1),
        (128, 2),
        (16_383, 2),
        (16_384, 3),
        (2_097_151, 3),
        (2_097_152, 4),
        (mqtt::MAX_REMAINING_LENGTH, 4),
    ] {
        let bytes = mqtt::encode_varint(n).unwrap();
        assert_eq!(bytes.len(), len, "{n}");
        assert_eq!(mqtt::read_varint(&bytes), Ok(Some((n, len))));
    }
    assert_eq!(mqtt::MAX_REMAINING_LENGTH, 268_435_455);
    assert_eq!(mqtt::encode_varint(mqtt::MAX_REMAINING_LENGTH + 1), None);
    assert!(mqtt::read_varint(&[0xff, 0xff, 0xff, 0xff, 0x01]).is_err());
    assert_eq!(
        mqtt::read_varint(&[0x80]),
        Ok(None),
        "ends inside the integer"
    );
}

#[tokio::test]
async fn each_qos_level_has_the_packets_the_spec_lists() {
    let want_to_server = [
        vec!["CONNECT", "PUBLISH", "DISCONNECT"],
        vec!["CONNECT", "PUBLISH", "DISCONNECT"],
        vec!["CONNECT", "PUBLISH", "PUBREL", "DISCONNECT"],
    ];
    let want_to_client = [
        vec!["CONNACK"],
        vec!["CONNACK", "PUBACK"],
        vec!["CONNACK", "PUBREC", "PUBCOMP"],
    ];
    for qos in 0..=2u8 {
        let (_broker, proxy) = publish_through_proxy(qos, &[]).await;
        let conn = &proxy.recording()[0];
        let up = Packets::auto()
            .decode_conn(conn, Direction::ToServer)
            .complete()
            .unwrap();
        let down = Packets::auto()
            .decode_conn(conn, Direction::ToClient)
            .complete()
            .unwrap();
        assert_eq!(names(&up), want_to_server[qos as usize], "QoS {qos}");
        assert_eq!(names(&down), want_to_client[qos as usize], "QoS {qos}");

        assert_eq!(up[0].client_id.as_deref(), Some("decoder-test"));
        assert_eq!(up[0].protocol_level, Some(4));
        let publish = &up[1];
        assert_eq!(publish.qos(), Some(qos));
        assert_eq!(publish.topic.as_deref(), Some("greenhouse/7/temperature"));
        assert_eq!(publish.payload_len, 4, "\"21.5\"");
        assert_eq!(
            publish.header_len,
            mqtt::publish_header_len("greenhouse/7/temperature", 4, qos, false)
        );
        // The acknowledgements name the PUBLISH they answer.
        for ack in up.iter().chain(&down).filter(|p| p.packet_id.is_some()) {
            assert_eq!(ack.packet_id, publish.packet_id, "{}", ack.kind.name());
        }
    }
}

#[tokio::test]
async fn an_mqtt5_publish_carries_a_properties_length() {
    let (_broker, proxy) = publish_through_proxy(1, &["-V", "mqttv5"]).await;
    let conn = &proxy.recording()[0];
    let up = Packets::auto()
        .decode_conn(conn, Direction::ToServer)
        .complete()
        .unwrap();
    assert_eq!(up[0].protocol_level, Some(5));
    let publish = up.iter().find(|p| p.kind == Kind::Publish).unwrap();
    assert_eq!(publish.payload_len, 4);
    assert_eq!(
        publish.header_len,
        mqtt::publish_header_len("greenhouse/7/temperature", 4, 1, true),
        "one more byte than MQTT 3.1.1: the empty properties block"
    );
}

#[tokio::test]
async fn tshark_reads_the_same_packets_we_do() {
    let (_broker, proxy) = publish_through_proxy(2, &["-r"]).await;
    let conn = &proxy.recording()[0];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mqtt.pcap");
    proxy.write_pcap(&file).unwrap();

    // Ours, in the order the proxy read them across both directions: each
    // packet is placed at the chunk in which its first byte arrived.
    let mut ours: Vec<(usize, usize, u8)> = Vec::new();
    for dir in Direction::BOTH {
        let packets = Packets::auto().decode_conn(conn, dir).complete().unwrap();
        let mut chunk_starts = Vec::new(); // (index in conn.chunks, offset in the stream)
        let mut at = 0usize;
        for (i, c) in conn.chunks.iter().enumerate().filter(|(_, c)| c.dir == dir) {
            chunk_starts.push((i, at));
            at += c.bytes.len();
        }
        for p in packets {
            let (chunk, _) = chunk_starts
                .iter()
                .rev()
                .find(|(_, start)| *start <= p.offset)
                .unwrap();
            ours.push((*chunk, p.offset, p.kind.code()));
        }
    }
    ours.sort();
    let ours: Vec<String> = ours.iter().map(|(_, _, c)| c.to_string()).collect();

    let port = format!("tcp.port=={},mqtt", proxy.upstream().port());
    let theirs: Vec<String> = run(
        "tshark",
        &[
            "-r",
            &file.to_string_lossy(),
            "-d",
            &port,
            "-T",
            "fields",
            "-e",
            "mqtt.msgtype",
        ],
        "apt-get install tshark",
    )
    .lines()
    .flat_map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
    .filter(|s| !s.is_empty())
    .collect();
    assert_eq!(
        ours, theirs,
        "message types, in order (1 CONNECT .. 14 DISCONNECT)"
    );

    let retain = run(
        "tshark",
        &[
            "-r",
            &file.to_string_lossy(),
            "-d",
            &port,
            "-Y",
            "mqtt.msgtype==3",
            "-T",
            "fields",
            "-e",
            "mqtt.retain",
            "-e",
            "mqtt.topic",
        ],
        "apt-get install tshark",
    );
    assert!(
        retain.starts_with("1\tgreenhouse/7/temperature") || retain.starts_with("True\t"),
        "{retain}"
    );
}

#[test]
fn what_is_not_mqtt_stops_the_decoder_with_a_reason() {
    let invalid = |bytes: &[u8]| match Packets::v311().decode(bytes).stop {
        Some(s) => matches!(s.reason, StopReason::Invalid(_)),
        None => false,
    };
    assert!(invalid(&[0x00, 0x00]), "type 0 is reserved");
    assert!(invalid(&[0x36, 0x00]), "QoS 3");
    assert!(
        !invalid(&[0x62, 0x02, 0, 1]),
        "PUBREL with flags 0010 is fine"
    );
    assert!(invalid(&[0x60, 0x02, 0, 1]), "PUBREL must have flags 0010");
    assert!(
        invalid(&[0x30, 0xff, 0xff, 0xff, 0xff, 0x01]),
        "five length bytes"
    );
    assert!(
        invalid(&[0x30, 0x02, 0x00, 0x09]),
        "topic longer than the packet"
    );
    // Cut short: every complete packet before the cut is kept.
    let stream = [0xc0, 0x00, 0x30, 0x05, 0x00, 0x01, b'a'];
    let decoded = Packets::v311().decode(&stream);
    assert_eq!(decoded.units.len(), 1);
    assert_eq!(decoded.units[0].kind, Kind::Pingreq);
    let stop = decoded.stop.unwrap();
    assert_eq!((stop.offset, stop.reason), (2, StopReason::Incomplete));
    // Every prefix of a valid stream decodes without panicking.
    let full = [
        0x10, 0x0c, 0, 4, b'M', b'Q', b'T', b'T', 4, 2, 0, 60, 0, 0, 0x30, 3, 0, 1, b'x',
    ];
    for n in 0..=full.len() {
        let d = Packets::auto().decode(&full[..n]);
        assert_eq!(
            d.stop.is_none(),
            n == 0 || n == 14 || n == full.len(),
            "{n}"
        );
    }
}

#[test]
fn every_cut_of_a_stream_stops_cleanly() {
    // PUBLISH QoS 0 "a/b" "21.5"; PUBLISH QoS 1 with a 200-byte payload
    // (a two-byte remaining length); PINGREQ.
    let mut stream = vec![0x30, 9, 0, 3, b'a', b'/', b'b', b'2', b'1', b'.', b'5'];
    stream.push(0x32);
    stream.extend(mqtt::encode_varint(2 + 3 + 2 + 200).unwrap());
    stream.extend([0, 3, b'a', b'/', b'b', 0, 1]);
    stream.extend([b'x'; 200]);
    stream.extend([0xc0, 0]);
    wire_support::assert_every_cut_stops_cleanly(&Packets::v311(), &stream);
}
