//! Grading test for `amqp-retry`: a job that always fails is delivered
//! once plus `retries` times, then lands in the dead queue, and never again
//! in `work`. Checked with three retries and with one, so a limit written
//! as a constant fails one of them.

use std::time::Duration;

use futures::StreamExt;
use lab_amqp_exercises::{retry, support};
use labkit::broker::Broker;
use labkit::grade::{expect, expect_eq};
use lapin::BasicProperties;
use lapin::options::{BasicConsumeOptions, BasicNackOptions, BasicQosOptions};
use lapin::types::FieldTable;

/// How long a silent queue means "no more deliveries are coming".
const QUIET: Duration = Duration::from_secs(2);

/// Declares the pipeline with `retries`, publishes one job, fails every
/// delivery of it (nack with requeue) and returns how many deliveries came
/// and what the dead queue holds afterwards.
async fn fail_until_parked(broker: &Broker, retries: u32) -> (usize, Vec<String>) {
    let conn = support::connect(broker.url()).await.unwrap();
    let ch = conn.create_channel().await.unwrap();
    let (work, dead) = (support::unique("work"), support::unique("dead"));
    let declared = retry::declare_pipeline(&ch, &work, &dead, retries).await;
    expect(
        declared.is_ok(),
        "declare_pipeline succeeds",
        declared.as_ref().map_err(|e| format!("{e:#}")),
    );
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
        let Ok(Some(Ok(d))) = tokio::time::timeout(QUIET, jobs.next()).await else {
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
    let parked = support::drain(&ch, &dead).await.unwrap_or_default();
    conn.close(200, "done").await.ok();
    (deliveries, parked)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_job_is_retried_three_times_then_dead_lettered() {
    let broker = labkit::broker::rabbitmq()
        .await
        .expect("a RabbitMQ to grade against");
    for (retries, sentence) in [
        (
            3,
            "with retries = 3 the job is delivered once and retried three times: 4 deliveries, no more",
        ),
        (
            1,
            "with retries = 1 the job is delivered once and retried once: 2 deliveries, no more",
        ),
    ] {
        let (deliveries, parked) = fail_until_parked(&broker, retries).await;
        expect_eq(deliveries, 1 + retries as usize, sentence);
        expect_eq(
            parked,
            vec!["resize corrupt.png".to_string()],
            "after its last retry the job waits in the dead queue",
        );
    }
}
