//! The lab's command line: a broker that does not answer ends with one
//! clear line and a non-zero exit, never a panic.

use std::process::Command;

fn lab_mqtt(args: &[&str], mqtt_url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lab-mqtt"))
        .args(args)
        .env("MQTT_URL", mqtt_url)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the lab-mqtt binary runs")
}

#[test]
fn a_dead_broker_url_ends_with_one_line_and_a_failure_status() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = lab_mqtt(&["retained"], &format!("mqtt://127.0.0.1:{port}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains("MQTT_URL"),
        "names the setting to fix: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_malformed_broker_url_is_refused_in_one_line() {
    let out = lab_mqtt(&["retained"], "not a url");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("MQTT_URL"), "{stderr}");
}

#[test]
fn an_unknown_scenario_lists_the_real_ones() {
    let out = lab_mqtt(&["nosuch"], "mqtt://127.0.0.1:1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "clap's usage error status");
    assert!(
        stderr.contains("cuts") && stderr.contains("retained"),
        "{stderr}"
    );
}

/// `MQTT_URL`'s user and password reach every connection the lab makes
/// (through its proxies too), and a wrong password is one line that never
/// shows the password.
#[tokio::test]
async fn the_login_in_mqtt_url_reaches_a_broker_that_requires_one() {
    const SECRET: &str = "s3cret-pw";
    let broker = labkit::broker::private(
        labkit::broker::Kind::Mosquitto,
        labkit::broker::Options::new().user("alice", SECRET),
    )
    .await
    .expect("a private Mosquitto that requires a login");
    let addr = broker.addr();
    let run = |url: String| tokio::task::spawn_blocking(move || lab_mqtt(&["retained"], &url));

    let out = run(format!("mqtt://alice:{SECRET}@{addr}")).await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the right login works: {stderr}");
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "the password is never printed: {stdout}{stderr}"
    );

    let out = run(format!("mqtt://alice:wrong-{SECRET}@{addr}"))
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.contains("refused"),
        "says the login was refused: {stderr}"
    );
    assert!(
        !stderr.contains(SECRET),
        "never shows the password: {stderr}"
    );
}
