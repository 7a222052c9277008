//! Grading test for `zeromq-lazy-pirate`: a server that ignores the first
//! two requests it reads must still get the third try answered; a server
//! that never answers must see exactly `1 + retries` tries, and the client
//! must end with an error rather than hang.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use lab_zeromq_exercises::lazy_pirate::request;
use lab_zeromq_exercises::support::flaky_server;
use labkit::grade::{expect, expect_eq};

/// How long each try waits. Generous on purpose: on a loaded 2-core machine
/// a new REQ socket can take over 100 ms to connect, and a try whose request
/// never left before the socket closed would not count as a try at all.
const TRY_TIMEOUT: Duration = Duration::from_millis(400);

#[test]
fn two_lost_replies_cost_two_retries() {
    let ctx = zmq::Context::new();
    let server = flaky_server(&ctx, 2);
    let reply = request(&ctx, &server.endpoint, b"pay 42", TRY_TIMEOUT, 2);
    let reads = server.reads.load(Ordering::SeqCst);
    server.thread.join();
    expect(
        matches!(&reply, Ok(r) if r == b"pay 42"),
        "the third try gets the server's echo \"pay 42\"",
        &reply,
    );
    expect_eq(
        reads,
        3,
        "the server read the request three times (two ignored, one answered)",
    );
}

#[test]
fn a_silent_server_gets_one_plus_retries_tries_then_an_error() {
    let ctx = zmq::Context::new();
    let server = flaky_server(&ctx, u32::MAX);
    let reply = request(&ctx, &server.endpoint, b"pay 43", TRY_TIMEOUT, 2);
    // A last try may still be on its way when the client gives up: give it
    // up to two seconds to arrive (a count, not a timing, is asserted).
    let deadline = Instant::now() + Duration::from_secs(2);
    while server.reads.load(Ordering::SeqCst) < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let reads = server.reads.load(Ordering::SeqCst);
    server.thread.join();
    expect(
        reply.is_err(),
        "with no answer at all, the client gives up with an error",
        &reply,
    );
    expect_eq(reads, 3, "1 + retries = 3 tries reached the server");
}
