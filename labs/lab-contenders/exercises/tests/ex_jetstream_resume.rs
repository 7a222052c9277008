//! Grading tests for `contenders-jetstream-resume`.
//!
//! Each test starts a private nats-server with JetStream, creates the
//! stream `CHARGES` and publishes charges to it. Every run of your worker
//! is a restart: a new connection, the previous one closed.

use std::time::Duration;

use async_nats::jetstream::{self, stream};
use lab_contenders::nats_client::{connect, round_trip};
use lab_contenders_exercises::jetstream_resume::{STREAM, WORKER, run_worker};
use labkit::broker::{self, Broker, Kind, Options};
use labkit::grade::{expect, expect_eq, expect_ok};

/// A private server holding the stream, and a client to publish with.
async fn server() -> (Broker, jetstream::Context) {
    let server = expect_ok(
        broker::private(Kind::Nats, Options::new()).await,
        "a private nats-server starts (is the nats-server package installed?)",
    );
    let js = jetstream::new(connect(server.url()).await.unwrap());
    js.create_stream(stream::Config {
        name: STREAM.into(),
        subjects: vec!["charges.>".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    (server, js)
}

/// Publishes charges `from..=to`; the stream numbers them the same way.
async fn publish(js: &jetstream::Context, from: u64, to: u64) {
    for n in from..=to {
        let ack = js
            .publish("charges.EUR", format!("charge {n}").into())
            .await
            .unwrap()
            .await
            .unwrap();
        assert_eq!(
            ack.sequence, n,
            "the grader's stream numbers charges from 1"
        );
    }
}

/// One run of the worker on a connection of its own: the sequences it
/// handled, and what it returned. `fail_at` makes `process` fail there.
async fn run(server: &Broker, fail_at: Option<u64>) -> (Vec<u64>, anyhow::Result<usize>) {
    let client = connect(server.url()).await.unwrap();
    let js = jetstream::new(client.clone());
    let mut handled = Vec::new();
    let outcome = tokio::time::timeout(
        Duration::from_secs(5),
        run_worker(&js, |sequence, _payload| {
            if fail_at == Some(sequence) {
                anyhow::bail!("the card network is down");
            }
            handled.push(sequence);
            Ok(())
        }),
    )
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(_) => Err(anyhow::anyhow!("the run did not end within 5 s")),
    };
    round_trip(&client).await.unwrap(); // what it sent has reached the server
    drop(js);
    drop(client);
    (handled, outcome)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_worker_carries_on_where_it_stopped() {
    let (server, js) = server().await;
    publish(&js, 1, 10).await;
    let (first, outcome) = run(&server, None).await;
    expect(
        outcome.is_ok(),
        "the first run ends on its own once no charge is left",
        &outcome,
    );
    expect_eq(
        first,
        (1..=10).collect(),
        "the first run handles charges 1 to 10, once each, in order",
    );
    publish(&js, 11, 20).await;
    let (second, _) = run(&server, None).await;
    expect_eq(
        second,
        (11..=20).collect(),
        "after a restart the worker handles 11 to 20: none again, none skipped",
    );
    let (third, _) = run(&server, None).await;
    expect_eq(third, vec![], "a third run finds nothing left to handle");
    if let Ok(mut consumer) = js
        .get_stream(STREAM)
        .await
        .unwrap()
        .get_consumer::<jetstream::consumer::pull::Config>(WORKER)
        .await
    {
        let info = consumer.info().await.unwrap();
        expect_eq(
            info.num_ack_pending,
            0,
            "no handled charge is left unacknowledged (it would be delivered again)",
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_charge_that_failed_comes_back_first_on_the_next_run() {
    let (server, js) = server().await;
    publish(&js, 1, 10).await;
    let (first, outcome) = run(&server, Some(4)).await;
    expect(
        outcome
            .as_ref()
            .is_err_and(|e| e.to_string().contains("card network")),
        "the run stops with the error `process` returned for charge 4",
        &outcome,
    );
    expect_eq(
        first,
        vec![1, 2, 3],
        "charges 1 to 3 were handled before it",
    );
    let (second, _) = run(&server, None).await;
    expect_eq(
        second,
        (4..=10).collect(),
        "the next run handles charge 4 first, then 5 to 10, once each",
    );
}
