//! Every kind of bad input ends with one line and a non-zero exit
//! (labkit's bad-input table; `labkit::badinput` says what each run checks).
//! The refused login and the missing program use a private Mosquitto that
//! requires a password.

use labkit::badinput::{Bad, Case, Table, dead_port};
use labkit::broker::{self, Kind, Options};

const SECRET: &str = "s3cret-pw";

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_bad_input_is_one_line_and_a_failure() {
    let broker = broker::private(Kind::Mosquitto, Options::new().user("alice", SECRET))
        .await
        .expect("a private Mosquitto that requires a login");
    let addr = broker.addr();
    let table = Table::new(env!("CARGO_BIN_EXE_lab-mqtt"))
        .case(
            Case::new(Bad::DeadUrl, "MQTT_URL where nothing listens")
                .args(&["retained"])
                .env("MQTT_URL", format!("mqtt://127.0.0.1:{}", dead_port()))
                .says("MQTT_URL"),
        )
        .case(
            Case::new(Bad::MalformedUrl, "MQTT_URL that is not a URL")
                .args(&["retained"])
                .env("MQTT_URL", "not a url")
                .says("MQTT_URL"),
        )
        .case(
            Case::new(Bad::RefusedCredentials, "a wrong password in MQTT_URL")
                .args(&["retained"])
                .env("MQTT_URL", format!("mqtt://alice:wrong-{SECRET}@{addr}"))
                .says("refused")
                .secret(SECRET),
        )
        .case(
            Case::new(Bad::MissingBinary, "acl (a private Mosquitto) without mosquitto")
                .args(&["acl"])
                .env("MQTT_URL", format!("mqtt://alice:{SECRET}@{addr}"))
                .without_programs()
                .says("mosquitto")
                .secret(SECRET),
        )
        .not_applicable(
            Bad::PortTaken,
            "the lab serves nothing: its proxies and private brokers take ports the system hands out",
        );
    let counts = tokio::task::spawn_blocking(move || table.run())
        .await
        .unwrap();
    assert_eq!(counts, [1, 1, 1, 1, 0]);
}
