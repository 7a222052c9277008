//! Every kind of bad input ends with one line and a non-zero exit
//! (labkit's bad-input table; `labkit::badinput` says what each run checks).

use labkit::badinput::{Bad, Case, Table, taken_port};

#[test]
fn every_kind_of_bad_input_is_one_line_and_a_failure() {
    let taken = taken_port();
    let counts = Table::new(env!("CARGO_BIN_EXE_lab-grpc"))
        .not_applicable(
            Bad::DeadUrl,
            "the lab takes no server URL: its clients call the service it starts itself",
        )
        .case(
            Case::new(Bad::MalformedUrl, "--listen that is not an address")
                .args(&["serve", "--listen", "notanaddr"])
                .says("is not an address and port"),
        )
        .not_applicable(
            Bad::RefusedCredentials,
            "the lab's service takes no login, and the lab takes none from the reader",
        )
        .case(
            Case::new(Bad::MissingBinary, "the browser scenario without chromium")
                .args(&["browser"])
                .without_programs()
                .says("chromium and chromedriver")
                .says("sudo apt-get install chromium chromium-driver"),
        )
        .case(
            Case::new(Bad::PortTaken, "serve on a busy port")
                .args(&["serve", "--listen", &taken.addr])
                .says(format!("cannot listen on {}", taken.addr)),
        )
        .run();
    assert_eq!(counts, [0, 1, 0, 1, 1]);
}
