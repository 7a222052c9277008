//! Scenario `scale` (a benchmark, not a test): many devices on one broker,
//! against a raw-TCP echo floor measured in the same run.
//!
//! N clients connect, each subscribes to its own topic, and each then
//! publishes one message that the broker routes back to it. The same N
//! round trips are done over plain TCP to an echo server in this process:
//! the floor no protocol can beat on this machine. A brokered message
//! makes two hops, so twice the floor is shown as well. Then one message
//! is fanned out from one publisher to all N.
//!
//! Timings on a shared two-core machine move from run to run; the ratios
//! measured side by side are what to read.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context;
use futures::future::try_join_all;
use labkit::cli::Progress;
use labkit::cli::Scenario;
use labkit::measure::{Latencies, duration_ratio, fmt_ratio, human_duration};
use labkit::report::{BarChart, Report, Table};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::client::{self, Subscriber};
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- scale` runs it.
pub const SCENARIO: Scenario = Scenario::benchmark(
    "scale",
    "1,000 clients against a raw-TCP floor",
    "ratios against the floor measured in the same run, not absolute times",
);

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Scale {
    pub clients: usize,
    pub tcp_connect: Duration,
    /// One round trip per client, all at once: when each finished,
    /// counted from the start of the burst.
    pub tcp_round_trips: Burst,
    pub mqtt_connect: Duration,
    pub mqtt_qos0: Burst,
    pub mqtt_qos1: Burst,
    pub mqtt_fan_out: Duration,
}

/// A burst of round trips: the whole burst and each one's finish time.
#[derive(Debug, Clone)]
pub struct Burst {
    pub total: Duration,
    pub finished: Latencies,
}

impl Burst {
    fn new(times: Vec<Duration>) -> Burst {
        let mut finished = Latencies::new();
        for t in &times {
            finished.record(*t);
        }
        Burst {
            total: times.into_iter().max().unwrap_or_default(),
            finished,
        }
    }
}

/// Publishes one message per client on its own topic at `level` and
/// waits until every client got its own back.
async fn mqtt_burst(subs: &mut [Subscriber], level: u8) -> anyhow::Result<Burst> {
    let started = Instant::now();
    for (i, s) in subs.iter().enumerate() {
        s.client
            .publish(
                format!("scale/{i}"),
                client::qos(level),
                false,
                vec![7u8; 32],
            )
            .await?;
    }
    let times = try_join_all(subs.iter_mut().map(|s| async move {
        s.next(client::PATIENCE)
            .await
            .context("a device never got its echo back")?;
        Ok::<_, anyhow::Error>(started.elapsed())
    }))
    .await?;
    Ok(Burst::new(times))
}

async fn echo_server() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 256];
                while let Ok(n) = sock.read(&mut buf).await {
                    if n == 0 || sock.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    Ok(addr)
}

/// The floor: N TCP connections, then one 32-byte echo on each, all at once.
async fn tcp_floor(clients: usize) -> anyhow::Result<(Duration, Burst)> {
    let addr = echo_server().await?;
    let started = Instant::now();
    // In batches of 100, like the MQTT clients: 1,000 SYNs at once overflow
    // the listen backlog and wait a second for the retransmission.
    let mut socks = Vec::with_capacity(clients);
    for batch in (0..clients).collect::<Vec<_>>().chunks(100) {
        socks.extend(try_join_all(batch.iter().map(|_| TcpStream::connect(addr))).await?);
    }
    let connect = started.elapsed();
    let started = Instant::now();
    let times = try_join_all(socks.iter_mut().map(|s| async move {
        s.write_all(&[7u8; 32]).await?;
        let mut buf = [0u8; 32];
        s.read_exact(&mut buf).await?;
        Ok::<_, std::io::Error>(started.elapsed())
    }))
    .await?;
    Ok((connect, Burst::new(times)))
}

/// Runs the benchmark with `clients` MQTT clients.
pub async fn measure(broker: &Broker, clients: usize) -> anyhow::Result<Scale> {
    let (tcp_connect, tcp_round_trips) = tcp_floor(clients).await?;

    let mut progress = Progress::new("connecting MQTT clients", clients as u64);
    let started = Instant::now();
    let mut subs = Vec::with_capacity(clients);
    // Connect in batches of 100 so the broker's accept queue is not flooded.
    for batch in (0..clients).collect::<Vec<_>>().chunks(100) {
        let connected = try_join_all(batch.iter().map(|i| async move {
            let topic = format!("scale/{i}");
            Subscriber::start(
                client::options(&format!("device-{i}"), broker.addr()),
                &topic,
                0,
            )
            .await
        }))
        .await?;
        progress.advance(connected.len() as u64);
        subs.extend(connected);
    }
    drop(progress);
    let mqtt_connect = started.elapsed();
    for (i, s) in subs.iter().enumerate() {
        s.client
            .subscribe("scale/all", client::qos(0))
            .await
            .with_context(|| format!("device-{i}"))?;
    }
    tokio::time::sleep(Duration::from_millis(500)).await; // let the SUBACKs settle

    let mqtt_qos0 = mqtt_burst(&mut subs, 0).await?;
    // The same at QoS 1 on both hops: subscribe again at QoS 1 (it replaces
    // the QoS 0 subscription), and publish at QoS 1.
    for (i, s) in subs.iter().enumerate() {
        s.client
            .subscribe(format!("scale/{i}"), client::qos(1))
            .await?;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mqtt_qos1 = mqtt_burst(&mut subs, 1).await?;

    let (fan, mut events, _) = client::connect(client::options("fan-out", broker.addr())).await?;
    let started = Instant::now();
    client::publish_and_wait(&fan, &mut events, "scale/all", 0, false, vec![7u8; 32]).await?;
    try_join_all(subs.iter_mut().map(|s| async move {
        s.next(client::PATIENCE)
            .await
            .context("a device missed the fan-out")
    }))
    .await?;
    let mqtt_fan_out = started.elapsed();
    for s in subs {
        s.disconnect().await;
    }
    Ok(Scale {
        clients,
        tcp_connect,
        tcp_round_trips,
        mqtt_connect,
        mqtt_qos0,
        mqtt_qos1,
        mqtt_fan_out,
    })
}

/// The `scale` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.broker().await?;
    let s = measure(broker, 1_000).await?;
    let mut table = Table::new(
        format!(
            "{} clients on one broker ({}), raw TCP in the same run",
            s.clients,
            broker.describe().split(" (").next().unwrap_or("")
        ),
        &["step", "raw TCP", "MQTT", "MQTT / TCP", "MQTT / (2 x TCP)"],
    );
    table.row([
        "connect all".to_string(),
        human_duration(s.tcp_connect),
        human_duration(s.mqtt_connect),
        fmt_ratio(duration_ratio(s.mqtt_connect, s.tcp_connect)),
        "".into(),
    ]);
    let tcp = &s.tcp_round_trips;
    for (what, burst) in [("QoS 0", &s.mqtt_qos0), ("QoS 1", &s.mqtt_qos1)] {
        for (label, t, m) in [
            ("all done", tcp.total, burst.total),
            (
                "p50 finish",
                tcp.finished.quantile(0.5),
                burst.finished.quantile(0.5),
            ),
            (
                "p99 finish",
                tcp.finished.quantile(0.99),
                burst.finished.quantile(0.99),
            ),
        ] {
            table.row([
                format!("one round trip each, {what}: {label}"),
                human_duration(t),
                human_duration(m),
                fmt_ratio(duration_ratio(m, t)),
                fmt_ratio(duration_ratio(m, 2 * t)),
            ]);
        }
    }
    table.row([
        "one message to all (fan-out)".to_string(),
        "".into(),
        human_duration(s.mqtt_fan_out),
        "".into(),
        "".into(),
    ]);
    table.note("MQTT connect includes SUBSCRIBE and its SUBACK; finish times count from the start of each burst");
    let chart = BarChart::new(
        format!("{} clients: time for every client to finish", s.clients),
        "ms",
    )
    .categories(["connect all", "round trips, QoS 0", "round trips, QoS 1"])
    .series(
        "raw TCP",
        [s.tcp_connect, tcp.total, tcp.total].map(|d| d.as_secs_f64() * 1e3),
    )
    .series(
        "MQTT via broker",
        [s.mqtt_connect, s.mqtt_qos0.total, s.mqtt_qos1.total].map(|d| d.as_secs_f64() * 1e3),
    );
    let mut report = Report::new(crate::LAB, "scale");
    report.table(table);
    report.chart("scale", chart.to_svg());
    report.value("clients", s.clients);
    report.value(
        "connect_ratio",
        duration_ratio(s.mqtt_connect, s.tcp_connect),
    );
    report.value("qos0_ratio", duration_ratio(s.mqtt_qos0.total, tcp.total));
    report.value("qos1_ratio", duration_ratio(s.mqtt_qos1.total, tcp.total));
    report.value("fan_out_ms", s.mqtt_fan_out.as_secs_f64() * 1e3);
    Ok(report)
}
