//! The one value every lab-frontier scenario is handed.

use std::sync::{Arc, OnceLock};

use labkit::tls::Throwaway;

/// What lab-frontier's scenarios share: the throwaway certificate that
/// every QUIC, TLS and HTTP/3 server of the lab presents, made the first
/// time a scenario asks for it. Servers, proxies and private instances are
/// started by the scenarios themselves.
pub struct Lab {
    certs: OnceLock<Arc<Throwaway>>,
}

impl Lab {
    /// The lab, ready to run scenarios. Nothing is made yet.
    pub fn new() -> Lab {
        Lab {
            certs: OnceLock::new(),
        }
    }

    /// The lab's CA and its server certificate for `localhost` and
    /// `127.0.0.1`, made on first use and kept until the lab ends.
    pub fn certs(&self) -> anyhow::Result<Arc<Throwaway>> {
        if let Some(certs) = self.certs.get() {
            return Ok(certs.clone());
        }
        let made = Arc::new(Throwaway::new(
            "lab-frontier throwaway CA",
            &["localhost", "127.0.0.1"],
        )?);
        Ok(self.certs.get_or_init(|| made).clone())
    }
}

impl Default for Lab {
    fn default() -> Self {
        Lab::new()
    }
}

/// lab-frontier's QUIC half needs nothing a machine may lack once it has
/// built: every peer is the lab's own, on loopback. `reactive` declares
/// [`Need::Postgres`](labkit::cli::Need::Postgres), which the machine
/// answers.
impl labkit::cli::Lab for Lab {}
