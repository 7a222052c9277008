//! Every kind of bad input ends with one line and a non-zero exit
//! (labkit's bad-input table; `labkit::badinput` says what each run checks).
//! The refused login uses a private Redis that requires a password.

use labkit::badinput::{Bad, Case, Table, dead_port, taken_port};
use labkit::broker::{self, Kind, Options};

const SECRET: &str = "s3cret-pw";

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_bad_input_is_one_line_and_a_failure() {
    let redis = broker::private(Kind::Redis, Options::new().user("alice", SECRET))
        .await
        .expect("a private Redis that requires a login");
    let addr = redis.addr();
    let taken = taken_port();
    let table = Table::new(env!("CARGO_BIN_EXE_lab-realtime"))
        .case(
            Case::new(Bad::DeadUrl, "REDIS_URL where nothing listens")
                .args(&["scaleout"])
                .env("REDIS_URL", format!("redis://127.0.0.1:{}", dead_port()))
                .says("REDIS_URL"),
        )
        .case(
            Case::new(Bad::MalformedUrl, "REDIS_URL that is not a URL")
                .args(&["scaleout"])
                .env("REDIS_URL", "not a url")
                .says("REDIS_URL"),
        )
        .case(
            Case::new(Bad::MalformedUrl, "--listen that is not an address")
                .args(&["serve", "--listen", "notanaddr"])
                .says("is not an address and port"),
        )
        .case(
            Case::new(Bad::RefusedCredentials, "a wrong password in REDIS_URL")
                .args(&["scaleout"])
                .env("REDIS_URL", format!("redis://alice:wrong-{SECRET}@{addr}"))
                .says("refused")
                .secret(SECRET),
        )
        .case(
            Case::new(Bad::MissingBinary, "proxies without nginx")
                .args(&["proxies"])
                .without_programs()
                .says("nginx")
                .says("sudo apt-get install nginx-light"),
        )
        .case(
            Case::new(Bad::MissingBinary, "browser without chromium")
                .args(&["browser"])
                .without_programs()
                .says("chromium and chromedriver")
                .says("sudo apt-get install chromium chromium-driver"),
        )
        .case(
            Case::new(Bad::PortTaken, "serve on a busy port")
                .args(&["serve", "--listen", &taken.addr])
                .says(format!("cannot listen on {}", taken.addr))
                .says("--listen"),
        );
    let counts = tokio::task::spawn_blocking(move || table.run())
        .await
        .unwrap();
    assert_eq!(counts, [1, 2, 1, 2, 1]);
}
