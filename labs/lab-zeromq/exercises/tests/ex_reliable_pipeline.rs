//! Grading test for `zeromq-reliable-pipeline`: 60 tasks, two workers. The
//! first dies after 3 tasks, taking the tasks queued for it; the second
//! takes 400 ms over its first task, longer than the 150 ms timeout, so
//! that task is resent and done twice. Every task must be completed, each
//! counted once.

use std::collections::BTreeSet;
use std::time::Duration;

use lab_zeromq_exercises::reliable_pipeline::deliver;
use lab_zeromq_exercises::support::{bind, pipeline_worker, socket, watch_peers};
use labkit::grade::{expect, expect_eq, expect_ok};

#[test]
fn no_task_is_lost_and_none_is_counted_twice() {
    let ctx = zmq::Context::new();
    let ventilator = socket(&ctx, zmq::PUSH);
    let tasks_at = bind(&ventilator);
    let sink = socket(&ctx, zmq::PULL);
    let sink_at = bind(&sink);
    let peers = watch_peers(&ctx, &ventilator, "grade");
    let dying = pipeline_worker(&ctx, &tasks_at, &sink_at, Some(3), 0);
    let slow = pipeline_worker(&ctx, &tasks_at, &sink_at, None, 400);
    peers.wait(2);
    let result = deliver(&ventilator, &sink, 60, Duration::from_millis(150));
    dying.join();
    slow.join();
    let delivered = expect_ok(result, "deliver() returns once every task is done");
    let distinct: BTreeSet<u32> = delivered.completed.iter().copied().collect();
    expect_eq(
        distinct.len(),
        60,
        "all 60 tasks were completed, the dead worker's too",
    );
    expect_eq(
        delivered.completed.len(),
        60,
        "each task is counted once, even the one done twice",
    );
    expect(
        delivered.resent > 0,
        "late tasks were sent again",
        delivered.resent,
    );
}
