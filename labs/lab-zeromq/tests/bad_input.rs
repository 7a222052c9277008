//! Every kind of bad input the lab could meet, and why ZeroMQ's lab meets
//! none of them (labkit's bad-input table; `labkit::badinput`).

use labkit::badinput::{Bad, Table};

#[test]
fn every_kind_of_bad_input_is_one_line_and_a_failure() {
    let counts = Table::new(env!("CARGO_BIN_EXE_lab-zeromq"))
        .not_applicable(
            Bad::DeadUrl,
            "ZeroMQ has no broker: the lab takes no URL, its sockets bind and connect to each other",
        )
        .not_applicable(Bad::MalformedUrl, "the lab takes no URL or address to parse")
        .not_applicable(
            Bad::RefusedCredentials,
            "no login is asked of the reader (the CURVE keys are made by the lab)",
        )
        .not_applicable(
            Bad::MissingBinary,
            "libzmq is linked into the binary (building needs libzmq3-dev); a run starts no program",
        )
        .not_applicable(
            Bad::PortTaken,
            "every socket binds a port the system hands out; the reader chooses none",
        )
        .run();
    assert_eq!(counts, [0; 5]);
}
