//! Scenario `balance`: the load-balancing trap, and the way out.
//!
//! Two identical backends. Behind a round-robin L4 balancer, one client's
//! channel is one TCP connection, so every call lands on the backend that got
//! the connection; the other idles. With client-side balancing (tonic's
//! `Channel::balance_list`, one connection per backend, calls spread over
//! them) the same calls reach both.

use std::sync::atomic::Ordering;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use tonic::transport::Channel;

use crate::Lab;
use crate::client;
use crate::l4::L4Balancer;
use crate::proto::v1::payment_service_client::PaymentServiceClient;
use crate::server::{self, Options, RunningServer};
use crate::wire::sample_charge;

/// Calls that reached each backend, and TCP connections the balancer made.
#[derive(Debug, Clone)]
pub struct Spread {
    pub calls_per_backend: Vec<u64>,
    pub connections_per_backend: Vec<usize>,
}

async fn backends() -> anyhow::Result<Vec<RunningServer>> {
    let mut list = Vec::new();
    for name in ["backend-a", "backend-b"] {
        list.push(
            server::spawn(Options {
                name: name.into(),
                ..Options::default()
            })
            .await?,
        );
    }
    Ok(list)
}

async fn call_many(channel: Channel, calls: usize) -> anyhow::Result<()> {
    let client = PaymentServiceClient::new(channel);
    let results = futures::future::join_all((0..calls).map(|i| {
        let mut c = client.clone();
        async move { c.charge(sample_charge(i as u32)).await }
    }))
    .await;
    for r in results {
        r?;
    }
    Ok(())
}

fn counted(servers: &[RunningServer]) -> Vec<u64> {
    servers
        .iter()
        .map(|s| s.stats.calls.load(Ordering::SeqCst))
        .collect()
}

// ANCHOR: trap
/// `calls` calls from one client through an L4 balancer in front of two backends.
pub async fn through_l4(calls: usize) -> anyhow::Result<Spread> {
    let servers = backends().await?;
    let balancer = L4Balancer::start(servers.iter().map(|s| s.addr).collect()).await?;
    call_many(client::channel(balancer.addr()).await?, calls).await?;
    Ok(Spread {
        calls_per_backend: counted(&servers),
        connections_per_backend: balancer.connections(),
    })
}

// ANCHOR: client_side
/// The same calls with client-side balancing over both backends.
pub async fn client_side(calls: usize) -> anyhow::Result<Spread> {
    let servers = backends().await?;
    let channel = Channel::balance_list(servers.iter().map(|s| client::endpoint(s.addr)));
    call_many(channel, calls).await?;
    Ok(Spread {
        calls_per_backend: counted(&servers),
        connections_per_backend: vec![1; servers.len()],
    })
}
// ANCHOR_END: client_side
// ANCHOR_END: trap

/// The scenario, as `cargo run -p lab-grpc -- balance` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "balance",
    "two backends: an L4 balancer against client-side balancing",
    "how many calls each backend got",
);

/// The `balance` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let l4 = through_l4(100).await?;
    let spread = client_side(100).await?;
    let mut table = Table::new(
        "100 calls from one client to two backends",
        &[
            "balancing",
            "calls on backend a",
            "calls on backend b",
            "TCP connections a / b",
        ],
    );
    table.row([
        "L4 round-robin balancer (connections)".to_string(),
        l4.calls_per_backend[0].to_string(),
        l4.calls_per_backend[1].to_string(),
        format!(
            "{} / {}",
            l4.connections_per_backend[0], l4.connections_per_backend[1]
        ),
    ]);
    table.row([
        "client-side (Channel::balance_list)".to_string(),
        spread.calls_per_backend[0].to_string(),
        spread.calls_per_backend[1].to_string(),
        "1 / 1".into(),
    ]);
    let mut report = Report::new(crate::LAB, "balance");
    report.table(table);
    Ok(report)
}
