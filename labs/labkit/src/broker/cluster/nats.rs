//! A NATS cluster with JetStream: servers `n1`, `n2`, ... joined by routes,
//! every one a JetStream peer, so a stream can keep its replicas on
//! several of them.
//!
//! NATS servers join by **routes**: each server listens on a cluster port
//! besides its client port, and its `cluster { routes: [...] }` names
//! servers to connect to. Every node here names only the first node's
//! cluster port (the one port the cluster reserves in advance); the first
//! node sees a route to itself and ignores it, and the servers then tell
//! each other about the rest (route gossip), so every node ends up with a
//! route to every other. JetStream in a cluster needs every server to
//! carry a unique `server_name` and the cluster a `name`; the servers then
//! elect a meta leader (Raft) that places streams and their replicas.
//!
//! [`ClusterRecipe::check_formed`] connects to the first node until its
//! `INFO` lists every other node's client address in `connect_urls`
//! (the routes are up), then asks `$JS.API.INFO` until JetStream answers
//! without an error (a meta leader is elected). Production clusters list
//! every seed server in `routes`, run on separate machines, and use TLS
//! and authentication on the cluster port.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::super::recipe::Launch;
use super::super::{Lookup, Options};
use super::{ClusterRecipe, Node};

/// The NATS cluster recipe.
pub(crate) struct NatsCluster;

/// `n1` for node 0: the `server_name` JetStream reports as a leader.
fn server_name(i: usize) -> String {
    format!("n{}", i + 1)
}

/// How long the nodes may take to route to each other and elect a
/// JetStream meta leader (about a second here).
const FORMING: Duration = Duration::from_secs(30);

impl ClusterRecipe for NatsCluster {
    fn shared_ports(&self) -> usize {
        1 // the first node's cluster (route) port, known to every node
    }

    fn seeds(&self) -> usize {
        0 // all at once: a server retries its routes until the seed answers
    }

    fn shared(&self, _ports: &[u16], _lookup: &Lookup) -> Vec<Launch> {
        Vec::new() // nothing shared: the servers find each other by routes
    }

    fn node(
        &self,
        ports: &[u16],
        _secret: &str,
        i: usize,
        _n: usize,
        base: &Options,
    ) -> (String, Options) {
        let name = server_name(i);
        let seed = ports[0];
        let mut options = base.clone().config_line(format!("server_name: {name}"));
        let listen = if i == 0 {
            seed.to_string()
        } else {
            options = options.port("cluster");
            "{port:cluster}".to_string()
        };
        options = options.config_line(format!(
            "cluster {{\n  name: labkit\n  listen: \"127.0.0.1:{listen}\"\n  \
             routes: [\"nats-route://127.0.0.1:{seed}\"]\n}}"
        ));
        (name, options)
    }

    fn check_formed(&self, _ports: &[u16], nodes: &[Node], _lookup: &Lookup) -> Result<(), String> {
        let first = nodes[0].broker().addr();
        let others: Vec<String> = nodes[1..]
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.broker().port()))
            .collect();
        let began = Instant::now();
        let mut last = String::from("no answer yet");
        while began.elapsed() < FORMING {
            match ask(first, &others) {
                Ok(()) => return Ok(()),
                Err(why) => last = why,
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!(
            "after {}s the first node still says: {last}; read the nodes' logs",
            FORMING.as_secs()
        ))
    }
}

/// One look at the first node: are routes to `others` up, and does
/// JetStream answer?
fn ask(addr: std::net::SocketAddr, others: &[String]) -> Result<(), String> {
    let mut s =
        TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| e.to_string())?;
    let info = read_until(&mut s, "\r\n")?;
    let json: serde_json::Value = info
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("INFO "))
        .and_then(|j| serde_json::from_str(j.trim()).ok())
        .ok_or_else(|| format!("not an INFO line: {info:?}"))?;
    let urls: Vec<&str> = json["connect_urls"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let missing: Vec<&String> = others
        .iter()
        .filter(|o| !urls.contains(&o.as_str()))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "no route yet to {missing:?} (connect_urls {urls:?})"
        ));
    }
    s.write_all(
        b"CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1}\r\n\
          SUB _INBOX.labkit 1\r\nPUB $JS.API.INFO _INBOX.labkit 0\r\n\r\n",
    )
    .map_err(|e| e.to_string())?;
    let answer = read_until(&mut s, "}\r\n")?;
    if answer.contains("account_info_response") && !answer.contains("\"error\"") {
        Ok(())
    } else {
        Err(format!("JetStream not ready: {}", answer.trim()))
    }
}

/// Reads until `end` has arrived (at most 64 KiB).
fn read_until(s: &mut TcpStream, end: &str) -> Result<String, String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains(end) {
        if got.len() > 64 * 1024 {
            return Err("an answer longer than 64 KiB".into());
        }
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the node closed the connection".into());
        }
        got.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&got).into_owned())
}
