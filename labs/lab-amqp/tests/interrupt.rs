//! Ctrl-C or SIGKILL at any moment of a run that starts a private RabbitMQ
//! (the `durability` scenario restarts its own) leaves no RabbitMQ, epmd or
//! watchdog process and nothing in the temporary folder
//! (`labkit::interrupt` says how it counts). `LABKIT_INTERRUPT_RUN=<n>`
//! alternates which signal lands at which moment.

use labkit::interrupt::{Moment, assert_leaves_nothing};

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
