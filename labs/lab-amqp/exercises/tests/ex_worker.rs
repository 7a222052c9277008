//! Grading test for `amqp-worker`: ten jobs; the first worker finishes
//! three and dies in the middle of its fourth (its handler never returns,
//! then its task is aborted and its TCP connection cut); a second worker
//! takes over. All ten jobs must be handled (a job handled twice is
//! allowed: delivery is at least once); while the first worker was stuck,
//! only its one job may have left the queue; and the queue ends empty.

use std::collections::BTreeSet;
use std::time::Duration;

use lab_amqp_exercises::{support, worker};
use labkit::grade::{expect, expect_eq};
use labkit::wire::Proxy;
use lapin::BasicProperties;
use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;

/// Hang guard: every wait below ends in well under a second when it works.
const PATIENCE: Duration = Duration::from_secs(10);

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
        .unwrap()
        .await
        .unwrap();
    }

    // The first worker's handler: three jobs done, the fourth never ends.
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let (stuck_tx, mut stuck_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let started = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let doomed_handler = {
        let done_tx = done_tx.clone();
        move |body: String| {
            let (done_tx, stuck_tx, started) = (done_tx.clone(), stuck_tx.clone(), started.clone());
            async move {
                if started.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 3 {
                    tokio::time::sleep(Duration::from_millis(20)).await; // the work
                    let _ = done_tx.send(body);
                } else {
                    let _ = stuck_tx.send(body);
                    std::future::pending::<()>().await; // the process dies mid-job
                }
            }
        }
    };

    let proxy = Proxy::start(broker.addr()).await.unwrap();
    let through_proxy = broker
        .url()
        .replace(&broker.addr().to_string(), &proxy.addr().to_string());
    let doomed = support::connect(&through_proxy).await.unwrap();
    let q = queue.clone();
    let first = tokio::spawn(async move { worker::run_worker(&doomed, &q, doomed_handler).await });
    let mut done = BTreeSet::new();
    while done.len() < 3 {
        let Ok(Some(job)) = tokio::time::timeout(PATIENCE, done_rx.recv()).await else {
            break;
        };
        done.insert(job);
    }
    let stuck = tokio::time::timeout(PATIENCE, stuck_rx.recv()).await;
    expect(
        matches!(stuck, Ok(Some(_))) && done.len() == 3,
        "the first worker handles jobs one after another: three done, then a fourth started",
        format!("done {done:?}, fourth started: {stuck:?}"),
    );
    // Let whatever the worker sent before it got stuck (an early ack, a
    // prefetch) reach the broker before we look and before it dies.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let waiting = support::depth(&conn, &queue).await.unwrap();

    // The first worker's process dies: its task (with anything it had
    // buffered) is gone, and so is its TCP connection.
    first.abort();
    proxy.faults().cut_all();

    let survivor = support::connect(broker.url()).await.unwrap();
    let q = queue.clone();
    let handler = move |body: String| {
        let done_tx = done_tx.clone();
        async move {
            let _ = done_tx.send(body);
        }
    };
    tokio::spawn(async move { worker::run_worker(&survivor, &q, handler).await });
    while done.len() < 10 {
        let Ok(Some(job)) = tokio::time::timeout(PATIENCE, done_rx.recv()).await else {
            break;
        };
        done.insert(job);
    }
    expect(
        done.len() == 10,
        "all ten jobs are handled, the one the first worker died holding too",
        &done,
    );
    expect_eq(
        waiting,
        Some(6),
        "while a worker is busy with one job, the six not yet started wait in the queue for other workers (prefetch 1)",
    );
    let left = support::depth(&conn, &queue).await.unwrap();
    expect(
        left == Some(0),
        "the queue ends empty: every job was acknowledged",
        left,
    );
}
