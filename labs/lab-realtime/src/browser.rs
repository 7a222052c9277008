//! Scenario `browser`: EventSource's reconnection, in a real headless
//! Chromium driven through chromedriver (WebDriver, via fantoccini).
//!
//! The browser opens the lab's demo page, whose `EventSource` receives
//! events. The server then cuts every SSE response. The browser waits the
//! `retry:` delay and reconnects by itself, sending the id of the last
//! event it received as `Last-Event-ID`; the server replays from there.
//! Events published while the browser was away are not lost, and none
//! arrives twice — read from the page's own list.

use std::net::{SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fantoccini::{Client, ClientBuilder};
use labkit::report::{Report, Table};
use serde_json::json;

use crate::server::Hub;

/// The flags that let Chromium run headless here, as root, offline.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// A headless Chromium behind chromedriver; both end when this drops.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // chromedriver and the Chromium processes it started share one
        // process group (see `launch`): end them all, even after a failure
        // that left the WebDriver session open.
        let group = nix::unistd::Pid::from_raw(self.driver.id() as i32);
        let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
        let _ = self.driver.wait();
    }
}

fn find(program: &str, package: &str) -> anyhow::Result<String> {
    for dir in ["/usr/bin", "/usr/local/bin", "/usr/lib/chromium"] {
        let path = format!("{dir}/{program}");
        if std::path::Path::new(&path).exists() {
            return Ok(path);
        }
    }
    bail!("{program} is not installed; install it with: sudo apt-get install {package}")
}

/// Starts chromedriver on a free port and a headless Chromium session.
pub async fn launch() -> anyhow::Result<Browser> {
    let driver_path = find("chromedriver", "chromium-driver")?;
    let chromium = find("chromium", "chromium")?;
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let driver = Command::new(&driver_path)
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot run {driver_path}"))?;
    let profile = tempfile::tempdir()?;
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"binary": chromium, "args": args}),
    );
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut browser_driver = Some(driver);
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() > deadline => {
                if let Some(mut d) = browser_driver.take() {
                    let group = nix::unistd::Pid::from_raw(d.id() as i32);
                    let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
                    let _ = d.wait();
                }
                bail!("chromedriver did not start a Chromium session within 30 s: {e}");
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    Ok(Browser {
        client,
        driver: browser_driver.take().context("driver gone")?,
        _profile: profile,
    })
}

impl Browser {
    /// Evaluates `expr` in the page and returns its value as JSON.
    pub async fn eval(&self, expr: &str) -> anyhow::Result<serde_json::Value> {
        Ok(self
            .client
            .execute(&format!("return {expr};"), vec![])
            .await?)
    }

    /// Waits (up to 30 s, a hang guard) until `expr` is true in the page.
    pub async fn wait_for(&self, expr: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.eval(expr).await? != json!(true) {
            if Instant::now() > deadline {
                bail!("the page never reached `{expr}` within 30 s");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }
}

/// What the browser showed across a cut.
#[derive(Debug, Clone)]
pub struct Reconnection {
    /// Ids in the order the page received them.
    pub received: Vec<u64>,
    /// Ids published while the browser was disconnected.
    pub published_while_away: Vec<u64>,
    /// How many times the EventSource opened.
    pub opens: u64,
    /// `Last-Event-ID` of each SSE request the server received.
    pub last_event_ids: Vec<Option<u64>>,
    /// Whether the browser had not yet reconnected when the events
    /// "published while away" were published.
    pub away_when_published: bool,
}

// ANCHOR: reconnect
/// Publishes `before` events, cuts the stream, publishes `away` more at
/// once (the browser is still waiting its retry delay), then `after` more,
/// and reads what the page received.
pub async fn reconnect(
    server: SocketAddr,
    hub: &Hub,
    before: u64,
    away: u64,
    after: u64,
) -> anyhow::Result<Reconnection> {
    let browser = launch().await?;
    browser.client.goto(&format!("http://{server}/")).await?;
    browser.wait_for("window.sseOpens === 1").await?;
    for _ in 0..before {
        hub.publish("door-opened");
    }
    browser
        .wait_for(&format!("window.sseIds.length === {before}"))
        .await?;

    hub.cut_sse();
    browser.wait_for("window.sseErrors === 1").await?;
    let published_while_away = (0..away).map(|_| hub.publish("door-opened").id).collect();
    // Still away? The server has seen only the first request.
    let away_when_published = hub.last_event_ids().len() == 1;

    browser.wait_for("window.sseOpens === 2").await?;
    for _ in 0..after {
        hub.publish("door-opened");
    }
    let total = before + away + after;
    browser
        .wait_for(&format!("window.sseIds.length >= {total}"))
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await; // would a duplicate follow?
    let received = serde_json::from_value(browser.eval("window.sseIds").await?)?;
    let opens = browser.eval("window.sseOpens").await?.as_u64().unwrap_or(0);
    let _ = browser.client.clone().close().await;
    Ok(Reconnection {
        received,
        published_while_away,
        opens,
        last_event_ids: hub.last_event_ids(),
        away_when_published,
    })
}
// ANCHOR_END: reconnect

/// The `browser` scenario.
pub async fn run(server: SocketAddr, hub: &Hub) -> anyhow::Result<Report> {
    let r = reconnect(server, hub, 5, 3, 2).await?;
    let mut table = Table::new(
        "Headless Chromium's EventSource across a cut stream",
        &["", "value"],
    );
    table.row(["ids the page received", &format!("{:?}", r.received)]);
    table.row([
        "published while the browser was away",
        &format!("{:?}", r.published_while_away),
    ]);
    table.row(["times the EventSource opened", &r.opens.to_string()]);
    table.row([
        "Last-Event-ID per request the server saw",
        &format!("{:?}", r.last_event_ids),
    ]);
    table.note(
        "the page's list is the browser's own record; the reconnection was the browser's doing",
    );
    let mut report = Report::new(crate::LAB, "browser");
    report.table(table);
    report.value("received", &r.received);
    report.value("last_event_ids", &r.last_event_ids);
    Ok(report)
}
