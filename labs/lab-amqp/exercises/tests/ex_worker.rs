//! Grading test for `amqp-worker`: ten jobs, the first worker's connection
//! is cut after it finished three, a second worker takes over; all ten jobs
//! must be handled (a job handled twice is allowed: delivery is at least once).

use std::collections::BTreeSet;
use std::time::Duration;

use lab_amqp_exercises::{support, worker};
use labkit::grade::expect;
use labkit::wire::Proxy;
use lapin::BasicProperties;
use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_job_is_lost_when_a_worker_dies() {
    let broker = labkit::broker::rabbitmq()
        .await
        .expect("a RabbitMQ to grade against");
    let conn = support::connect(broker.url()).await.unwrap();
    let ch = conn.create_channel().await.unwrap();
    let queue = support::unique("jobs");
    ch.queue_declare(
        &queue,
        QueueDeclareOptions::default(),
        FieldTable::default(),
    )
    .await
    .unwrap();
    for i in 0..10 {
        ch.basic_publish(
            "",
            &queue,
            Default::default(),
            format!("job {i}").as_bytes(),
            BasicProperties::default(),
        )
        .await
        .unwrap();
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let handler = move |body: String| {
        let tx = tx.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(50)).await; // the work takes time
            let _ = tx.send(body);
        }
    };

    let proxy = Proxy::start(broker.addr()).await.unwrap();
    let through_proxy = broker
        .url()
        .replace(&broker.addr().to_string(), &proxy.addr().to_string());
    let doomed = support::connect(&through_proxy).await.unwrap();
    let q = queue.clone();
    let h = handler.clone();
    let first = tokio::spawn(async move { worker::run_worker(&doomed, &q, h).await });
    let mut done = BTreeSet::new();
    while done.len() < 3 {
        let Ok(Some(job)) = tokio::time::timeout(Duration::from_secs(20), rx.recv()).await else {
            break;
        };
        done.insert(job);
    }
    // The first worker's process dies: its task (with anything it had
    // buffered) is gone, and so is its TCP connection.
    first.abort();
    proxy.faults().cut_all();

    let survivor = support::connect(broker.url()).await.unwrap();
    let q = queue.clone();
    tokio::spawn(async move { worker::run_worker(&survivor, &q, handler).await });
    while done.len() < 10 {
        let Ok(Some(job)) = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await else {
            break;
        };
        done.insert(job);
    }
    expect(
        done.len() == 10,
        "all ten jobs are handled although the first worker died mid-run",
        &done,
    );
    let left = support::depth(&conn, &queue).await.unwrap();
    expect(
        left == Some(0),
        "the queue ends empty: every job was acknowledged",
        left,
    );
}
