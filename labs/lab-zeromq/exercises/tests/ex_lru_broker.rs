//! Grading test for `zeromq-lru-broker`: three workers (two take 1 ms a
//! task, one takes 40 ms) and three clients sending 10 tasks each. Every
//! task must be answered; no worker may be handed a task while it is still
//! busy with one; so the slow worker does fewer than its "fair" 10.

use std::time::Duration;

use lab_zeromq_exercises::lru_broker::broker;
use lab_zeromq_exercises::support::{bind, broker_client, broker_worker, socket};
use labkit::grade::{expect, expect_eq};

#[test]
fn every_task_goes_to_a_free_worker() {
    let ctx = zmq::Context::new();
    let frontend = socket(&ctx, zmq::ROUTER);
    let front = bind(&frontend);
    let backend = socket(&ctx, zmq::ROUTER);
    let back = bind(&backend);
    let workers: Vec<_> = [1, 1, 40]
        .iter()
        .map(|&c| broker_worker(&ctx, &back, c))
        .collect();
    let clients: Vec<_> = (0..3).map(|_| broker_client(&ctx, &front, 10)).collect();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(broker(&frontend, &backend, 30).map_err(|e| e.to_string())));
    let outcome = rx.recv_timeout(Duration::from_secs(30));
    let answered: u32 = clients.into_iter().map(|c| c.join().unwrap()).sum();
    let logs: Vec<_> = workers.into_iter().map(|w| w.join()).collect();
    expect(
        matches!(outcome, Ok(Ok(()))),
        "the broker returns after passing back 30 replies",
        &outcome,
    );
    expect_eq(
        answered,
        30,
        "all 30 tasks from the three clients were answered",
    );
    let busy: u32 = logs.iter().map(|l| l.handed_while_busy).sum();
    expect_eq(
        busy,
        0,
        "no worker was handed a task while it was busy with one",
    );
    expect(
        logs[2].tasks < 10,
        "the slow worker (40 ms a task) did fewer than 10 tasks",
        logs,
    );
}
