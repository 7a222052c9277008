//! Wrong: applies every update, even those older than the snapshot, over newer state.
//!
//! Exercise `zeromq-snapshot`: a subscriber that joins late and still ends
//! with the whole state.
//!
//! A key-value service publishes updates `[key, value, seq]` on PUB and
//! answers `SNAPSHOT` on REP with `[seq, key, value, key, value, ...]`.
//! Whatever was published before a subscriber joined is gone for it, so it
//! takes a snapshot — but updates keep flowing meanwhile. The order that
//! loses nothing: subscribe first, make sure the subscription works, then
//! ask for the snapshot, then apply only the updates newer than it.

use anyhow::Context as _;
use std::collections::BTreeMap;

/// The subscriber's copy of the state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replica {
    pub state: BTreeMap<String, String>,
    /// The sequence number the snapshot was taken at.
    pub snapshot_seq: u64,
    /// The sequence numbers of the updates applied on top, in order.
    pub applied: Vec<u64>,
}

fn text(frame: &[u8]) -> String {
    String::from_utf8_lossy(frame).into_owned()
}

/// Joins the service at `updates` (PUB) and `snapshot` (REP) and returns
/// the replica once update `last_seq` has been applied.
pub fn late_join(
    ctx: &zmq::Context,
    updates: &str,
    snapshot: &str,
    last_seq: u64,
) -> anyhow::Result<Replica> {
    let sub = ctx.socket(zmq::SUB)?;
    sub.set_linger(0)?;
    sub.set_subscribe(b"")?;
    sub.set_rcvtimeo(5_000)?;
    sub.connect(updates)?;
    // 1. The first update proves the subscription works; keep it.
    let first = sub.recv_multipart(0).context("no update within 5 s")?;

    // 2. Only now take the snapshot.
    let req = ctx.socket(zmq::REQ)?;
    req.set_linger(0)?;
    req.set_rcvtimeo(5_000)?;
    req.connect(snapshot)?;
    req.send("SNAPSHOT", 0)?;
    let snap = req.recv_multipart(0).context("no snapshot within 5 s")?;
    let mut replica = Replica {
        snapshot_seq: text(&snap[0]).parse()?,
        ..Replica::default()
    };
    for pair in snap[1..].chunks(2) {
        replica.state.insert(text(&pair[0]), text(&pair[1]));
    }

    // 3. Apply the updates newer than the snapshot, the kept one first.
    let mut update = first;
    loop {
        let seq: u64 = text(&update[2]).parse()?;
        replica.state.insert(text(&update[0]), text(&update[1]));
        replica.applied.push(seq);
        if seq >= last_seq {
            return Ok(replica);
        }
        update = sub.recv_multipart(0).context("the updates stopped")?;
    }
}
