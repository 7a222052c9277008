//! `labkit::wire::tls` cuts a TLS connection into records: hand-made records
//! from RFC 8446 §5.1, every cut of a stream, and agreement with Wireshark's
//! TLS dissector (tshark) on a real TLS 1.3 connection between OpenSSL's own
//! client and server, which we did not write.

mod wire_support;

use std::process::Stdio;
use std::time::Duration;

use labkit::wire::{Decoder, Direction, Proxy, StopReason, Unit, tls, tshark};
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

fn record(content_type: u8, fragment: &[u8]) -> Vec<u8> {
    let mut r = vec![content_type, 3, 3];
    r.extend_from_slice(&(fragment.len() as u16).to_be_bytes());
    r.extend_from_slice(fragment);
    r
}

#[test]
fn records_are_five_bytes_of_header_and_the_fragment() {
    let mut stream = record(22, &[1; 40]);
    stream.extend(record(20, &[1]));
    stream.extend(record(23, &[0xAA; 137]));
    let records = tls::Records.decode(&stream).complete().unwrap();
    let seen: Vec<_> = records
        .iter()
        .map(|r| (r.name(), r.header_len(), r.body_len(), r.offset))
        .collect();
    assert_eq!(
        seen,
        [
            ("handshake".to_string(), 5, 40, 0),
            ("change_cipher_spec".to_string(), 5, 1, 45),
            ("application_data".to_string(), 5, 137, 51),
        ]
    );
}

#[test]
fn foreign_bytes_and_oversized_records_are_invalid_not_a_panic() {
    let http = b"GET / HTTP/1.1\r\n\r\n";
    let stop = tls::Records.decode(http).stop.unwrap();
    assert!(matches!(stop.reason, StopReason::Invalid(_)), "{stop:?}");
    let huge = [23, 3, 3, 0xFF, 0xFF];
    let stop = tls::Records.decode(&huge).stop.unwrap();
    assert!(matches!(stop.reason, StopReason::Invalid(_)), "{stop:?}");
}

#[test]
fn every_cut_of_a_stream_stops_cleanly() {
    let mut stream = record(22, &[7; 12]);
    stream.extend(record(23, &[9; 30]));
    wire_support::assert_every_cut_stops_cleanly(&tls::Records, &stream);
}

/// `content_type length` for every record tshark saw going `dir`. tshark
/// names the outer type of a record it cannot decrypt `opaque_type`; in a
/// packet, records in clear come before encrypted ones (TLS 1.3 never goes
/// back to clear), so the two lists join in order.
fn tshark_records(file: &std::path::Path, port: u16, dir: Direction) -> Vec<String> {
    let side = match dir {
        Direction::ToServer => "tcp.dstport",
        Direction::ToClient => "tcp.srcport",
    };
    let decode_as = format!("tcp.port=={port},tls");
    let filter = format!("tls && {side}=={port}");
    let lines = tshark::run(
        file,
        &[
            "-d",
            &decode_as,
            "-Y",
            &filter,
            "-T",
            "fields",
            "-e",
            "tls.record.content_type",
            "-e",
            "tls.record.opaque_type",
            "-e",
            "tls.record.length",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let list = |v: &str| -> Vec<String> {
        v.split(',')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    lines
        .iter()
        .flat_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let mut types = list(cols.first().copied().unwrap_or(""));
            types.extend(list(cols.get(1).copied().unwrap_or("")));
            let lens = list(cols.get(2).copied().unwrap_or(""));
            assert_eq!(types.len(), lens.len(), "a type for every length: {line}");
            types
                .into_iter()
                .zip(lens)
                .map(|(t, l)| format!("{t} {l}"))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
async fn tshark_reads_the_same_records_we_do() {
    let certs = labkit::tls::Throwaway::new("labkit test CA", &["localhost"]).unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let _server = Command::new("openssl")
        .args(["s_server", "-quiet", "-tls1_3"])
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .arg("-cert")
        .arg(certs.cert_file())
        .arg("-key")
        .arg(certs.key_file())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("openssl is installed");
    // Wait until it listens (it shrugs off this probe and keeps accepting).
    wire_support::guard("openssl s_server starting", async {
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;

    let proxy = Proxy::start(([127, 0, 0, 1], port).into()).await.unwrap();
    let mut client = Command::new("openssl")
        .args(["s_client", "-tls1_3", "-connect", &proxy.addr().to_string()])
        .args(["-servername", "localhost", "-CAfile"])
        .arg(certs.ca_file())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = client.stdin.take().unwrap();
    stdin.write_all(b"hello over TLS\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop(stdin); // EOF: s_client closes the connection and exits.
    wire_support::guard("openssl s_client finishing", client.wait())
        .await
        .unwrap();
    assert!(
        proxy.wait_closed(Duration::from_secs(20)).await,
        "the proxy saw the connection close"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tls.pcap");
    proxy.write_pcap(&file).unwrap();
    let conns = proxy.recording();
    assert_eq!(conns.len(), 1, "one TLS connection");
    for dir in Direction::BOTH {
        let ours: Vec<String> = tls::Records
            .decode(&conns[0].stream(dir))
            .complete()
            .unwrap()
            .iter()
            .map(|r| format!("{} {}", r.content_type, r.fragment_len))
            .collect();
        assert!(ours.len() >= 2, "{dir}: a handshake and data: {ours:?}");
        let theirs = tshark_records(&file, proxy.upstream().port(), dir);
        assert_eq!(ours, theirs, "{dir}: records in order, ours then tshark's");
    }
}
