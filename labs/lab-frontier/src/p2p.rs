//! Scenario `p2p`: two libp2p nodes call each other with request/response,
//! with no server in the middle. Each node has its own key pair (its peer
//! id is the hash of the public key); A dials B at an address it is given,
//! the connection is secured with Noise and multiplexed with yamux, and
//! then either side may call the other — B calls A back over the
//! connection A opened.
//!
//! Discovery is by given address only. libp2p's mDNS would find peers by
//! multicasting on the local network; the lab never does that, because it
//! would send traffic off this machine. The nodes listen and dial on
//! 127.0.0.1 only.
//!
//! A's connection goes through labkit's recording proxy, so the test can
//! see what is readable on the wire (the names of the security and
//! multiplexing protocols, negotiated in clear) and what is not (the
//! application's protocol name and messages, inside Noise).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::measure::human_duration;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};
use libp2p::request_response::{self, OutboundRequestId, ProtocolSupport, ResponseChannel};
use libp2p::swarm::SwarmEvent;
use libp2p::{Multiaddr, PeerId, StreamProtocol, Swarm, noise, tcp, yamux};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

use crate::Lab;

/// The scenario, as `cargo run -p lab-frontier -- p2p` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "p2p",
    "two libp2p nodes calling each other (request/response over Noise and yamux), no server",
    "one TCP connection carries calls both ways; only the protocol names show in clear",
);

/// The application protocol both nodes speak.
pub const PROTOCOL: &str = "/lab-frontier/ledger/1";

// ANCHOR: messages
/// A question one node asks another.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Ask {
    pub account: String,
}

/// The answer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Answer {
    pub account: String,
    pub balance_cents: i64,
    pub answered_by: String,
}
// ANCHOR_END: messages

type Behaviour = request_response::json::Behaviour<Ask, Answer>;

/// What the node's owner asks its event loop to do.
enum Command {
    Call {
        peer: PeerId,
        addr: Option<Multiaddr>,
        ask: Ask,
        reply: oneshot::Sender<anyhow::Result<Answer>>,
    },
}

/// A running node: its identity, where it listens, and a way to call out.
pub struct Node {
    pub name: String,
    pub peer_id: PeerId,
    pub addr: SocketAddr,
    commands: mpsc::Sender<Command>,
}

// ANCHOR: swarm
/// A swarm with a fresh identity: TCP, Noise, yamux, and JSON
/// request/response on [`PROTOCOL`]. No mDNS, no other discovery.
fn swarm() -> anyhow::Result<Swarm<Behaviour>> {
    Ok(libp2p::SwarmBuilder::with_new_identity()
        .with_tokio()
        .with_tcp(
            tcp::Config::default().nodelay(true),
            noise::Config::new,
            yamux::Config::default,
        )?
        .with_behaviour(|_| {
            Behaviour::new(
                [(StreamProtocol::new(PROTOCOL), ProtocolSupport::Full)],
                request_response::Config::default(),
            )
        })?
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(30)))
        .build())
}
// ANCHOR_END: swarm

impl Node {
    /// Start a node listening on a free loopback port; it answers every
    /// [`Ask`] from its own small ledger.
    pub async fn spawn(name: &str) -> anyhow::Result<Node> {
        let mut swarm = swarm()?;
        swarm.listen_on("/ip4/127.0.0.1/tcp/0".parse()?)?;
        let addr = loop {
            if let SwarmEvent::NewListenAddr { address, .. } = swarm.select_next_some().await {
                break socket_addr(&address)?;
            }
        };
        let peer_id = *swarm.local_peer_id();
        let (commands, inbox) = mpsc::channel(16);
        tokio::spawn(event_loop(name.to_owned(), swarm, inbox));
        Ok(Node {
            name: name.to_owned(),
            peer_id,
            addr,
            commands,
        })
    }

    /// Ask `peer` for a balance, dialling `addr` first if there is no
    /// connection to it yet (`None`: use the connection there is).
    pub async fn call(
        &self,
        peer: PeerId,
        addr: Option<SocketAddr>,
        account: &str,
    ) -> anyhow::Result<Answer> {
        let (reply, answer) = oneshot::channel();
        let addr = addr.map(multiaddr);
        let ask = Ask {
            account: account.to_owned(),
        };
        self.commands
            .send(Command::Call {
                peer,
                addr,
                ask,
                reply,
            })
            .await
            .map_err(|_| anyhow::anyhow!("node {} stopped", self.name))?;
        tokio::time::timeout(Duration::from_secs(10), answer)
            .await
            .map_err(|_| anyhow::anyhow!("no answer within 10 s"))??
    }
}

// ANCHOR: event_loop
/// The node's loop: carry out calls, answer requests, deliver responses.
async fn event_loop(name: String, mut swarm: Swarm<Behaviour>, mut inbox: mpsc::Receiver<Command>) {
    let mut pending: HashMap<OutboundRequestId, oneshot::Sender<anyhow::Result<Answer>>> =
        HashMap::new();
    loop {
        tokio::select! {
            command = inbox.recv() => match command {
                None => return, // the Node was dropped
                Some(Command::Call { peer, addr, ask, reply }) => {
                    if let Some(addr) = addr {
                        swarm.add_peer_address(peer, addr);
                    }
                    let id = swarm.behaviour_mut().send_request(&peer, ask);
                    pending.insert(id, reply);
                }
            },
            event = swarm.select_next_some() => match event {
                SwarmEvent::Behaviour(request_response::Event::Message { message, .. }) => {
                    match message {
                        request_response::Message::Request { request, channel, .. } => {
                            answer(&name, &mut swarm, request, channel);
                        }
                        request_response::Message::Response { request_id, response } => {
                            if let Some(reply) = pending.remove(&request_id) {
                                let _ = reply.send(Ok(response));
                            }
                        }
                    }
                }
                SwarmEvent::Behaviour(request_response::Event::OutboundFailure {
                    request_id, error, ..
                }) => {
                    if let Some(reply) = pending.remove(&request_id) {
                        let _ = reply.send(Err(anyhow::anyhow!("call failed: {error}")));
                    }
                }
                _ => {}
            },
        }
    }
}
// ANCHOR_END: event_loop

fn answer(name: &str, swarm: &mut Swarm<Behaviour>, ask: Ask, channel: ResponseChannel<Answer>) {
    let balance_cents = ask.account.bytes().map(i64::from).sum::<i64>() * 10;
    let answer = Answer {
        account: ask.account,
        balance_cents,
        answered_by: name.to_owned(),
    };
    let _ = swarm.behaviour_mut().send_response(channel, answer);
}

fn multiaddr(addr: SocketAddr) -> Multiaddr {
    format!("/ip4/{}/tcp/{}", addr.ip(), addr.port())
        .parse()
        .expect("an IPv4 socket address is a valid multiaddr")
}

fn socket_addr(addr: &Multiaddr) -> anyhow::Result<SocketAddr> {
    use libp2p::multiaddr::Protocol;
    let mut ip = None;
    let mut port = None;
    for p in addr.iter() {
        match p {
            Protocol::Ip4(a) => ip = Some(std::net::IpAddr::V4(a)),
            Protocol::Tcp(p) => port = Some(p),
            _ => {}
        }
    }
    match (ip, port) {
        (Some(ip), Some(port)) => Ok(SocketAddr::new(ip, port)),
        _ => anyhow::bail!("not a TCP address: {addr}"),
    }
}

/// What one run showed.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub a_to_b: Answer,
    pub b_to_a: Answer,
    pub first_call: Duration,
    pub second_call: Duration,
    pub connections: usize,
    /// Everything both ways on the connection A opened.
    pub wire: Vec<u8>,
    pub bytes: u64,
}

impl Outcome {
    /// Whether `needle` appears anywhere on the wire in clear.
    pub fn in_clear(&self, needle: &str) -> bool {
        self.wire
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }
}

/// Two nodes; A calls B through a recording proxy, then B calls A back.
pub async fn measure() -> anyhow::Result<Outcome> {
    let a = Node::spawn("A").await?;
    let b = Node::spawn("B").await?;
    let proxy = Proxy::start(b.addr).await?;
    let started = Instant::now();
    let a_to_b = a.call(b.peer_id, Some(proxy.addr()), "acct-00042").await?;
    let first_call = started.elapsed();
    let started = Instant::now();
    let b_to_a = b.call(a.peer_id, None, "acct-00007").await?;
    let second_call = started.elapsed();
    let recording = proxy.recording();
    let mut wire = Vec::new();
    for conn in &recording {
        for dir in Direction::BOTH {
            wire.extend(conn.stream(dir));
        }
    }
    Ok(Outcome {
        a_to_b,
        b_to_a,
        first_call,
        second_call,
        connections: proxy.connections_opened(),
        wire,
        bytes: proxy.bytes(Direction::ToServer) + proxy.bytes(Direction::ToClient),
    })
}

/// Runs the scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let o = measure().await?;
    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        "Two peers, one connection, calls both ways",
        &["call", "answered by", "balance", "time"],
    );
    t.row([
        "A asks B (dials, Noise, yamux, then the call)".to_string(),
        o.a_to_b.answered_by.clone(),
        o.a_to_b.balance_cents.to_string(),
        human_duration(o.first_call),
    ]);
    t.row([
        "B asks A (over the same connection)".to_string(),
        o.b_to_a.answered_by.clone(),
        o.b_to_a.balance_cents.to_string(),
        human_duration(o.second_call),
    ]);
    t.note(format!(
        "TCP connections: {}; bytes both ways: {}",
        o.connections, o.bytes
    ));
    report.table(t);
    let mut clear = Table::new("Readable on the wire?", &["text", "in clear"]);
    for needle in ["/noise", "/yamux/1.0.0", PROTOCOL, "acct-00042"] {
        clear.row([needle.to_string(), o.in_clear(needle).to_string()]);
    }
    clear.note("multistream-select negotiates Noise and yamux in clear; the rest is encrypted");
    report.table(clear);
    Ok(report)
}
