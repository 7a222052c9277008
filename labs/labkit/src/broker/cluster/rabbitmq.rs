//! A RabbitMQ cluster: nodes `rabbit1@localhost`, `rabbit2@localhost`, ...
//! sharing one epmd and one Erlang cookie, joined by classic peer
//! discovery.
//!
//! Erlang nodes find each other through epmd, the port mapper: a node
//! registers its name and distribution port there, and another node asks
//! it where `rabbit2` listens. A single private node runs its own epmd in
//! its own process group (see `../rabbitmq.rs`); a cluster's nodes must
//! share one, so the cluster runs it, in the foreground, in a group of its
//! own under a watchdog of its own. Killing a node does not touch it, and
//! every VM still runs with `-start_epmd false`, so nothing ever starts an
//! `epmd -daemon` that would escape the watchdogs.
//!
//! Joining, by classic peer discovery: the first node starts alone and
//! names only itself, so it forms a cluster of one. Once it answers, the
//! others boot at the same time, each naming the first node as its peer;
//! each takes the discovery lock (held on the first node, so they join one
//! at a time, about a second each) and joins. Booting all three at once
//! does not work on RabbitMQ 3.10: fresh nodes that list each other wait
//! for a peer that already has a database, and none has. Joining by hand
//! (`rabbitmqctl join_cluster`) costs a CLI VM and an app restart per node.
//! Production clusters list every node, or use a discovery backend
//! (DNS, Kubernetes, Consul, etcd) that also takes a lock, so that nodes
//! booting together cannot form two clusters.

use std::path::PathBuf;
use std::process::Command;

use super::super::rabbitmq::real_script;
use super::super::recipe::Launch;
use super::super::{Lookup, Options};
use super::{ClusterRecipe, Node, Seat};

/// The RabbitMQ cluster recipe.
pub(crate) struct RabbitMqCluster;

/// `rabbit1@localhost` for node 0.
fn node_name(i: usize) -> String {
    format!("rabbit{}@localhost", i + 1)
}

/// `rabbitmqctl` beside the real `rabbitmq-server` script.
fn rabbitmqctl(lookup: &Lookup) -> PathBuf {
    match lookup.find_program("rabbitmq-server") {
        Some(found) => real_script(&found).with_file_name("rabbitmqctl"),
        None => PathBuf::from("rabbitmqctl"),
    }
}

impl ClusterRecipe for RabbitMqCluster {
    fn seeds(&self) -> usize {
        1
    }

    fn shared_ports(&self) -> usize {
        1 // epmd
    }

    fn shared(&self, ports: &[u16], lookup: &Lookup) -> Vec<Launch> {
        let mut epmd = Command::new(lookup.find_program("epmd").unwrap_or("epmd".into()));
        epmd.args(["-address", "127.0.0.1", "-port", &ports[0].to_string()]);
        vec![Launch {
            command: epmd,
            wait_for_port: Some(ports[0]),
        }]
    }

    fn node(
        &self,
        ports: &[u16],
        secret: &str,
        i: usize,
        _n: usize,
        base: &Options,
    ) -> (String, Options) {
        let name = node_name(i);
        let mut options = base
            .clone()
            .config_line("cluster_formation.peer_discovery_backend = classic_config")
            // Wait up to a minute for the others while they boot.
            .config_line("cluster_formation.discovery_retry_limit = 240")
            .config_line("cluster_formation.discovery_retry_interval = 250");
        // The first node names only itself and forms a cluster of one; each
        // other names the first and itself (a node missing from its own
        // list waits forever for the discovery lock).
        let mut peers = vec![node_name(0)];
        if i > 0 {
            peers.push(name.clone());
        }
        for (k, peer) in peers.iter().enumerate() {
            options = options.config_line(format!(
                "cluster_formation.classic_config.nodes.{} = {peer}",
                k + 1
            ));
        }
        options.seat = Some(Seat {
            node: name.clone(),
            epmd_port: ports[0],
            cookie: secret.to_owned(),
        });
        (name, options)
    }

    fn check_formed(&self, ports: &[u16], nodes: &[Node], lookup: &Lookup) -> Result<(), String> {
        let first = &nodes[0];
        let home = first
            .broker()
            .data_dir()
            .map(|d| d.join("home"))
            .ok_or("the first node has no data directory")?;
        let out = Command::new(rabbitmqctl(lookup))
            .args(["-n", first.name(), "cluster_status", "--formatter", "json"])
            .env("PATH", lookup.path_value())
            .env("HOME", home)
            .env("ERL_EPMD_PORT", ports[0].to_string())
            .env("ERL_AFLAGS", "-start_epmd false")
            .output()
            .map_err(|e| format!("running rabbitmqctl: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "rabbitmqctl cluster_status failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let status: serde_json::Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("rabbitmqctl cluster_status printed no JSON: {e}"))?;
        let running: Vec<&str> = status["running_nodes"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let missing: Vec<&str> = nodes
            .iter()
            .map(|n| n.name())
            .filter(|n| !running.contains(n))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{} runs with {running:?} but not {missing:?}; read their logs",
                first.name()
            ))
        }
    }
}
