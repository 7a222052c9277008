//! The one value every lab-contenders scenario is handed.
//!
//! Most contenders are libraries, so their scenarios start the server they
//! call themselves (on 127.0.0.1, port 0) and stop it when they finish. What
//! several scenarios share, a broker for instance, is started on first use
//! and kept here.

/// What lab-contenders' scenarios share.
pub struct Lab {
    /// The NATS server the core NATS scenarios share (see `nats_client.rs`).
    pub(crate) nats: tokio::sync::OnceCell<labkit::broker::Broker>,
}

impl Lab {
    /// The lab, ready to run scenarios; nothing starts until a scenario asks.
    pub fn new() -> Lab {
        Lab {
            nats: tokio::sync::OnceCell::new(),
        }
    }
}

impl Default for Lab {
    fn default() -> Self {
        Lab::new()
    }
}

/// lab-contenders needs nothing a machine may lack once it has built.
impl labkit::cli::Lab for Lab {}
