//! Every kind of bad input ends with one line and a non-zero exit
//! (labkit's bad-input table; `labkit::badinput` says what each run checks).
//! The refused login and the missing program use a private RabbitMQ that
//! requires a password.

use labkit::badinput::{Bad, Case, Table, dead_port};
use labkit::broker::{self, Kind, Options};

const SECRET: &str = "s3cret-pw";

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_bad_input_is_one_line_and_a_failure() {
    let broker = broker::private(Kind::RabbitMq, Options::new().user("alice", SECRET))
        .await
        .expect("a private RabbitMQ that requires a login");
    let addr = broker.addr();
    let table = Table::new(env!("CARGO_BIN_EXE_lab-amqp"))
        .case(
            Case::new(Bad::DeadUrl, "AMQP_URL where nothing listens")
                .args(&["routing"])
                .env(
                    "AMQP_URL",
                    format!("amqp://guest:guest@127.0.0.1:{}/%2f", dead_port()),
                )
                .says("AMQP_URL"),
        )
        .case(
            Case::new(Bad::MalformedUrl, "AMQP_URL that is not a URL")
                .args(&["routing"])
                .env("AMQP_URL", "not a url")
                .says("AMQP_URL"),
        )
        .case(
            Case::new(Bad::RefusedCredentials, "a wrong password in AMQP_URL")
                .args(&["routing"])
                .env("AMQP_URL", format!("amqp://alice:wrong-{SECRET}@{addr}/%2f"))
                .says("refused")
                .says(format!("{addr}"))
                .secret(SECRET),
        )
        .case(
            Case::new(
                Bad::MissingBinary,
                "durability (a private RabbitMQ) without rabbitmq-server",
            )
            .args(&["durability"])
            .env("AMQP_URL", format!("amqp://alice:{SECRET}@{addr}/%2f"))
            .without_programs()
            .says("rabbitmq-server")
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
