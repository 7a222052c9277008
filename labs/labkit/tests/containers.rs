//! The container path, for real: a broker of each kind from Docker alone —
//! no URL, no installed program — and one real claim through each, then
//! proof that no container outlives its handle or a killed test process.
//!
//! These tests need a Docker engine and the images labkit names, so an
//! ordinary `cargo nextest run` skips them (they are `#[ignore]`d and counted
//! as skipped). `.ci/docker test` starts a private engine with look-alike
//! images and runs them with `--run-ignored only`; a reader with Docker can
//! run `cargo nextest run -p labkit --test containers --run-ignored only`.
//! Asked to run with no engine, each fails in one line saying so.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use labkit::broker::{Broker, Finder, Kind, Place, Source};

/// The variable that turns the helper test into the child of the kill test.
const CHILD: &str = "LABKIT_CONTAINERS_CHILD";

/// A broker from a container and nowhere else.
async fn container(kind: Kind) -> Broker {
    let broker = Finder::new(kind)
        .places(&[Place::Container])
        .find()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        broker.source(),
        &Source::Container {
            image: kind.image()
        },
        "{broker}"
    );
    broker
}

/// The ids of the containers labkit started for process `pid` (its label),
/// running or not, as the `docker` command lists them.
fn containers_of(pid: u32) -> Vec<String> {
    let out = Command::new("docker")
        .args(["ps", "-aq", "--filter"])
        .arg(format!("label=org.labkit.pid={pid}"))
        .output()
        .expect("the docker command runs");
    assert!(
        out.status.success(),
        "docker ps failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Wait (bounded) until process `pid` has no container left.
fn until_none_of(pid: u32, limit: Duration) -> Vec<String> {
    let deadline = Instant::now() + limit;
    loop {
        let left = containers_of(pid);
        if left.is_empty() || Instant::now() > deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[tokio::test]
#[ignore = "needs a Docker engine with the broker images: .ci/docker test runs it"]
async fn mosquitto_container_keeps_a_retained_message() {
    use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
    let broker = container(Kind::Mosquitto).await;
    let e = broker.endpoint();
    let (client, mut events) = AsyncClient::new(MqttOptions::new("publisher", &e.host, e.port), 8);
    client
        .publish("lab/retained", QoS::AtLeastOnce, true, "kept")
        .await
        .unwrap();
    // Drive the publisher until the broker acknowledged the message.
    tokio::time::timeout(Duration::from_secs(10), async {
        while !matches!(
            events.poll().await.unwrap(),
            Event::Incoming(Packet::PubAck(_))
        ) {}
    })
    .await
    .expect("PUBACK within 10 s");
    client.disconnect().await.unwrap();

    // A subscriber that arrives afterwards still gets it, flagged retained.
    let (late, mut events) = AsyncClient::new(MqttOptions::new("late", &e.host, e.port), 8);
    late.subscribe("lab/retained", QoS::AtLeastOnce)
        .await
        .unwrap();
    let got = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Event::Incoming(Packet::Publish(p)) = events.poll().await.unwrap() {
                return p;
            }
        }
    })
    .await
    .expect("the retained message within 10 s");
    assert!(got.retain, "delivered with the retain flag");
    assert_eq!(&got.payload[..], b"kept");
}

#[tokio::test]
#[ignore = "needs a Docker engine with the broker images: .ci/docker test runs it"]
async fn rabbitmq_container_confirms_a_publish() {
    use lapin::options::{
        BasicGetOptions, BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions,
    };
    use lapin::publisher_confirm::Confirmation;
    use lapin::types::FieldTable;
    use lapin::{BasicProperties, Connection, ConnectionProperties};
    let broker = container(Kind::RabbitMq).await;
    let conn = Connection::connect(broker.url(), ConnectionProperties::default())
        .await
        .unwrap();
    let ch = conn.create_channel().await.unwrap();
    ch.confirm_select(ConfirmSelectOptions::default())
        .await
        .unwrap();
    ch.queue_declare(
        "lab.confirmed",
        QueueDeclareOptions::default(),
        FieldTable::default(),
    )
    .await
    .unwrap();
    let confirm = ch
        .basic_publish(
            "",
            "lab.confirmed",
            BasicPublishOptions::default(),
            b"charge 1",
            BasicProperties::default(),
        )
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(confirm, Confirmation::Ack(None), "the broker acked it");
    let got = ch
        .basic_get("lab.confirmed", BasicGetOptions { no_ack: true })
        .await
        .unwrap()
        .expect("the confirmed message is in the queue");
    assert_eq!(got.delivery.data, b"charge 1");
    conn.close(200, "bye").await.unwrap();
}

#[tokio::test]
#[ignore = "needs a Docker engine with the broker images: .ci/docker test runs it"]
async fn nats_container_stores_a_jetstream_publish() {
    use async_nats::jetstream::{self, stream};
    let broker = container(Kind::Nats).await;
    let js = jetstream::new(async_nats::connect(broker.url()).await.unwrap());
    let mut events = js
        .create_stream(stream::Config {
            name: "LAB".into(),
            subjects: vec!["lab.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    let ack = js
        .publish("lab.charge", "charge 1".into())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(ack.stream, "LAB");
    assert_eq!(ack.sequence, 1, "the first message the stream stored");
    let info = events.info().await.unwrap();
    assert_eq!(info.state.messages, 1, "the stream holds it");
}

#[tokio::test]
#[ignore = "needs a Docker engine with the broker images: .ci/docker test runs it"]
async fn redis_container_delivers_pubsub() {
    use futures::StreamExt;
    use redis::AsyncCommands;
    let broker = container(Kind::Redis).await;
    let client = redis::Client::open(broker.url()).unwrap();
    let mut pubsub = client.get_async_pubsub().await.unwrap();
    pubsub.subscribe("lab.events").await.unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let receivers: i64 = conn.publish("lab.events", "reading 1").await.unwrap();
    assert_eq!(receivers, 1, "one subscriber was listening");
    let message = tokio::time::timeout(Duration::from_secs(10), pubsub.on_message().next())
        .await
        .expect("the message within 10 s")
        .expect("a message");
    assert_eq!(message.get_payload::<String>().unwrap(), "reading 1");
}

#[tokio::test]
#[ignore = "needs a Docker engine with the broker images: .ci/docker test runs it"]
async fn postgres_container_trusts_a_login() {
    let broker = container(Kind::Postgres).await;
    // A fresh connection: the startup message for user postgres is answered
    // AuthenticationOk, no password asked (the image was told to trust).
    broker.probe().await.unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
#[ignore = "needs a Docker engine with the broker images: .ci/docker test runs it"]
async fn container_is_removed_when_the_handle_drops() {
    let me = std::process::id();
    let broker = container(Kind::Redis).await;
    assert_eq!(containers_of(me).len(), 1, "one container while held");
    drop(broker);
    assert_eq!(
        containers_of(me),
        Vec::<String>::new(),
        "no container once the handle dropped"
    );
}

#[test]
#[ignore = "needs a Docker engine with the broker images: .ci/docker test runs it"]
fn container_is_removed_when_the_test_process_is_killed() {
    // The child is this test binary running `helper_holds_a_container`.
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "helper_holds_a_container",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the test binary starts again");
    let pid = child.id();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.find_map(|l| {
        let l = l.ok()?;
        l.contains("holding a container").then_some(l)
    });
    if ready.is_none() {
        let _ = child.kill();
        panic!("the child never started its container: {:?}", child.wait());
    }
    assert_eq!(containers_of(pid).len(), 1, "the child holds one container");
    // SIGKILL: no Drop, no unwinding, no chance to clean up.
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        until_none_of(pid, Duration::from_secs(15)),
        Vec::<String>::new(),
        "the killed process's container was removed"
    );
}

/// Not a test on its own: the child of the test above (does nothing
/// unless that test started it).
#[tokio::test]
#[ignore = "needs a Docker engine with the broker images: .ci/docker test runs it"]
async fn helper_holds_a_container() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let _broker = container(Kind::Redis).await;
    println!("holding a container");
    tokio::time::sleep(Duration::from_secs(60)).await;
    panic!("the parent should have killed this process within 60 s");
}
