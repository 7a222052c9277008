//! A real, headless Chromium for the labs that need a browser.
//!
//! Some claims are about what a *browser* does — EventSource reconnecting by
//! itself, `fetch` unable to stream a request body — and only a browser can
//! show them. This module starts Chromium behind chromedriver and drives it
//! over WebDriver (the `fantoccini` crate). Both come from Debian's packages
//! (`chromium`, `chromium-driver`); when either is missing, [`Browser::launch`]
//! fails with one line naming the package, never a silent skip.
//!
//! chromedriver runs in a process group of its own, and the Chromium
//! processes it starts join that group, so dropping the [`Browser`] ends all
//! of them, whatever state the WebDriver session was left in. The group and
//! the profile folder are watched by the private brokers' watchdog
//! (`broker/process.rs`): when the lab is interrupted (Ctrl-C, SIGKILL) and
//! no `Drop` runs, the watchdog ends the group and removes the folder.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fantoccini::{Client, ClientBuilder};
use nix::sys::signal::Signal;
use serde::de::DeserializeOwned;

use crate::broker::process::{Group, WatchedDir};
use crate::broker::recipe::Launch;

/// The flags that let Chromium run headless on these machines: as root (no
/// sandbox), offline (no background networking, no component updates), in
/// containers (no /dev/shm).
pub const CHROMIUM_FLAGS: &[&str] = &[
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

/// A headless Chromium session; dropping it ends chromedriver and Chromium.
pub struct Browser {
    client: Client,
    driver: Group,
    // Declared last: removed after the group has ended.
    _profile: WatchedDir,
}

/// The first of `candidates` that exists, or an error naming the package.
fn find(candidates: &[&str], package: &str) -> anyhow::Result<String> {
    candidates
        .iter()
        .find(|path| std::path::Path::new(path).exists())
        .map(|path| path.to_string())
        .with_context(|| {
            format!(
                "{} is not installed; install it with `sudo apt-get install {package}`",
                candidates[0]
            )
        })
}

impl Browser {
    /// Starts chromedriver on a free port and a Chromium session with a fresh
    /// profile directory.
    pub async fn launch() -> anyhow::Result<Browser> {
        let driver_bin = find(
            &["/usr/bin/chromedriver", "/usr/local/bin/chromedriver"],
            "chromium-driver",
        )?;
        let chromium = find(
            &[
                "/usr/bin/chromium",
                "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome",
            ],
            "chromium",
        )?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        // One folder for chromedriver's log, Chromium's profile and
        // Chromium's own temporary files (its TMPDIR), made by the watchdog,
        // which removes it if this process dies before `Drop` runs.
        let mut profile = WatchedDir::new("labkit-chromium-")?;
        let tmp = profile.path().join("tmp");
        std::fs::create_dir(&tmp)?;
        let mut command = Command::new(&driver_bin);
        command.arg(format!("--port={port}")).env("TMPDIR", &tmp);
        let log = profile.path().join("chromedriver.log");
        let driver = profile
            .spawn(
                vec![Launch {
                    command,
                    wait_for_port: None,
                }],
                &log,
            )
            .with_context(|| format!("cannot run {driver_bin}"))?;
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": chromium, "args": args }),
        );

        // Until the session answers, a guard owns the processes: an early
        // return kills them.
        let mut guard = Starting(Some(driver));
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() > deadline => bail!(
                    "chromedriver did not start a Chromium session within 30 s ({e}); does `{chromium} --headless --no-sandbox` run here?"
                ),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        let driver = guard.0.take().context("chromedriver vanished")?;
        Ok(Browser {
            client,
            driver,
            _profile: profile,
        })
    }

    /// The WebDriver client, for anything the helpers below don't cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Opens `url` in the browser's window.
    pub async fn open(&self, url: &str) -> anyhow::Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("Chromium cannot open {url}"))
    }

    /// Evaluates the JavaScript expression `expr` in the page.
    pub async fn eval(&self, expr: &str) -> anyhow::Result<serde_json::Value> {
        Ok(self
            .client
            .execute(&format!("return {expr};"), vec![])
            .await?)
    }

    /// Waits (30 s at most, a hang guard) until `expr` is `true` in the page.
    pub async fn wait_for(&self, expr: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.eval(expr).await? != serde_json::Value::Bool(true) {
            if Instant::now() > deadline {
                bail!("the page never reached `{expr}` within 30 s");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Awaits the promise `expression` in the page and decodes its value;
    /// a rejected promise comes back as `{"error": "..."}`.
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

    /// Ends the WebDriver session politely, then the processes.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    /// SIGKILL to chromedriver's whole process group (Chromium included).
    fn drop(&mut self) {
        self.driver.end(Signal::SIGKILL, Duration::ZERO);
    }
}

/// Owns chromedriver while the session is being set up.
struct Starting(Option<Group>);

impl Drop for Starting {
    fn drop(&mut self) {
        if let Some(driver) = self.0.as_mut() {
            driver.end(Signal::SIGKILL, Duration::ZERO);
        }
    }
}
