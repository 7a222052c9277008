//! The lab's command line: bad input ends with one clear line and a
//! non-zero exit, never a panic.

use std::process::Command;

fn lab_grpc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lab-grpc"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the lab-grpc binary runs")
}

#[test]
fn a_busy_listen_address_ends_with_one_line_and_a_failure_status() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = lab_grpc(&["serve", "--listen", &addr]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with(&format!("error: cannot listen on {addr}")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unknown_scenario_lists_the_real_ones() {
    let out = lab_grpc(&["nosuch"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "clap's usage error status");
    assert!(
        stderr.contains("multiplex") && stderr.contains("evolution"),
        "{stderr}"
    );
}

/// A run writes files only where the reader asked (`--out`, `--pcap`):
/// `wire` used to leave `lab-grpc-wire.pcap` in the temporary folder.
#[test]
fn a_run_leaves_nothing_in_the_temporary_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lab-grpc"))
        .arg("wire")
        .env("TMPDIR", tmp.path())
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the lab-grpc binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}
