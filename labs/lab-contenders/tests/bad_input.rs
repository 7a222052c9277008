//! Every kind of bad input ends with one line and a non-zero exit
//! (labkit's bad-input table; `labkit::badinput` says what each run checks).
//! The NATS scenarios are the only ones that take a URL from the reader; the
//! refused login uses a private nats-server that requires a password.

use labkit::badinput::{Bad, Case, Table, dead_port};
use labkit::broker::{self, Kind, Options};

const SECRET: &str = "s3cret-pw";

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_bad_input_is_one_line_and_a_failure() {
    let server = broker::private(Kind::Nats, Options::new().user("alice", SECRET))
        .await
        .expect("a private nats-server that requires a login");
    let addr = server.addr();
    let table = Table::new(env!("CARGO_BIN_EXE_lab-contenders"))
        .case(
            Case::new(Bad::DeadUrl, "NATS_URL where nothing listens")
                .args(&["nats-subjects"])
                .env("NATS_URL", format!("nats://127.0.0.1:{}", dead_port()))
                .says("NATS_URL"),
        )
        .case(
            Case::new(Bad::MalformedUrl, "NATS_URL that is not a URL")
                .args(&["nats-subjects"])
                .env("NATS_URL", "not a url")
                .says("NATS_URL"),
        )
        .case(
            Case::new(Bad::RefusedCredentials, "a wrong password in NATS_URL")
                .args(&["nats-subjects"])
                .env("NATS_URL", format!("nats://alice:wrong-{SECRET}@{addr}"))
                .says("refused")
                .secret(SECRET),
        )
        .case(
            Case::new(
                Bad::MissingBinary,
                "nats-stream (a private server it restarts) without nats-server",
            )
            .args(&["nats-stream"])
            .without_programs()
            .says("nats-server"),
        )
        .not_applicable(
            Bad::PortTaken,
            "the lab serves nothing a reader points at: its servers take ports the system hands out",
        );
    let counts = tokio::task::spawn_blocking(move || table.run())
        .await
        .unwrap();
    assert_eq!(counts, [1, 1, 1, 1, 0]);
}
