//! Grading test for `amqp-confirms`: 500 messages published, the broker
//! crashed with SIGKILL and started again; every confirmed one must be there.

use lab_amqp_exercises::{confirms, support};
use labkit::broker::{self, Kind, Options};
use labkit::grade::expect;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_confirmed_message_survives_a_broker_crash() {
    let mut broker = broker::private(Kind::RabbitMq, Options::new())
        .await
        .expect("a private RabbitMQ (install rabbitmq-server): this test crashes it");
    let conn = support::connect(broker.url()).await.unwrap();
    let queue = support::unique("payments");
    let messages: Vec<String> = (0..500).map(|i| format!("payment {i}")).collect();
    let confirmed = confirms::publish_all(&conn, &queue, &messages)
        .await
        .unwrap();
    expect(
        confirmed == 500,
        "the broker confirms all 500 messages",
        confirmed,
    );
    broker.kill().await.unwrap();
    drop(conn);
    broker.start().await.unwrap();
    let conn = support::connect(broker.url()).await.unwrap();
    let held = support::depth(&conn, &queue).await.unwrap();
    expect(
        held.unwrap_or(0) as usize >= confirmed && confirmed > 0,
        "after SIGKILL and a restart the queue still holds every confirmed message",
        format!("confirmed {confirmed}, queue after the crash: {held:?}"),
    );
}
