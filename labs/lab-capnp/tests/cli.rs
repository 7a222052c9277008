//! The lab's command line: an unknown scenario is refused with the list of
//! real ones, and `--pcap` saves what the pipelining scenario's proxy saw.

use std::process::Command;

fn lab_capnp(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lab-capnp"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the lab-capnp binary runs")
}

#[test]
fn an_unknown_scenario_lists_the_real_ones() {
    let out = lab_capnp(&["nosuch"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "clap's usage error status");
    assert!(
        stderr.contains("pipeline") && stderr.contains("zerocopy"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn pcap_saves_both_chains_of_the_pipeline_scenario() {
    let dir = std::env::temp_dir().join(format!("lab-capnp-pcap-{}", std::process::id()));
    let out = lab_capnp(&["pipeline", "--pcap", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(files, 2, "one pcap file per proxied connection");
}
