//! The lab's command line: an unknown scenario lists the real ones, and
//! `--pcap` saves what the recording proxy saw, for Wireshark.

use std::process::Command;

fn lab_zeromq(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lab-zeromq"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the lab-zeromq binary runs")
}

#[test]
fn an_unknown_scenario_lists_the_real_ones() {
    let out = lab_zeromq(&["nosuch"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "clap's usage error status");
    assert!(
        stderr.contains("reqrep") && stderr.contains("transports"),
        "{stderr}"
    );
}

#[test]
fn pcap_saves_the_pubsub_connection_with_its_zmtp_handshake() {
    let dir = tempfile::tempdir().unwrap();
    let out = lab_zeromq(&["pubsub", "--pcap", dir.path().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pcap = std::fs::read(dir.path().join("pubsub-1.pcap")).expect("pubsub-1.pcap");
    // The file carries the bytes as sent: the ZMTP signature and the READY
    // command's socket type are in it (libzmq writes the greeting in parts,
    // so the version byte may sit in the next packet).
    let signature = pcap.windows(10).any(|w| w[0] == 0xFF && w[9] == 0x7F);
    let ready = pcap.windows(11).any(|w| w == b"Socket-Type");
    assert!(
        signature && ready,
        "a ZMTP greeting and READY in {} bytes",
        pcap.len()
    );
}
