//! Grading test for `amqp-confirms`: 500 messages published to a queue the
//! broker's operator capped at 300 (a policy: `max-length` 300,
//! `overflow: reject-publish`), so the broker acks 300 and nacks 200; then
//! the broker is crashed with SIGKILL and started again. The count returned
//! must be the broker's acks, and every acked message must be there.

use lab_amqp::admin::rabbitmqctl;
use lab_amqp_exercises::{confirms, support};
use labkit::broker::{self, Kind, Options};
use labkit::grade::{expect, expect_ok};

/// What the policy lets into the queue; the rest is refused (nacked).
const CAP: usize = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_confirmed_message_survives_a_broker_crash() {
    let mut broker = broker::private(Kind::RabbitMq, Options::new())
        .await
        .expect("a private RabbitMQ (install rabbitmq-server): this test crashes it");
    let queue = support::unique("payments");
    // A real operator would cap a whole family of queues; this caps ours.
    let pattern = format!("^{}$", queue.replace('.', "\\."));
    let limits = format!(r#"{{"max-length":{CAP},"overflow":"reject-publish"}}"#);
    rabbitmqctl(
        &broker,
        &[
            "set_policy",
            "cap",
            &pattern,
            &limits,
            "--apply-to",
            "queues",
        ],
    )
    .expect("rabbitmqctl set_policy on the private broker");

    let conn = support::connect(broker.url()).await.unwrap();
    let messages: Vec<String> = (0..500).map(|i| format!("payment {i}")).collect();
    let confirmed = confirms::publish_all(&conn, &queue, &messages)
        .await
        .unwrap();
    expect(
        confirmed == CAP,
        "the count is the broker's answer: the full queue acks 300 of the 500 and nacks the other 200",
        confirmed,
    );
    broker.kill().await.unwrap();
    drop(conn);
    broker.start().await.unwrap();
    let conn = support::connect(broker.url()).await.unwrap();
    let held = expect_ok(
        support::depth(&conn, &queue).await,
        "after the restart the broker answers how many messages the queue holds",
    );
    expect(
        held.unwrap_or(0) as usize >= confirmed && confirmed > 0,
        "after SIGKILL and a restart the queue still holds every confirmed message",
        format!("confirmed {confirmed}, queue after the crash: {held:?}"),
    );
}
