//! The lab's command line: a dead or malformed `AMQP_URL` ends with one
//! clear line and a non-zero exit, never a panic.

use std::process::Command;

fn lab_amqp(args: &[&str], amqp_url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lab-amqp"))
        .args(args)
        .env("AMQP_URL", amqp_url)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the lab-amqp binary runs")
}

#[test]
fn a_dead_broker_ends_with_one_line_and_a_failure_status() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = lab_amqp(
        &["routing"],
        &format!("amqp://guest:guest@127.0.0.1:{port}/%2f"),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains("AMQP_URL") || stderr.contains("rabbitmq"),
        "names the fix: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_malformed_url_is_an_error_not_a_panic() {
    let out = lab_amqp(&["routing"], "not a url");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("AMQP_URL"), "{stderr}");
}

#[test]
fn an_unknown_scenario_lists_the_real_ones() {
    let out = lab_amqp(&["nosuch"], "amqp://127.0.0.1:1/%2f");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "clap's usage error status");
    assert!(
        stderr.contains("durability") && stderr.contains("streams"),
        "{stderr}"
    );
}
