//! Every kind of bad input ends with one line and a non-zero exit
//! (labkit's bad-input table; `labkit::badinput` says what each run checks).

use labkit::badinput::{Bad, Case, Table, dead_port, taken_port};

#[test]
fn every_kind_of_bad_input_is_one_line_and_a_failure() {
    let taken = taken_port();
    let counts = Table::new(env!("CARGO_BIN_EXE_lab-rest"))
        .case(
            Case::new(Bad::DeadUrl, "--server where nothing listens")
                .args(&[
                    "bytes",
                    "--server",
                    &format!("http://127.0.0.1:{}", dead_port()),
                ])
                .says("nothing answers at"),
        )
        .case(
            Case::new(Bad::MalformedUrl, "--server that is not a URL")
                .args(&["bytes", "--server", "not a url"])
                .says("--server"),
        )
        .case(
            Case::new(Bad::MalformedUrl, "--listen that is not an address")
                .args(&["serve", "--listen", "notanaddr"])
                .says("is not an address and port; write it like 127.0.0.1:3000"),
        )
        .not_applicable(
            Bad::RefusedCredentials,
            "Chapter 1's API takes no login: neither the lab's server nor --server asks for one",
        )
        .not_applicable(
            Bad::MissingBinary,
            "every scenario runs in the lab's own process: no broker, nginx or browser",
        )
        .case(
            Case::new(Bad::PortTaken, "serve on a busy port")
                .args(&["serve", "--listen", &taken.addr])
                .says(format!("cannot listen on {}", taken.addr))
                .says("--listen 127.0.0.1:0"),
        )
        .run();
    assert_eq!(counts, [1, 2, 0, 0, 1]);
}
