//! The lab's command line: a wrong or dead `--server` ends with one clear
//! line and a non-zero exit, never a panic (the other bad input, a taken or
//! malformed `--listen`, is in `bad_input.rs`'s table).

use std::process::Command;

fn lab_rest(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lab-rest"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the lab-rest binary runs")
}

#[test]
fn a_dead_server_ends_with_one_line_and_a_failure_status() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = lab_rest(&["bytes", "--server", &format!("http://127.0.0.1:{port}")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: nothing answers at"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unknown_scenario_lists_the_real_ones() {
    let out = lab_rest(&["nosuch"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "clap's usage error status");
    assert!(
        stderr.contains("keepalive") && stderr.contains("idempotency"),
        "{stderr}"
    );
}

#[test]
fn pcap_files_open_in_tshark_with_the_same_exchange() {
    let dir = tempfile::tempdir().unwrap();
    let out = lab_rest(&["caching", "--pcap", dir.path().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pcap = dir.path().join("caching-1.pcap");
    assert!(pcap.exists(), "--pcap writes <scenario>-<n>.pcap");

    // Read it back with Wireshark's own dissectors, not ours.
    let port = labkit::wire::tshark::run(&pcap, &["-T", "fields", "-e", "tcp.dstport", "-c", "1"])
        .unwrap_or_else(|e| panic!("{e}"));
    let port: u16 = port[0].trim().parse().unwrap();
    let rows = labkit::wire::tshark::fields(
        &pcap,
        port,
        "http",
        "http",
        &["http.request.method", "http.response.code"],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let seen: Vec<String> = rows.concat();
    assert_eq!(
        seen,
        ["GET", "200", "GET", "304", "POST", "200", "GET", "200"],
        "tshark saw: {seen:?}"
    );
}

#[test]
fn an_unwritable_pcap_folder_fails_before_any_scenario_runs() {
    // Root can write into any folder, so make the folder impossible instead:
    // its path is taken by a plain file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"").unwrap();
    for flag in ["--pcap", "--out"] {
        let out = lab_rest(&["bytes", flag, file.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{flag}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{flag}: one line: {stderr}");
        assert!(
            stderr.contains(&format!("cannot write into {}", file.display())),
            "{flag}: {stderr}"
        );
        assert!(
            !stdout.contains("━━"),
            "{flag}: no scenario started: {stdout}"
        );
    }
}

#[test]
fn serve_is_a_subcommand_and_benchmarks_are_marked_in_help() {
    let out = lab_rest(&["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(help.contains("serve"), "{help}");
    let json_line = help
        .lines()
        .find(|l| l.trim_start().starts_with("- json:"))
        .unwrap_or_else(|| panic!("json is listed: {help}"));
    assert!(
        json_line.contains("[benchmark: only when named]"),
        "{json_line}"
    );
}
