//! One libp2p node of scenario `p2p`: a TCP transport secured by noise and
//! multiplexed by yamux, and libp2p's request-response behaviour speaking
//! JSON under one protocol name, as both client and server.
//!
//! Each node runs its swarm in a task of its own and takes orders (dial
//! this address, send this request) over a channel; it answers every
//! request it receives from its own little store. Nothing here discovers
//! anyone: no mDNS, no DHT, no multicast. A node knows another only by the
//! address it is given.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use futures::StreamExt;
use libp2p::core::ConnectedPoint;
use libp2p::identity::Keypair;
use libp2p::request_response::{self, OutboundRequestId, ProtocolSupport};
use libp2p::swarm::dial_opts::DialOpts;
use libp2p::swarm::{ConnectionId, DialError, SwarmEvent};
use libp2p::{Multiaddr, PeerId, StreamProtocol, Swarm, SwarmBuilder, noise, tcp, yamux};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// How long a call or a dial may take before the lab gives up on it.
const PATIENCE: Duration = Duration::from_secs(20);

// ANCHOR: protocol
/// The request-response protocol's name: each request opens a yamux
/// stream, and multistream-select agrees on this name for it before the
/// request goes out.
pub const PROTOCOL: &str = "/lab-frontier/lookup/1.0.0";

/// A request: "what do you hold under this key?"
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookup {
    pub key: String,
}

/// The answer, saying which node gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub key: String,
    pub value: Option<String>,
    pub by: String,
}

/// request-response with its JSON codec: a request is one JSON document
/// on a fresh stream, the answer another on the same stream.
pub type Behaviour = request_response::json::Behaviour<Lookup, Found>;
// ANCHOR_END: protocol

// ANCHOR: identity
/// A node's key pair from a fixed 32-byte ed25519 secret, so that the
/// PeerIds printed in the book are the ones a reader's run shows. A real
/// node makes a random one once and keeps it
/// (`Keypair::generate_ed25519()`).
pub fn keypair(secret: [u8; 32]) -> Keypair {
    Keypair::ed25519_from_bytes(secret).expect("any 32 bytes are an ed25519 secret key")
}
// ANCHOR_END: identity

/// Something a node saw, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// A connection is up: authenticated (noise) and multiplexed (yamux).
    Connected {
        peer: PeerId,
        /// Whether this node dialled (the other accepted).
        dialer: bool,
    },
    /// A request arrived and was answered.
    Served { peer: PeerId, key: String },
    /// An answer to this node's request arrived.
    Answered { peer: PeerId, key: String },
    /// A connection closed.
    Closed { peer: PeerId },
}

/// Why a dial failed.
#[derive(Debug, Clone)]
pub struct DialFailed {
    /// The PeerId the other end proved it holds, when it was not the one
    /// the address named.
    pub wrong_peer: Option<PeerId>,
    /// libp2p's own words.
    pub message: String,
}

impl std::fmt::Display for DialFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DialFailed {}

enum Order {
    Dial(Multiaddr, oneshot::Sender<Result<PeerId, DialFailed>>),
    Call(PeerId, Lookup, oneshot::Sender<anyhow::Result<Found>>),
}

/// A running node. Dropping it stops its swarm and closes its connections.
pub struct Node {
    pub name: &'static str,
    pub peer_id: PeerId,
    /// Where it listens, with its PeerId at the end (`/p2p/…`).
    pub addr: Multiaddr,
    orders: mpsc::Sender<Order>,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl Drop for Node {
    fn drop(&mut self) {
        self.task.abort();
    }
}

// ANCHOR: swarm
/// One node's swarm: TCP, upgraded by noise (security) and yamux
/// (streams), carrying request-response for [`PROTOCOL`] both ways.
pub fn swarm(key: Keypair) -> anyhow::Result<Swarm<Behaviour>> {
    let swarm = SwarmBuilder::with_existing_identity(key)
        .with_tokio()
        .with_tcp(
            tcp::Config::default(),
            noise::Config::new,
            yamux::Config::default,
        )?
        .with_behaviour(|_key| {
            Behaviour::new(
                // Full: this node sends requests and answers them.
                [(StreamProtocol::new(PROTOCOL), ProtocolSupport::Full)],
                request_response::Config::default(),
            )
        })?
        // Keep a connection open between the scenario's steps.
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(60)))
        .build();
    Ok(swarm)
}
// ANCHOR_END: swarm

/// Starts a node holding `key`, listening on a free port of 127.0.0.1 and
/// answering lookups from `store`.
pub async fn start(
    name: &'static str,
    key: Keypair,
    store: BTreeMap<String, String>,
) -> anyhow::Result<Node> {
    let peer_id = key.public().to_peer_id();
    let mut swarm = swarm(key)?;
    swarm.listen_on("/ip4/127.0.0.1/tcp/0".parse()?)?;
    let listening = loop {
        match tokio::time::timeout(PATIENCE, swarm.select_next_some()).await {
            Ok(SwarmEvent::NewListenAddr { address, .. }) => break address,
            Ok(_) => continue,
            Err(_) => anyhow::bail!("node {name} did not start listening"),
        }
    };
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (orders, rx) = mpsc::channel(16);
    let task = tokio::spawn(run(name, swarm, store, rx, seen.clone()));
    Ok(Node {
        name,
        peer_id,
        addr: listening
            .with_p2p(peer_id)
            .expect("a fresh listen address has no /p2p"),
        orders,
        seen,
        task,
    })
}

impl Node {
    /// Dials `addr`; when it ends in `/p2p/<id>`, the connection stands only
    /// if the other end proves it holds that id's key. Returns the PeerId it
    /// proved.
    pub async fn dial(&self, addr: Multiaddr) -> Result<PeerId, DialFailed> {
        let failed = |message: &str| DialFailed {
            wrong_peer: None,
            message: message.to_string(),
        };
        let (done, answer) = oneshot::channel();
        self.orders
            .send(Order::Dial(addr, done))
            .await
            .map_err(|_| failed("the node has stopped"))?;
        match tokio::time::timeout(PATIENCE, answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(failed("the node has stopped")),
            Err(_) => Err(failed("the dial took too long")),
        }
    }

    /// Sends `Lookup { key }` to `peer` (over the connection already open
    /// to it) and waits for the answer.
    pub async fn call(&self, peer: PeerId, key: &str) -> anyhow::Result<Found> {
        let (done, answer) = oneshot::channel();
        let request = Lookup { key: key.into() };
        self.orders
            .send(Order::Call(peer, request, done))
            .await
            .context("the node has stopped")?;
        tokio::time::timeout(PATIENCE, answer)
            .await
            .context("no answer in time")?
            .context("the node has stopped")?
    }

    /// Everything this node saw so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("seen lock").clone()
    }

    /// Connections this node saw established: with whom, and whether
    /// this node dialled.
    pub fn connections(&self) -> Vec<(PeerId, bool)> {
        self.seen()
            .into_iter()
            .filter_map(|s| match s {
                Seen::Connected { peer, dialer } => Some((peer, dialer)),
                _ => None,
            })
            .collect()
    }

    /// Waits until this node has seen `n` connections established.
    pub async fn wait_connections(&self, n: usize) -> anyhow::Result<()> {
        let deadline = Instant::now() + PATIENCE;
        while self.connections().len() < n {
            anyhow::ensure!(Instant::now() < deadline, "{} saw no connection", self.name);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Ok(())
    }
}

// ANCHOR: serve
/// The node's loop: carry out orders, answer requests, note what happens.
async fn run(
    name: &'static str,
    mut swarm: Swarm<Behaviour>,
    store: BTreeMap<String, String>,
    mut orders: mpsc::Receiver<Order>,
    seen: Arc<Mutex<Vec<Seen>>>,
) {
    let note = |s: Seen| seen.lock().expect("seen lock").push(s);
    let mut dials: HashMap<ConnectionId, oneshot::Sender<Result<PeerId, DialFailed>>> =
        HashMap::new();
    let mut calls: HashMap<OutboundRequestId, oneshot::Sender<anyhow::Result<Found>>> =
        HashMap::new();
    loop {
        tokio::select! {
            order = orders.recv() => match order {
                None => return,
                Some(Order::Dial(addr, done)) => {
                    let opts = DialOpts::from(addr);
                    let id = opts.connection_id();
                    match swarm.dial(opts) {
                        Ok(()) => { dials.insert(id, done); }
                        Err(e) => { let _ = done.send(Err(dial_failed(&e))); }
                    }
                }
                Some(Order::Call(peer, request, done)) => {
                    let id = swarm.behaviour_mut().send_request(&peer, request);
                    calls.insert(id, done);
                }
            },
            event = swarm.select_next_some() => match event {
                SwarmEvent::ConnectionEstablished { peer_id, connection_id, endpoint, .. } => {
                    let dialer = matches!(endpoint, ConnectedPoint::Dialer { .. });
                    note(Seen::Connected { peer: peer_id, dialer });
                    if let Some(done) = dials.remove(&connection_id) {
                        let _ = done.send(Ok(peer_id));
                    }
                }
                SwarmEvent::OutgoingConnectionError { connection_id, error, .. } => {
                    if let Some(done) = dials.remove(&connection_id) {
                        let _ = done.send(Err(dial_failed(&error)));
                    }
                }
                SwarmEvent::ConnectionClosed { peer_id, .. } => {
                    note(Seen::Closed { peer: peer_id });
                }
                SwarmEvent::Behaviour(request_response::Event::Message { peer, message, .. }) => {
                    match message {
                        request_response::Message::Request { request, channel, .. } => {
                            let found = Found {
                                value: store.get(&request.key).cloned(),
                                key: request.key,
                                by: name.to_string(),
                            };
                            note(Seen::Served { peer, key: found.key.clone() });
                            let _ = swarm.behaviour_mut().send_response(channel, found);
                        }
                        request_response::Message::Response { request_id, response } => {
                            note(Seen::Answered { peer, key: response.key.clone() });
                            if let Some(done) = calls.remove(&request_id) {
                                let _ = done.send(Ok(response));
                            }
                        }
                    }
                }
                SwarmEvent::Behaviour(request_response::Event::OutboundFailure {
                    request_id, error, ..
                }) => {
                    if let Some(done) = calls.remove(&request_id) {
                        let _ = done.send(Err(anyhow::anyhow!("request failed: {error}")));
                    }
                }
                _ => {}
            },
        }
    }
}
// ANCHOR_END: serve

/// A dial error in the lab's terms, keeping the PeerId the other end
/// proved when it was not the expected one.
fn dial_failed(error: &DialError) -> DialFailed {
    DialFailed {
        wrong_peer: match error {
            DialError::WrongPeerId { obtained, .. } => Some(*obtained),
            _ => None,
        },
        message: error.to_string(),
    }
}
