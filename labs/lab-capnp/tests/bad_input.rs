//! Every kind of bad input the lab could meet, and why the Cap'n Proto
//! lab meets none of them (labkit's bad-input table; `labkit::badinput`).

use labkit::badinput::{Bad, Table};

#[test]
fn every_kind_of_bad_input_is_one_line_and_a_failure() {
    let counts = Table::new(env!("CARGO_BIN_EXE_lab-capnp"))
        .not_applicable(
            Bad::DeadUrl,
            "the lab takes no URL: its RPC bank runs in the lab's own process",
        )
        .not_applicable(
            Bad::MalformedUrl,
            "the lab takes no URL or address to parse",
        )
        .not_applicable(
            Bad::RefusedCredentials,
            "capabilities, not logins: the lab asks the reader for no password",
        )
        .not_applicable(
            Bad::MissingBinary,
            "the capnp compiler is needed only to build (build.rs says so); a run needs nothing",
        )
        .not_applicable(
            Bad::PortTaken,
            "the bank and the proxy listen on ports the system hands out",
        )
        .run();
    assert_eq!(counts, [0; 5]);
}
