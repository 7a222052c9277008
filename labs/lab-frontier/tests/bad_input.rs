//! Every kind of bad input ends with one line and a non-zero exit
//! (labkit's bad-input table; `labkit::badinput` says what each run checks).
//! lab-frontier takes no URL and serves nothing: everything it talks to it
//! starts itself, so the one thing a reader's machine can get wrong is a
//! missing program.

use labkit::badinput::{Bad, Case, Table};

#[test]
fn every_kind_of_bad_input_is_one_line_and_a_failure() {
    let counts = Table::new(env!("CARGO_BIN_EXE_lab-frontier"))
        .case(
            Case::new(
                Bad::MissingBinary,
                "reactive (a private PostgreSQL) without the PostgreSQL server",
            )
            .args(&["reactive"])
            .without_programs()
            .says("apt-get install postgresql"),
        )
        .not_applicable(
            Bad::DeadUrl,
            "no scenario reads a URL: QUIC servers, peers and PostgreSQL are started by the lab",
        )
        .not_applicable(Bad::MalformedUrl, "no scenario reads a URL")
        .not_applicable(
            Bad::RefusedCredentials,
            "the only server with logins is the lab's private PostgreSQL, which trusts it",
        )
        .not_applicable(
            Bad::PortTaken,
            "the lab serves nothing a reader points at: its servers take ports the system hands out",
        )
        .run();
    assert_eq!(counts, [0, 0, 0, 1, 0]);
}
