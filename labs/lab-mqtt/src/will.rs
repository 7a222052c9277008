//! Scenario `will`: the last will, published by the broker when a client
//! goes silent, and not when it says goodbye.
//!
//! A device connects through the proxy with a short keep-alive and a will
//! ("offline" on its status topic). Then the proxy turns into a black hole
//! and the device stops running, as if its power or its network failed:
//! no packet, no FIN, nothing. Only the broker's keep-alive timer can
//! notice. MQTT 3.1.1 says that once one and a half times the keep-alive
//! has passed without a packet, the server must close the connection
//! [MQTT-3.1.2-24], which sets off the will. Mosquitto 2.0.11 looks for
//! such clients only every few seconds and counts in whole seconds (its
//! `src/keepalive.c`), so the will comes a few seconds after that.

use std::time::{Duration, Instant};

use anyhow::Context;
use labkit::cli::{Need, Scenario};
use labkit::report::{Report, Table};
use labkit::wire::Proxy;
use rumqttc::{LastWill, QoS};

use crate::client::{self, Subscriber};
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- will` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "will",
    "a device that goes silent, and one that says goodbye",
    "the will arrives only for the silent one, after the keep-alive ran out",
)
.needs(&[Need::Mosquitto]);

/// Where the device says whether it is alive.
pub const STATUS: &str = "greenhouse/7/status";

/// What a watcher saw after a device disappeared.
#[derive(Debug, Clone)]
pub struct Silence {
    pub keep_alive: Duration,
    /// From the device's last packet leaving to the will arriving.
    pub will_after: Option<Duration>,
}

// ANCHOR: will_options
fn device_options(id: &str, proxy: &Proxy, keep_alive: Duration) -> rumqttc::MqttOptions {
    let mut o = client::options(id, proxy.addr());
    o.set_keep_alive(keep_alive);
    o.set_last_will(LastWill::new(STATUS, "offline", QoS::AtLeastOnce, false));
    o
}
// ANCHOR_END: will_options

// ANCHOR: silent
/// The device goes silent (black hole, no more polling); returns when the
/// will arrived and how long after the device's last packet.
pub async fn silent(broker: &Broker, keep_alive: Duration) -> anyhow::Result<Silence> {
    let mut watcher =
        Subscriber::start(client::options("will-watcher", broker.addr()), STATUS, 1).await?;
    let proxy = Proxy::start(broker.addr()).await?;
    let (device, mut events, _) =
        client::connect(device_options("sensor-7", &proxy, keep_alive)).await?;
    let last_packet = Instant::now();
    client::publish_and_wait(&device, &mut events, STATUS, 1, false, b"online".to_vec()).await?;
    proxy.faults().set_black_hole(true);
    // From here on the device's event loop is never polled: it sends nothing.
    let wait = keep_alive * 3 / 2 + client::PATIENCE;
    let mut will_after = None;
    while let Some(p) = watcher.next(wait).await {
        if p.payload.as_ref() == b"offline" {
            will_after = Some(last_packet.elapsed());
            break;
        }
    }
    drop(events);
    Ok(Silence {
        keep_alive,
        will_after,
    })
}
// ANCHOR_END: silent

/// The device's TCP connection is cut (the proxy closes both sides, as a
/// crashed process's operating system would): no DISCONNECT was sent, so
/// the broker publishes the will at once, with no keep-alive to wait for.
/// Returns what the watcher saw.
pub async fn cut(broker: &Broker) -> anyhow::Result<Vec<String>> {
    let mut watcher =
        Subscriber::start(client::options("will-watcher-3", broker.addr()), STATUS, 1).await?;
    let proxy = Proxy::start(broker.addr()).await?;
    let (device, mut events, _) =
        client::connect(device_options("sensor-9", &proxy, Duration::from_secs(60))).await?;
    client::publish_and_wait(&device, &mut events, STATUS, 1, false, b"online".to_vec()).await?;
    proxy.faults().cut_all();
    let mut seen = Vec::new();
    while let Some(p) = watcher.next(client::PATIENCE).await {
        seen.push(String::from_utf8_lossy(&p.payload).into_owned());
        if p.payload.as_ref() == b"offline" {
            break;
        }
    }
    drop(events);
    Ok(seen)
}

/// The device disconnects cleanly (a DISCONNECT packet); returns every
/// status message the watcher saw before a fence, which should not include
/// the will.
pub async fn goodbye(broker: &Broker) -> anyhow::Result<Vec<String>> {
    let mut watcher =
        Subscriber::start(client::options("will-watcher-2", broker.addr()), STATUS, 1).await?;
    let proxy = Proxy::start(broker.addr()).await?;
    let (device, mut events, _) =
        client::connect(device_options("sensor-8", &proxy, Duration::from_secs(2))).await?;
    client::publish_and_wait(&device, &mut events, STATUS, 1, false, b"online".to_vec()).await?;
    device.disconnect().await?;
    let _ = client::poll_until(&mut events, "the end of the connection", |_| false).await;
    proxy.wait_closed(client::PATIENCE).await;
    let (other, mut other_events, _) =
        client::connect(client::options("will-fence", broker.addr())).await?;
    client::publish_and_wait(
        &other,
        &mut other_events,
        STATUS,
        1,
        false,
        b"fence".to_vec(),
    )
    .await?;
    let seen = watcher
        .until(b"fence")
        .await
        .context("waiting for the fence")?;
    Ok(seen
        .iter()
        .map(|p| String::from_utf8_lossy(&p.payload).into_owned())
        .collect())
}

/// The `will` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.broker().await?;
    let keep_alive = Duration::from_secs(2);
    let silence = silent(broker, keep_alive).await?;
    let goodbye = goodbye(broker).await?;
    let cut = cut(broker).await?;
    let mut table = Table::new(
        format!(
            "A device with a will and a {}-second keep-alive",
            keep_alive.as_secs()
        ),
        &[
            "how the device left",
            "the status topic showed",
            "will after",
        ],
    );
    table.row([
        "went silent".to_string(),
        if silence.will_after.is_some() {
            "online, offline (the will)"
        } else {
            "online, then nothing"
        }
        .to_string(),
        silence
            .will_after
            .map_or("never".into(), labkit::measure::human_duration),
    ]);
    table.row([
        "connection cut".to_string(),
        cut.join(", "),
        "without waiting for the keep-alive".into(),
    ]);
    table.row([
        "said DISCONNECT".to_string(),
        goodbye.join(", "),
        "never".into(),
    ]);
    table.note("went silent: the proxy became a black hole; connection cut: a device with a 60 s keep-alive, its connection closed by the proxy");
    table.note(format!(
        "after 1.5 x keep-alive = {} of silence the broker must close the connection [MQTT-3.1.2-24]; Mosquitto 2.0.11 checks only every few seconds",
        labkit::measure::human_duration(keep_alive * 3 / 2)
    ));
    let mut report = Report::new(crate::LAB, "will");
    report.table(table);
    report.value("keep_alive_s", keep_alive.as_secs());
    report.value(
        "will_after_ms",
        silence.will_after.map(|d| d.as_millis() as u64),
    );
    report.value("after_disconnect", &goodbye);
    Ok(report)
}
