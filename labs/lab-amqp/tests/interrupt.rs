//! Ctrl-C or SIGKILL at any moment of a run that starts a private RabbitMQ
//! (the `durability` scenario restarts its own) or a private three-node
//! cluster (`placement`) leaves no RabbitMQ, epmd, `rabbitmqctl` or watchdog
//! process and nothing in the temporary folder (`labkit::interrupt` says
//! how it counts). `LABKIT_INTERRUPT_RUN=<n>` alternates which signal lands
//! at which moment.

use labkit::interrupt::{Moment, assert_leaves_nothing, leftovers};

#[test]
fn an_interrupted_private_broker_run_leaves_nothing() {
    let starting = "(starting a private RabbitMQ";
    assert_leaves_nothing(
        env!("CARGO_BIN_EXE_lab-amqp"),
        &["durability"],
        &[
            Moment::at_start("just spawned"),
            Moment::after("epmd starting", starting, 30),
            Moment::after("RabbitMQ booting", starting, 1500),
            Moment::after("publishing, restarting", starting, 6000),
            Moment::after("report printed", "After one restart of the broker", 0),
        ],
    );
}

/// The cluster's moments: its epmd and first node starting, the first node
/// booting, the other two booting and joining it (15–30 s in all here),
/// the scenario calling `rabbitmqctl` on the formed cluster, and the three
/// nodes shutting down after the report. Each moment costs a cluster start.
#[test]
fn an_interrupted_cluster_run_leaves_nothing() {
    let starting = "(starting a private three-node RabbitMQ cluster";
    let formed = "(cluster formed in";
    let left = leftovers(
        env!("CARGO_BIN_EXE_lab-amqp"),
        &["placement"],
        &[
            Moment::after("epmd, rabbit1 starting", starting, 300),
            Moment::after("rabbit1 booting", starting, 4000),
            Moment::after("rabbit2, rabbit3 booting", starting, 9000),
            Moment::after("rabbit2, rabbit3 joining", starting, 14000),
            Moment::after("formed, rabbitmqctl asked", formed, 300),
            Moment::after("report printed, teardown", "Two queues declared through", 0),
        ],
    );
    assert!(left.is_empty(), "left behind: {left:#?}");
}
