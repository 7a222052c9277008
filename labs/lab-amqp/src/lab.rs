//! The one value every lab-amqp scenario is handed: the brokers it talks to.
//!
//! Most scenarios only declare, publish and consume, so they share one
//! RabbitMQ, found on first use: `AMQP_URL`, else the service on port 5672,
//! else a private node. Three scenarios cannot share: `durability` restarts
//! and kills its broker, `security` adds users and virtual hosts, `tls`
//! needs a TLS listener. Each of those asks for a private node of its own.
//! The replication scenarios (`placement`, `failover`, `classic-down`,
//! `minority`, `replication`) share one private three-node cluster.

use labkit::broker::{self, Broker, Cluster, Kind, Options};
use tokio::sync::{Mutex, MutexGuard, OnceCell};

/// What lab-amqp's scenarios share: one RabbitMQ, started or found the
/// first time a scenario asks, and private nodes on request.
#[derive(Default)]
pub struct Lab {
    shared: OnceCell<Broker>,
    cluster: OnceCell<Mutex<Cluster>>,
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

    /// The three-node cluster the replication scenarios share, started on
    /// first use (always private: they kill and stop its nodes). Each
    /// scenario leaves all three nodes running when it returns.
    pub async fn cluster(&self) -> anyhow::Result<MutexGuard<'_, Cluster>> {
        let cell = self
            .cluster
            .get_or_try_init(|| async {
                println!("(starting a private three-node RabbitMQ cluster: about 30 s)");
                let cluster = broker::cluster(Kind::RabbitMq, 3, Options::new()).await?;
                println!(
                    "(cluster formed in {:.1} s)",
                    cluster.started_in().as_secs_f64()
                );
                anyhow::Ok(Mutex::new(cluster))
            })
            .await?;
        Ok(cell.lock().await)
    }
}

/// Every scenario needs RabbitMQ itself, and the lab finds or starts one,
/// or fails with a line saying what to install: nothing to skip.
impl labkit::cli::Lab for Lab {}
