//! Scenario `sync`: local-first editing. Two replicas of one document
//! (Yjs' CRDT, through its Rust port `yrs`) are edited while apart, then
//! meet over a loopback TCP connection and run Yjs' two-step sync: each
//! sends its *state vector* (how much of each writer's history it has),
//! the other answers with only what is missing. Both end with the same
//! text, whichever side dials; a third replica that joins late gets it all
//! in one answer.
//!
//! The connection goes through labkit's recording proxy, so the sync
//! messages are counted on the wire and set against sending the whole
//! document. The framing (`type`, length, payload) is the lab's own; the
//! y-protocols package frames the same two steps with varints, and real
//! deployments carry them over WebSocket, WebRTC or anything that moves
//! bytes — that is the point of local-first.

use std::net::SocketAddr;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::{Direction, Proxy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact, Update};

use crate::Lab;

/// The scenario, as `cargo run -p lab-frontier -- sync` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "sync",
    "two replicas edited apart, then synced over TCP (Yjs' two-step sync)",
    "the sync messages carry the edits, not the document; both sides end the same",
);

/// The name of the shared text inside each document.
const TEXT: &str = "ledger";

/// Message types of the lab's framing.
const STEP1: u8 = 0; // "here is my state vector"
const STEP2: u8 = 1; // "here is what you lack"

/// A replica: one document, with a fixed client id so runs repeat.
pub fn replica(client_id: u64) -> Doc {
    Doc::with_client_id(client_id)
}

/// The replica's text.
pub fn text_of(doc: &Doc) -> String {
    let text = doc.get_or_insert_text(TEXT);
    text.get_string(&doc.transact())
}

/// Insert `s` at character `at` (clamped to the end).
pub fn insert(doc: &Doc, at: u32, s: &str) {
    let text = doc.get_or_insert_text(TEXT);
    let mut txn = doc.transact_mut();
    let at = at.min(text.len(&txn));
    text.insert(&mut txn, at, s);
}

/// Remove `len` characters at `at`.
pub fn remove(doc: &Doc, at: u32, len: u32) {
    let text = doc.get_or_insert_text(TEXT);
    let mut txn = doc.transact_mut();
    let len = len.min(text.len(&txn).saturating_sub(at));
    text.remove_range(&mut txn, at, len);
}

/// The whole document as one update: what a client without sync would send.
pub fn whole(doc: &Doc) -> Vec<u8> {
    doc.transact()
        .encode_state_as_update_v1(&StateVector::default())
}

async fn send(stream: &mut TcpStream, kind: u8, payload: &[u8]) -> anyhow::Result<()> {
    let mut frame = vec![kind];
    frame.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    frame.extend_from_slice(payload);
    stream.write_all(&frame).await?;
    Ok(())
}

async fn receive(stream: &mut TcpStream) -> anyhow::Result<(u8, Vec<u8>)> {
    let kind = stream.read_u8().await?;
    let len = stream.read_u32().await? as usize;
    anyhow::ensure!(len < 64 << 20, "a frame of {len} bytes");
    let mut payload = vec![0; len];
    stream.read_exact(&mut payload).await?;
    Ok((kind, payload))
}

// ANCHOR: sync
/// One side of a sync: say what we have, answer what the peer lacks,
/// apply what we lacked. Both sides run the same code.
pub async fn sync(doc: &Doc, stream: &mut TcpStream) -> anyhow::Result<()> {
    let have = doc.transact().state_vector().encode_v1();
    send(stream, STEP1, &have).await?;
    let mut answered = false;
    let mut applied = false;
    while !(answered && applied) {
        match receive(stream).await? {
            (STEP1, theirs) => {
                let theirs = StateVector::decode_v1(&theirs)?;
                let missing = doc.transact().encode_state_as_update_v1(&theirs);
                send(stream, STEP2, &missing).await?;
                answered = true;
            }
            (STEP2, update) => {
                doc.transact_mut()
                    .apply_update(Update::decode_v1(&update)?)?;
                applied = true;
            }
            (other, _) => anyhow::bail!("unknown sync message type {other}"),
        }
    }
    Ok(())
}
// ANCHOR_END: sync

/// Bytes one sync moved, each way, as the proxy counted them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub from_dialer: u64,
    pub to_dialer: u64,
}

/// `dialer` connects to `listener` through a recording proxy; both sync.
pub async fn sync_pair(dialer: &Doc, listener: &Doc) -> anyhow::Result<Moved> {
    let server = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr: SocketAddr = server.local_addr()?;
    let proxy = Proxy::start(addr).await?;
    let listening = listener.clone();
    let accept = tokio::spawn(async move {
        let (mut stream, _) = server.accept().await?;
        sync(&listening, &mut stream).await
    });
    let mut stream = TcpStream::connect(proxy.addr()).await?;
    stream.set_nodelay(true)?;
    sync(dialer, &mut stream).await?;
    accept.await??;
    Ok(Moved {
        from_dialer: proxy.bytes(Direction::ToServer),
        to_dialer: proxy.bytes(Direction::ToClient),
    })
}

/// The length of each of the first ten ledger lines, newline included.
const LINE_LEN: u32 = 33;

/// The shared starting point: a ledger of `lines` payment notes, made by
/// replica 1 and copied to replica 2 while they were still together.
pub fn base(lines: usize) -> (Doc, Doc) {
    let a = replica(1);
    let mut ledger = String::new();
    for i in 0..lines {
        ledger.push_str(&format!(
            "{i:04} paid {:>5}.{:02} EUR to shop-{}\n",
            i * 37 % 900,
            i % 100,
            i % 13
        ));
    }
    insert(&a, 0, &ledger);
    let b = replica(2);
    b.transact_mut()
        .apply_update(Update::decode_v1(&whole(&a)).expect("our own encoding"))
        .expect("a fresh replica takes any update");
    (a, b)
}

// ANCHOR: offline
/// What each replica does while disconnected: both add a line at the
/// top; A notes a refund on the first payment, B deletes the second.
pub fn edit_apart(a: &Doc, b: &Doc) {
    insert(a, 0, "[A] reconciled\n");
    let end_of_first = 15 + LINE_LEN - 1; // before its newline
    insert(a, end_of_first, " (refund)");
    insert(b, 0, "[B] exported\n");
    remove(b, 13 + LINE_LEN, LINE_LEN);
}
// ANCHOR_END: offline

/// Everything the scenario measures.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The texts after `a` dialled `b`, and after `b` dialled `a` (from
    /// the same offline edits).
    pub a_dials: (String, String),
    pub b_dials: (String, String),
    pub moved: Moved,
    pub whole_a: usize,
    pub whole_b: usize,
    /// The late joiner's text and the bytes it received.
    pub late: String,
    pub late_received: u64,
}

/// Edit apart, sync in both orders, then let a third replica join.
pub async fn measure(lines: usize) -> anyhow::Result<Outcome> {
    let (a, b) = base(lines);
    edit_apart(&a, &b);
    let (whole_a, whole_b) = (whole(&a).len(), whole(&b).len());
    let moved = sync_pair(&a, &b).await?;
    let a_dials = (text_of(&a), text_of(&b));

    let (a2, b2) = base(lines);
    edit_apart(&a2, &b2);
    sync_pair(&b2, &a2).await?;
    let b_dials = (text_of(&a2), text_of(&b2));

    let c = replica(3);
    let late = sync_pair(&c, &a).await?;
    Ok(Outcome {
        a_dials,
        b_dials,
        moved,
        whole_a,
        whole_b,
        late: text_of(&c),
        late_received: late.to_dialer,
    })
}

/// Runs the scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        "Syncing two replicas edited apart (bytes on the wire)",
        &[
            "lines",
            "A → B",
            "B → A",
            "whole A",
            "whole B",
            "late joiner",
            "equal",
        ],
    );
    for lines in [10, 100, 1000] {
        let o = measure(lines).await?;
        let equal = o.a_dials.0 == o.a_dials.1
            && o.b_dials.0 == o.b_dials.1
            && o.a_dials.0 == o.b_dials.0
            && o.late == o.a_dials.0;
        t.row([
            lines.to_string(),
            o.moved.from_dialer.to_string(),
            o.moved.to_dialer.to_string(),
            o.whole_a.to_string(),
            o.whole_b.to_string(),
            o.late_received.to_string(),
            if equal { "yes" } else { "NO" }.to_string(),
        ]);
    }
    t.note("A → B: A's state vector and its answer to B's; whole: the document as one update");
    t.note("late joiner: what an empty replica receives when it syncs with A");
    report.table(t);
    let o = measure(3).await?;
    let mut merged = Table::new("The merged ledger (3 lines to start)", &["line"]);
    for line in o.a_dials.0.lines() {
        merged.row([line.to_string()]);
    }
    report.table(merged);
    Ok(report)
}
