//! The lab's command line: bad input ends with one clear line and a
//! non-zero exit, never a panic.

use std::process::Command;

fn lab(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lab-realtime"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the lab-realtime binary runs")
}

#[test]
fn a_busy_listen_address_ends_with_one_line_and_a_failure_status() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = lab(&["serve", "--listen", &addr]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.contains("cannot listen on") && stderr.contains("--listen"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_redis_url_that_is_not_one_is_refused_in_one_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_lab-realtime"))
        .arg("scaleout")
        .env("REDIS_URL", "not a url")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("REDIS_URL"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unknown_scenario_lists_the_real_ones() {
    let out = lab(&["nosuch"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "clap's usage error status");
    assert!(
        stderr.contains("handshake") && stderr.contains("browser"),
        "{stderr}"
    );
}
