//! Grading test for `amqp-retry`: a job that always fails is delivered
//! 1 + 3 times, then lands in the dead queue, and never again in `work`.

use std::time::Duration;

use futures::StreamExt;
use lab_amqp_exercises::{retry, support};
use labkit::grade::expect;
use lapin::BasicProperties;
use lapin::options::{BasicConsumeOptions, BasicNackOptions, BasicQosOptions};
use lapin::types::FieldTable;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_job_is_retried_three_times_then_dead_lettered() {
    let broker = labkit::broker::rabbitmq()
        .await
        .expect("a RabbitMQ to grade against");
    let conn = support::connect(broker.url()).await.unwrap();
    let ch = conn.create_channel().await.unwrap();
    let (work, dead) = (support::unique("work"), support::unique("dead"));
    let declared = retry::declare_pipeline(&ch, &work, &dead, 3).await;
    expect(declared.is_ok(), "declare_pipeline succeeds", &declared);
    ch.basic_publish(
        "",
        &work,
        Default::default(),
        b"resize corrupt.png",
        BasicProperties::default().with_delivery_mode(2),
    )
    .await
    .unwrap()
    .await
    .unwrap();

    let consumer_ch = conn.create_channel().await.unwrap();
    consumer_ch
        .basic_qos(1, BasicQosOptions::default())
        .await
        .unwrap();
    let mut jobs = consumer_ch
        .basic_consume(
            &work,
            "",
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
    let mut deliveries = 0;
    while deliveries < 20 {
        let Ok(Some(Ok(d))) = tokio::time::timeout(Duration::from_secs(2), jobs.next()).await
        else {
            break;
        };
        deliveries += 1;
        d.acker
            .nack(BasicNackOptions {
                requeue: true,
                multiple: false,
            })
            .await
            .unwrap(); // always fails
    }
    expect(
        deliveries == 4,
        "the job is delivered once and retried three times, no more",
        deliveries,
    );
    let parked = support::drain(&ch, &dead).await.unwrap_or_default();
    expect(
        parked == ["resize corrupt.png"],
        "after its last retry the job waits in the dead queue",
        &parked,
    );
}
