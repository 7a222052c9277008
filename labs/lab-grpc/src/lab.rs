//! The one value every lab-grpc scenario is handed: what scenarios share,
//! started on first use.
//!
//! Most scenarios start a payment service of their own, because each needs
//! it configured its own way (a stream limit, a size limit, two backends,
//! schema version 2) and counts what that server saw. What they share is
//! what is slow to start or lives outside this chapter: Chapter 1's server,
//! the yardstick `wire` compares bytes with, and a headless Chromium for
//! `browser`. Each starts the first time a scenario asks, so the tour pays
//! only for what it runs.

use lab_rest::baseline::{self, Target};
use labkit::browser::Browser;
use tokio::sync::OnceCell;

/// What lab-grpc's scenarios share.
#[derive(Default)]
pub struct Lab {
    baseline: OnceCell<Target>,
    browser: OnceCell<Browser>,
}

impl Lab {
    /// A lab that has started nothing yet.
    pub fn new() -> Lab {
        Lab::default()
    }

    /// Chapter 1's server (HTTP/1.1 + JSON), in this process on a free port:
    /// what gRPC's bytes are compared with.
    pub async fn baseline(&self) -> anyhow::Result<&Target> {
        self.baseline.get_or_try_init(baseline::start).await
    }

    /// A headless Chromium behind chromedriver; it ends with the lab.
    pub async fn browser(&self) -> anyhow::Result<&Browser> {
        self.browser.get_or_try_init(Browser::launch).await
    }
}

/// Everything lab-grpc needs beyond Rust (Chromium, for `browser`) the
/// machine answers for: the trait's default.
impl labkit::cli::Lab for Lab {}
