//! Exercise `zeromq-snapshot`: a subscriber that joins late and still ends
//! with the whole state.
//!
//! A key-value service publishes updates `[key, value, seq]` on PUB and
//! answers `SNAPSHOT` on REP with `[seq, key, value, key, value, ...]`.
//! Whatever was published before a subscriber joined is gone for it, so it
//! takes a snapshot — but updates keep flowing meanwhile. The order that
//! loses nothing: subscribe first, make sure the subscription works, then
//! ask for the snapshot, then apply only the updates newer than it.

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

// ANCHOR: late_join
/// Joins the service at `updates` (PUB) and `snapshot` (REP) and returns
/// the replica once update `last_seq` has been applied.
pub fn late_join(
    ctx: &zmq::Context,
    updates: &str,
    snapshot: &str,
    last_seq: u64,
) -> anyhow::Result<Replica> {
    // TODO: subscribe to every update, and wait for the first one (keep
    // it). Then send SNAPSHOT on a REQ socket and load the state and its
    // sequence number from the reply. Then apply updates (the one you kept
    // first) whose seq is newer than the snapshot's, recording each seq in
    // `applied`, until you have applied `last_seq`.
    let _ = (ctx, updates, snapshot, last_seq, text);
    todo!("the late joiner")
}
// ANCHOR_END: late_join
