//! Scenario `session`: what waits for a subscriber while it is away.
//!
//! A dashboard subscribes at QoS 1 and disconnects. Five alerts are
//! published while it is gone. When it comes back, a broker that kept its
//! session (clean session off) hands it the five; with a clean session
//! there is nothing to hand over. The kept session is then put through a
//! broker restart: a clean stop (SIGTERM), where Mosquitto writes its
//! store, and a crash (SIGKILL), where it does not.

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::client::{self, Subscriber};
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- session` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "session",
    "QoS 1 messages queued for an absent subscriber, across a restart and a crash",
    "a clean session gets nothing; a crash loses what the broker had not saved",
);

/// The dashboard's subscription.
pub const FILTER: &str = "greenhouse/+/alerts";

/// What happens to the broker while the dashboard is away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meanwhile {
    Nothing,
    /// Stopped with SIGTERM and started again (needs a private broker).
    CleanRestart,
    /// Killed with SIGKILL and started again (needs a private broker).
    Crash,
}

// ANCHOR: away
/// Subscribes, leaves, has five alerts published, comes back; returns how
/// many of the five the dashboard received on its return.
pub async fn away(
    broker: &Broker,
    clean_session: bool,
    meanwhile: Meanwhile,
) -> anyhow::Result<usize> {
    // ANCHOR: dashboard_session
    let id = format!("dashboard-{clean_session}-{meanwhile:?}");
    let options = |addr| {
        let mut o = client::options(&id, addr);
        o.set_clean_session(clean_session);
        o
    };
    Subscriber::start(options(broker.addr()), FILTER, 1)
        .await?
        .disconnect()
        .await;
    // ANCHOR_END: dashboard_session

    let (sensor, mut events, _) =
        client::connect(client::options("alerting-sensor", broker.addr())).await?;
    for i in 0..5 {
        let alert = format!("alert {i}");
        client::publish_and_wait(
            &sensor,
            &mut events,
            "greenhouse/7/alerts",
            1,
            false,
            alert.into(),
        )
        .await?;
    }
    let _ = sensor.disconnect().await;
    match meanwhile {
        Meanwhile::Nothing => {}
        Meanwhile::CleanRestart => broker.restart().await?,
        Meanwhile::Crash => broker.crash_and_start().await?,
    }

    // Back again; subscribe again (harmless on a kept session) and fence.
    let mut dashboard = Subscriber::start(options(broker.addr()), FILTER, 1).await?;
    let (fence, mut events, _) =
        client::connect(client::options("alert-fence", broker.addr())).await?;
    client::publish_and_wait(
        &fence,
        &mut events,
        "greenhouse/0/alerts",
        1,
        false,
        b"fence".to_vec(),
    )
    .await?;
    let seen = dashboard
        .until(b"fence")
        .await
        .context("waiting for the fence")?;
    dashboard.disconnect().await;
    client::forget(broker.addr(), &id).await?;
    Ok(seen
        .iter()
        .filter(|p| p.payload.starts_with(b"alert "))
        .count())
}
// ANCHOR_END: away

/// The `session` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.broker().await?;
    let mut table = Table::new(
        "Five QoS 1 alerts published while the dashboard was away",
        &[
            "dashboard's session",
            "meanwhile, the broker",
            "alerts received on return",
        ],
    );
    let mut report = Report::new(crate::LAB, "session");
    let mut rows = Vec::new();
    for clean in [true, false] {
        rows.push((
            clean,
            Meanwhile::Nothing,
            away(broker, clean, Meanwhile::Nothing).await?,
        ));
    }
    // Restarts need a broker the lab may stop: this one if it is private,
    // else a private Mosquitto of its own.
    let own;
    let restartable = if broker.is_restartable() {
        Some(broker)
    } else {
        match lab.private_broker(labkit::broker::Options::new()).await {
            Ok(b) => {
                own = b;
                Some(&own)
            }
            Err(e) => {
                table.note(format!(
                    "restarts skipped: no private Mosquitto to restart ({e:#})"
                ));
                None
            }
        }
    };
    if let Some(t) = restartable {
        for meanwhile in [Meanwhile::CleanRestart, Meanwhile::Crash] {
            rows.push((false, meanwhile, away(t, false, meanwhile).await?));
        }
    }
    for (clean, meanwhile, got) in rows {
        table.row([
            if clean { "clean (forgotten)" } else { "kept" }.to_string(),
            match meanwhile {
                Meanwhile::Nothing => "kept running",
                Meanwhile::CleanRestart => "stopped cleanly and restarted",
                Meanwhile::Crash => "was killed (SIGKILL) and restarted",
            }
            .to_string(),
            format!("{got} of 5"),
        ]);
        report.value(&format!("clean_{clean}_{meanwhile:?}").to_lowercase(), got);
    }
    table.note("Mosquitto 2.0.11 writes its store at a clean shutdown and every autosave_interval (1800 s by default)");
    report.table(table);
    Ok(report)
}
