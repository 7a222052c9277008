//! Headless Chromium through chromedriver, driven with fantoccini (WebDriver).
//!
//! Chromium and chromedriver come from Debian's packages (`chromium`,
//! `chromium-driver`); when either is missing the scenario fails saying so.
//! Each run gets a fresh profile directory and a free port for chromedriver;
//! both processes end when the [`Browser`] is closed or dropped.

use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use fantoccini::{Client, ClientBuilder};
use serde::de::DeserializeOwned;
use tokio::process::{Child, Command};

/// The flags that let Chromium run headless here (also as root, in CI).
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

/// A Chromium session.
pub struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn find(program: &str, also: &[&str]) -> Option<String> {
    std::iter::once(program)
        .chain(also.iter().copied())
        .find(|p| {
            std::process::Command::new(p)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .map(String::from)
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session.
    pub async fn start() -> anyhow::Result<Browser> {
        let install = "install them with `apt-get install chromium chromium-driver`";
        let driver_bin = find("/usr/bin/chromedriver", &["chromedriver"])
            .ok_or_else(|| anyhow!("chromedriver is not installed; {install}"))?;
        let chromium = find(
            "/usr/bin/chromium",
            &["/usr/bin/chromium-browser", "/usr/bin/google-chrome"],
        )
        .ok_or_else(|| anyhow!("Chromium is not installed; {install}"))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {driver_bin}"))?;
        let profile = tempfile::tempdir()?;
        let mut args: Vec<String> = FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": chromium, "args": args }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Ok(Browser {
                        client,
                        driver,
                        _profile: profile,
                    });
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!(
            "chromedriver at {url} did not start a Chromium session: {} (is `{chromium} --headless` working?)",
            last.map_or("no answer".into(), |e| e.to_string())
        )
    }

    /// Opens `url`.
    pub async fn open(&self, url: &str) -> anyhow::Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("Chromium cannot open {url}"))
    }

    /// Runs `expression` (a promise) in the page and returns its value.
    pub async fn run<T: DeserializeOwned>(&self, expression: &str) -> anyhow::Result<T> {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             ({expression}).then(done, e => done({{ error: String(e) }}));"
        );
        let value = tokio::time::timeout(
            Duration::from_secs(30),
            self.client.execute_async(&script, Vec::new()),
        )
        .await
        .context("the page did not answer within 30 s")??;
        serde_json::from_value(value.clone())
            .with_context(|| format!("unexpected answer from the page: {value}"))
    }

    /// Ends the session and chromedriver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
    }
}
