//! Grading test for `zeromq-snapshot`: the service has published at least
//! 40 of its 300 updates before your subscriber joins (keys `a0`..`a19`
//! were set by the first 20 and never again). The replica must end equal
//! to the service's final state, and the updates applied on top of the
//! snapshot must be exactly those after it, in order.

use std::sync::atomic::Ordering;
use std::time::Duration;

use lab_zeromq_exercises::snapshot::late_join;
use lab_zeromq_exercises::support::kv_server;
use labkit::grade::{expect_eq, expect_ok};

#[test]
fn a_late_joiner_ends_with_the_whole_state() {
    let ctx = zmq::Context::new();
    let server = kv_server(&ctx, 300);
    while server.published.load(Ordering::SeqCst) < 40 {
        std::thread::sleep(Duration::from_millis(2));
    }
    let replica = late_join(&ctx, &server.updates, &server.snapshot, 300);
    let final_state = server.thread.join();
    let replica = expect_ok(replica, "late_join() returns once update 300 is applied");
    expect_eq(
        replica.state.keys().filter(|k| k.starts_with('a')).count(),
        20,
        "the keys a0..a19, set before you joined, are in the replica",
    );
    expect_eq(
        replica.state,
        final_state,
        "the replica equals the service's final state",
    );
    let want: Vec<u64> = (replica.snapshot_seq + 1..=300).collect();
    expect_eq(
        replica.applied,
        want,
        "the updates applied are exactly those after the snapshot, in order",
    );
}
