//! `rabbitmqctl` against a private node labkit started: users, virtual
//! hosts and permissions are not part of AMQP 0-9-1, so the broker's own
//! admin tool sets them up.
//!
//! A private node has its own Erlang cookie (in its `HOME`), its own epmd
//! port and node name; `rabbitmqctl` needs all three. labkit started the
//! node with them in its environment, so we read them back from
//! `/proc/PID/environ` (Linux) rather than guessing. A real operator runs
//! `rabbitmqctl` on the node's own host, where the cookie already is, or
//! uses the management HTTP API.

use std::collections::HashMap;
use std::process::Command;

use anyhow::{Context, bail};
use labkit::broker::Broker;

/// The installed admin tool (the `/usr/sbin` wrapper would switch users).
const RABBITMQCTL: &str = "/usr/lib/rabbitmq/bin/rabbitmqctl";

fn node_env(broker: &Broker) -> anyhow::Result<HashMap<String, String>> {
    let pid = broker.pid().context(
        "this needs a private RabbitMQ that labkit started (not AMQP_URL or a shared one)",
    )?;
    let raw = std::fs::read(format!("/proc/{pid}/environ")).with_context(|| {
        format!("reading the environment of RabbitMQ process {pid} (Linux only)")
    })?;
    Ok(raw
        .split(|b| *b == 0)
        .filter_map(|kv| {
            let kv = String::from_utf8_lossy(kv);
            kv.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect())
}

/// Runs `rabbitmqctl -n NODE ARGS...` and returns its standard output.
pub fn rabbitmqctl(broker: &Broker, args: &[&str]) -> anyhow::Result<String> {
    let env = node_env(broker)?;
    let get = |k: &str| {
        env.get(k)
            .cloned()
            .with_context(|| format!("the node's environment lacks {k}"))
    };
    let out = Command::new(RABBITMQCTL)
        .arg("-n")
        .arg(get("RABBITMQ_NODENAME")?)
        .args(args)
        .env("HOME", get("HOME")?)
        .env("ERL_EPMD_PORT", get("ERL_EPMD_PORT")?)
        // If the node's epmd is gone (the lab was killed mid-call), a VM
        // without this flag starts an `epmd -daemon` that outlives us all.
        .env("ERL_AFLAGS", "-start_epmd false")
        .output()
        .with_context(|| format!("running {RABBITMQCTL} (install rabbitmq-server)"))?;
    if !out.status.success() {
        bail!(
            "rabbitmqctl {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
