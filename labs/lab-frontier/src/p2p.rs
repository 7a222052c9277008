//! Scenario `p2p`: two libp2p nodes call each other with request-response,
//! with no server in the middle, over one TCP connection secured by noise
//! and multiplexed by yamux.
//!
//! Discovery is a given address: `ada` is handed `bob`'s multiaddr
//! (`/ip4/127.0.0.1/tcp/<port>/p2p/<bob's PeerId>`) and dials it; nothing
//! is discovered, and nothing leaves 127.0.0.1 (no mDNS, no multicast).
//! labkit's recording proxy sits in front of `bob`, so the connection's
//! upgrade (multistream-select, the noise handshake, yamux) is counted on
//! the wire: bytes, and the round trips `ada` waited for before it could
//! send its first request. Then each node asks the other one thing, on the
//! same connection. Last, a third node, `mallory`, holds another key and
//! is dialled at an address claiming `bob`'s PeerId: the dial fails.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use labkit::cli::Scenario;
use labkit::measure::human_duration;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};
use libp2p::multiaddr::Protocol;
use libp2p::{Multiaddr, PeerId};

use crate::Lab;
use crate::p2p_node::{self, DialFailed, Found, Node};
use crate::p2p_wire::{self, Unit};

/// The scenario, as `cargo run -p lab-frontier -- p2p` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "p2p",
    "two libp2p nodes call each other by address: noise, yamux, request-response",
    "one connection, requests both ways; a different key at the address fails the dial",
);

/// Latency the proxy adds in each direction, so that flights stay apart.
pub const ONE_WAY: Duration = Duration::from_millis(40);

/// The nodes' fixed ed25519 secrets (see [`p2p_node::keypair`]).
pub const ADA: [u8; 32] = [0xad; 32];
pub const BOB: [u8; 32] = [0xb0; 32];
pub const MALLORY: [u8; 32] = [0x3a; 32];

/// What one call cost: who asked whom, the answer, the bytes both ways.
#[derive(Debug, Clone)]
pub struct Call {
    pub caller: &'static str,
    pub callee: &'static str,
    pub found: Found,
    pub bytes: u64,
}

/// Everything the scenario measured.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Each node's name, PeerId and listening address.
    pub nodes: Vec<(&'static str, PeerId, Multiaddr)>,
    /// The address `ada` dialled: the proxy's port, `bob`'s PeerId.
    pub dialled: Multiaddr,
    /// The PeerId `bob` proved during the noise handshake.
    pub proved: PeerId,
    /// The units of the upgrade, before the first request.
    pub upgrade: Vec<Unit>,
    /// Bytes of the upgrade, each way.
    pub upgrade_bytes: [u64; 2],
    /// Round trips `ada` waited for before it could send a request: TCP's
    /// own, and `bob`'s flights before `ada`'s first encrypted frame.
    pub round_trips: usize,
    /// `ada` asks `bob`, then `bob` asks `ada`.
    pub calls: Vec<Call>,
    /// TCP connections the proxy saw.
    pub tcp_connections: usize,
    /// Connections each node saw established: `ada`'s, `bob`'s.
    pub established: [usize; 2],
    /// Whether `ada` dialled and `bob` accepted, as each side saw it.
    pub ada_dialled: bool,
    pub bob_accepted: bool,
    /// Dialling `mallory`'s address with `bob`'s PeerId in it.
    pub spoof: Result<PeerId, DialFailed>,
}

/// The node's TCP address from a `/ip4/…/tcp/…` multiaddr.
fn socket_addr(addr: &Multiaddr) -> anyhow::Result<SocketAddr> {
    let mut ip = None;
    let mut port = None;
    for p in addr.iter() {
        match p {
            Protocol::Ip4(a) => ip = Some(a),
            Protocol::Tcp(n) => port = Some(n),
            _ => {}
        }
    }
    Ok(SocketAddr::from((
        ip.context("no /ip4 in the address")?,
        port.context("no /tcp in the address")?,
    )))
}

/// A small store for each node to answer from.
fn store(name: &str, motto: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(format!("{name}/motto"), motto.to_string())])
}

// ANCHOR: dial
/// bob's address as ada is given it: where to connect (here the proxy's
/// port, in front of bob), and whom to expect there.
pub fn address_of(bob: &Node, port: u16) -> anyhow::Result<Multiaddr> {
    let addr: Multiaddr = format!("/ip4/127.0.0.1/tcp/{port}").parse()?;
    Ok(addr.with(Protocol::P2p(bob.peer_id)))
}
// ANCHOR_END: dial

// ANCHOR: calls
/// ada asks bob, then bob asks ada; the bytes each call moved are read
/// off the proxy.
async fn call_both_ways(ada: &Node, bob: &Node, proxy: &Proxy) -> anyhow::Result<Vec<Call>> {
    let mut calls = Vec::new();
    for (caller, callee, key) in [(ada, bob, "bob/motto"), (bob, ada, "ada/motto")] {
        let before = total(proxy);
        // bob was given no address for ada: his request goes out on the
        // connection she opened.
        let found = caller.call(callee.peer_id, key).await?;
        calls.push(Call {
            caller: caller.name,
            callee: callee.name,
            found,
            bytes: total(proxy) - before,
        });
    }
    Ok(calls)
}
// ANCHOR_END: calls

// ANCHOR: spoof
/// mallory listens with a key of its own; ada is handed mallory's address
/// with bob's PeerId in it.
async fn dial_impostor(
    ada: &Node,
    bob: &Node,
) -> anyhow::Result<(Node, Result<PeerId, DialFailed>)> {
    let mallory = p2p_node::start(
        "mallory",
        p2p_node::keypair(MALLORY),
        store("mallory", "trust me"),
    )
    .await?;
    let mut claim = mallory.addr.clone();
    claim.pop(); // mallory's own /p2p/…
    let outcome = ada.dial(claim.with(Protocol::P2p(bob.peer_id))).await;
    Ok((mallory, outcome))
}
// ANCHOR_END: spoof

/// Runs everything once.
pub async fn measure() -> anyhow::Result<Outcome> {
    let ada = p2p_node::start(
        "ada",
        p2p_node::keypair(ADA),
        store("ada", "analyse, then engine"),
    )
    .await?;
    let bob = p2p_node::start("bob", p2p_node::keypair(BOB), store("bob", "can we fix it")).await?;
    let proxy = Proxy::start(socket_addr(&bob.addr)?).await?;
    for dir in Direction::BOTH {
        proxy.faults().set_delay(dir, ONE_WAY);
    }

    let dialled = address_of(&bob, proxy.addr().port())?;
    let proved = ada.dial(dialled.clone()).await?;
    bob.wait_connections(1).await?;
    tokio::time::sleep(ONE_WAY * 4 + Duration::from_millis(200)).await;

    let conn = proxy
        .recording()
        .into_iter()
        .next()
        .context("no connection")?;
    let upgrade = p2p_wire::units(&conn);
    let upgrade_bytes = [
        conn.bytes(Direction::ToServer),
        conn.bytes(Direction::ToClient),
    ];
    // TCP's own handshake happens before the proxy reads a byte.
    let round_trips = 1 + p2p_wire::flights_before_first_encrypted(&upgrade)
        .context("ada sent nothing encrypted")?;

    let calls = call_both_ways(&ada, &bob, &proxy).await?;

    let (mallory, spoof) = dial_impostor(&ada, &bob).await?;

    let ada_conns = ada.connections();
    let bob_conns = bob.connections();
    Ok(Outcome {
        nodes: [&ada, &bob, &mallory]
            .iter()
            .map(|n| (n.name, n.peer_id, n.addr.clone()))
            .collect(),
        dialled,
        proved,
        upgrade,
        upgrade_bytes,
        round_trips,
        calls,
        tcp_connections: proxy.connections_opened(),
        established: [ada_conns.len(), bob_conns.len()],
        ada_dialled: ada_conns.first().is_some_and(|c| c.1),
        bob_accepted: bob_conns.first().is_some_and(|c| !c.1),
        spoof,
    })
}

fn total(proxy: &Proxy) -> u64 {
    proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient)
}

/// Run the scenario and build its report.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let o = measure().await?;
    let mut report = Report::new(crate::LAB, SCENARIO.name);

    let mut t = Table::new(
        "The nodes: each PeerId is made from the node's public key",
        &["node", "PeerId"],
    );
    for (name, id, _) in &o.nodes {
        t.row([name.to_string(), id.to_string()]);
    }
    let mut given = o.dialled.clone();
    given.pop();
    t.note(format!(
        "ada dials {given}/p2p/<bob's PeerId> (the port is the proxy's)"
    ));
    t.note(format!("the noise handshake proves bob holds {}", o.proved));
    report.table(t);

    let mut t = Table::new(
        format!(
            "The upgrade, as the proxy in front of bob saw it ({} each way)",
            human_duration(ONE_WAY)
        ),
        &["ms", "way", "bytes", "what"],
    );
    for u in &o.upgrade {
        t.row([
            format!("{:.0}", u.at.as_secs_f64() * 1000.0),
            match u.dir {
                Direction::ToServer => "ada → bob",
                Direction::ToClient => "bob → ada",
            }
            .to_string(),
            u.bytes.to_string(),
            u.what.label(),
        ]);
    }
    t.note(format!(
        "{} bytes ada → bob, {} bytes bob → ada before the first request",
        o.upgrade_bytes[0], o.upgrade_bytes[1]
    ));
    t.note(format!(
        "round trips before ada could send it: {} (TCP's, then bob's flights before ada's \
         first encrypted frame)",
        o.round_trips
    ));
    t.note("after handshake 3 all is ciphertext: yamux, and each stream's protocol name");
    report.table(t);

    let mut t = Table::new(
        format!("Calls, protocol {}", p2p_node::PROTOCOL),
        &["caller", "callee", "key", "answer", "bytes"],
    );
    for c in &o.calls {
        t.row([
            c.caller.to_string(),
            c.callee.to_string(),
            c.found.key.clone(),
            format!(
                "{:?} by {}",
                c.found.value.as_deref().unwrap_or("-"),
                c.found.by
            ),
            c.bytes.to_string(),
        ]);
    }
    t.note(format!(
        "TCP connections through the proxy: {}; established as ada saw it: {}, as bob saw it: {}",
        o.tcp_connections, o.established[0], o.established[1]
    ));
    report.table(t);

    let mut t = Table::new(
        "Dialling mallory's address with bob's PeerId in it",
        &["outcome"],
    );
    match &o.spoof {
        Ok(id) => t.row([format!("connected to {id} (unexpected)")]),
        Err(e) => t.row([format!("refused: {e}")]),
    };
    t.note("mallory cannot sign for bob's key, so the noise handshake proves who it is");
    report.table(t);
    Ok(report)
}
