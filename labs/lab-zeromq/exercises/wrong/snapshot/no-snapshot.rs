//! Wrong: never takes the snapshot, so the keys published before it joined are missing.
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

pub fn late_join(
    ctx: &zmq::Context,
    updates: &str,
    _snapshot: &str,
    last_seq: u64,
) -> anyhow::Result<Replica> {
    let sub = ctx.socket(zmq::SUB)?;
    sub.set_linger(0)?;
    sub.set_subscribe(b"")?;
    sub.set_rcvtimeo(5_000)?;
    sub.connect(updates)?;
    let mut replica = Replica::default();
    loop {
        let update = sub.recv_multipart(0).context("the updates stopped")?;
        let seq: u64 = text(&update[2]).parse()?;
        replica.state.insert(text(&update[0]), text(&update[1]));
        replica.applied.push(seq);
        if seq >= last_seq {
            return Ok(replica);
        }
    }
}
