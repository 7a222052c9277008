//! The one value every lab-amqp scenario is handed: the brokers it talks to.
//!
//! Most scenarios only declare, publish and consume, so they share one
//! RabbitMQ, found on first use: `AMQP_URL`, else the service on port 5672,
//! else a private node. Three scenarios cannot share: `durability` restarts
//! and kills its broker, `security` adds users and virtual hosts, `tls`
//! needs a TLS listener. Each of those asks for a private node of its own.

use labkit::broker::{self, Broker, Kind, Options};
use tokio::sync::OnceCell;

/// What lab-amqp's scenarios share: one RabbitMQ, started or found the
/// first time a scenario asks, and private nodes on request.
#[derive(Default)]
pub struct Lab {
    shared: OnceCell<Broker>,
}

impl Lab {
    /// A lab that has found no broker yet: the first scenario that needs
    /// one finds it, so `--help` or a private-only scenario costs nothing.
    pub fn new() -> Lab {
        Lab::default()
    }

    /// The shared RabbitMQ: the reader's (`AMQP_URL`), the one on port
    /// 5672, else a private node (which stops when the lab ends).
    pub async fn broker(&self) -> anyhow::Result<&Broker> {
        self.shared
            .get_or_try_init(|| async { broker::for_cargo_run(Kind::RabbitMq).await })
            .await
            .map_err(anyhow::Error::from)
    }

    /// A RabbitMQ node for one scenario alone, started with `options` (a
    /// TLS listener, a plugin); it stops when the returned value drops.
    pub async fn private_broker(&self, options: Options) -> anyhow::Result<Broker> {
        println!("(starting a private RabbitMQ: 2–5 s)");
        Ok(broker::private(Kind::RabbitMq, options).await?)
    }
}

/// Every scenario needs RabbitMQ itself, and the lab finds or starts one,
/// or fails with a line saying what to install: nothing to skip.
impl labkit::cli::Lab for Lab {}
