//! Scenario `curve`: CURVE encryption and ZAP authentication — security in
//! ZeroMQ is opt-in, and this is what opting in changes.
//!
//! With the default NULL mechanism, anyone who can reach the port can talk,
//! and anyone on the path can read. CURVE (RFC 26/CurveZMQ) gives the
//! server a long-term key pair whose public half clients must know: a
//! client with the wrong key cannot complete the handshake, and everything
//! after the greeting is encrypted. ZAP (RFC 27) lets the server ask a
//! handler of its own, over `inproc://zeromq.zap.01`, whether a client's
//! public key is welcome.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::zmtp::{self, Kind};
use labkit::wire::{Decoder, Direction, Proxy};

use crate::Lab;
use crate::zsock::{bind_tcp, blocking, port, recv_within, socket};

/// The scenario, as `cargo run -p lab-zeromq -- curve` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "curve",
    "CURVE: the wrong server key, the bytes on the wire, and ZAP refusing a client",
    "with CURVE the card number is not in the recording; ZAP says no",
);

/// The message the lab sends; a reader can search a pcap file for it.
pub const SECRET: &str = "card 4111-1111-1111-1111 amount 42.00";

/// A server and a client key pair.
pub struct Keys {
    pub server: zmq::CurveKeyPair,
    pub client: zmq::CurveKeyPair,
}

impl Keys {
    /// Fresh keys. Fails with a clear line when libzmq was built without
    /// CURVE (the `zmq` crate's own vendored build is).
    pub fn new() -> anyhow::Result<Keys> {
        let make = || {
            zmq::CurveKeyPair::new().map_err(|e| {
                anyhow::anyhow!(
                    "this libzmq cannot make CURVE keys ({e}); install Debian's libzmq3-dev, which has CURVE"
                )
            })
        };
        Ok(Keys {
            server: make()?,
            client: make()?,
        })
    }
}

// ANCHOR: curve_sockets
/// A REP server socket that speaks CURVE with the secret key `server`.
pub fn curve_server(ctx: &zmq::Context, server: &zmq::CurveKeyPair) -> anyhow::Result<zmq::Socket> {
    let rep = socket(ctx, zmq::REP)?;
    // ANCHOR: curve_server_keys
    rep.set_curve_server(true)?;
    rep.set_curve_secretkey(&server.secret_key)?;
    // ANCHOR_END: curve_server_keys
    Ok(rep)
}

/// A REQ client that expects the server's public key `server_public`.
pub fn curve_client(
    ctx: &zmq::Context,
    client: &zmq::CurveKeyPair,
    server_public: &[u8],
) -> anyhow::Result<zmq::Socket> {
    let req = socket(ctx, zmq::REQ)?;
    // ANCHOR: curve_client_keys
    req.set_curve_serverkey(server_public)?;
    req.set_curve_publickey(&client.public_key)?;
    req.set_curve_secretkey(&client.secret_key)?;
    // ANCHOR_END: curve_client_keys
    Ok(req)
}
// ANCHOR_END: curve_sockets

/// Sends one request from `req` and returns whether `rep` answered it
/// within `wait` (the server echoes).
fn exchange(req: &zmq::Socket, rep: &zmq::Socket, wait: Duration) -> anyhow::Result<bool> {
    req.send(SECRET, 0)?;
    let Some(request) = recv_within(rep, wait)? else {
        return Ok(false);
    };
    rep.send_multipart(request, 0)?;
    Ok(recv_within(req, wait)?.is_some())
}

/// Whether a client got its answer with the right and with a wrong server key.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyCheck {
    pub right_key_answered: bool,
    pub wrong_key_answered: bool,
}

/// One CURVE server; one client that knows its public key, one that has
/// another key instead.
pub fn server_key(ctx: &zmq::Context) -> anyhow::Result<KeyCheck> {
    let keys = Keys::new()?;
    let impostor = zmq::CurveKeyPair::new()?;
    let rep = curve_server(ctx, &keys.server)?;
    let endpoint = bind_tcp(&rep)?;
    let wrong = curve_client(ctx, &keys.client, &impostor.public_key)?;
    wrong.connect(&endpoint)?;
    let wrong_key_answered = exchange(&wrong, &rep, Duration::from_millis(500))?;
    drop(wrong);
    let right = curve_client(ctx, &keys.client, &keys.server.public_key)?;
    right.connect(&endpoint)?;
    let right_key_answered = exchange(&right, &rep, Duration::from_secs(5))?;
    Ok(KeyCheck {
        right_key_answered,
        wrong_key_answered,
    })
}

/// What a recording of one request and reply shows.
#[derive(Debug, Clone, Default)]
pub struct OnWire {
    /// The mechanism both greetings named.
    pub mechanism: String,
    /// Whether [`SECRET`] appears anywhere in either direction.
    pub plaintext_seen: bool,
    /// Bytes both ways.
    pub bytes: u64,
    /// What the client sent after the greeting, in order: command names,
    /// and `message frame` for each frame of an application message.
    pub client_commands: Vec<String>,
}

/// One request and reply through a recording proxy, with or without CURVE.
pub async fn on_the_wire(ctx: &zmq::Context, curve: bool) -> anyhow::Result<OnWire> {
    let keys = Keys::new()?;
    let rep = if curve {
        curve_server(ctx, &keys.server)?
    } else {
        socket(ctx, zmq::REP)?
    };
    let endpoint = bind_tcp(&rep)?;
    let proxy = Proxy::start(([127, 0, 0, 1], port(&endpoint)?).into()).await?;
    let via = format!("tcp://{}", proxy.addr());
    let ctx = ctx.clone();
    let answered = blocking(move || {
        let req = if curve {
            curve_client(&ctx, &keys.client, &keys.server.public_key)?
        } else {
            socket(&ctx, zmq::REQ)?
        };
        req.connect(&via)?;
        exchange(&req, &rep, Duration::from_secs(5))
    })
    .await?;
    anyhow::ensure!(answered, "the request through the proxy was not answered");
    anyhow::ensure!(
        proxy.wait_closed(Duration::from_secs(10)).await,
        "the proxy stayed open"
    );
    let conn = proxy
        .recording()
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("nothing crossed the proxy"))?;
    let up = conn.stream(Direction::ToServer);
    let down = conn.stream(Direction::ToClient);
    let contains = |s: &[u8]| s.windows(SECRET.len()).any(|w| w == SECRET.as_bytes());
    let units = zmtp::Frames.decode(&up).units;
    Ok(OnWire {
        mechanism: units
            .iter()
            .find_map(|u| match &u.kind {
                Kind::Greeting { mechanism, .. } => Some(mechanism.clone()),
                _ => None,
            })
            .unwrap_or_default(),
        plaintext_seen: contains(&up) || contains(&down),
        bytes: conn.bytes(Direction::ToServer) + conn.bytes(Direction::ToClient),
        client_commands: units
            .iter()
            .filter_map(|u| match &u.kind {
                Kind::Command { name } => Some(name.clone()),
                // libzmq 4.3 sends CURVE's MESSAGE in a data frame, not a
                // command frame: its body starts with the name all the same.
                Kind::Message if u.body.starts_with(b"\x07MESSAGE") => {
                    Some("MESSAGE (data frame)".into())
                }
                Kind::Message => Some("message frame".into()),
                _ => None,
            })
            .collect(),
    })
}

/// What the ZAP handler decided.
#[derive(Debug, Clone, Copy, Default)]
pub struct Zap {
    pub known_answered: bool,
    pub unknown_answered: bool,
    pub approved: u32,
    pub refused: u32,
}

// ANCHOR: zap_handler
/// A ZAP handler (RFC 27): libzmq asks it, over `inproc://zeromq.zap.01`,
/// whether each connecting client may talk. It approves only CURVE
/// clients whose public key is in `allowed`.
fn zap_handler(
    handler: zmq::Socket,
    allowed: BTreeSet<Vec<u8>>,
    stop: Arc<AtomicBool>,
    verdicts: Arc<[AtomicU32; 2]>,
) -> anyhow::Result<()> {
    while !stop.load(Ordering::Relaxed) {
        let Some(request) = recv_within(&handler, Duration::from_millis(20))? else {
            continue;
        };
        // ANCHOR: zap_verdict
        // version, request id, domain, address, identity, mechanism, key
        let welcome = request.len() == 7 && request[5] == b"CURVE" && allowed.contains(&request[6]);
        let (code, text) = if welcome {
            ("200", "OK")
        } else {
            ("400", "unknown key")
        };
        // ANCHOR_END: zap_verdict
        verdicts[usize::from(!welcome)].fetch_add(1, Ordering::Relaxed);
        let id = request.get(1).cloned().unwrap_or_default();
        handler.send_multipart(
            [
                b"1.0".to_vec(),
                id,
                code.into(),
                text.into(),
                b"".to_vec(),
                b"".to_vec(),
            ],
            0,
        )?;
    }
    Ok(())
}
// ANCHOR_END: zap_handler

/// A CURVE server with a ZAP handler that knows one client's key; that
/// client and a stranger (who knows the server's key too) both try.
pub fn zap(ctx_for_lab: &zmq::Context) -> anyhow::Result<Zap> {
    // The ZAP endpoint is per context: a context of its own keeps it private.
    let _ = ctx_for_lab;
    let ctx = zmq::Context::new();
    let keys = Keys::new()?;
    let stranger = zmq::CurveKeyPair::new()?;
    let handler = socket(&ctx, zmq::REP)?;
    handler.bind("inproc://zeromq.zap.01")?;
    let stop = Arc::new(AtomicBool::new(false));
    let verdicts: Arc<[AtomicU32; 2]> = Arc::new([AtomicU32::new(0), AtomicU32::new(0)]);
    let allowed = BTreeSet::from([keys.client.public_key.to_vec()]);
    let thread = {
        let (stop, verdicts) = (stop.clone(), verdicts.clone());
        std::thread::spawn(move || zap_handler(handler, allowed, stop, verdicts))
    };
    let result = (|| -> anyhow::Result<(bool, bool)> {
        let rep = curve_server(&ctx, &keys.server)?;
        rep.set_zap_domain("lab")?;
        let endpoint = bind_tcp(&rep)?;
        let unknown = curve_client(&ctx, &stranger, &keys.server.public_key)?;
        unknown.connect(&endpoint)?;
        let unknown_answered = exchange(&unknown, &rep, Duration::from_millis(500))?;
        drop(unknown);
        let known = curve_client(&ctx, &keys.client, &keys.server.public_key)?;
        known.connect(&endpoint)?;
        let known_answered = exchange(&known, &rep, Duration::from_secs(5))?;
        Ok((known_answered, unknown_answered))
    })();
    stop.store(true, Ordering::Relaxed);
    thread
        .join()
        .map_err(|_| anyhow::anyhow!("the ZAP handler panicked"))??;
    let (known_answered, unknown_answered) = result?;
    Ok(Zap {
        known_answered,
        unknown_answered,
        approved: verdicts[0].load(Ordering::Relaxed),
        refused: verdicts[1].load(Ordering::Relaxed),
    })
}

/// `a, b, b` → `a, b ×2`: a short list for a report line.
fn collapse(items: &[String]) -> String {
    let mut out: Vec<(String, usize)> = Vec::new();
    for item in items {
        match out.last_mut() {
            Some((last, n)) if last == item => *n += 1,
            _ => out.push((item.clone(), 1)),
        }
    }
    out.iter()
        .map(|(s, n)| {
            if *n > 1 {
                format!("{s} ×{n}")
            } else {
                s.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs the scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let plain = on_the_wire(lab.ctx(), false).await?;
    let curve = on_the_wire(lab.ctx(), true).await?;
    let ctx = lab.ctx().clone();
    let (keys, zap) = blocking(move || Ok((server_key(&ctx)?, zap(&ctx)?))).await?;

    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        "One request and its reply, recorded by the proxy",
        &["mechanism", "bytes both ways", "card number readable"],
    );
    for w in [&plain, &curve] {
        t.row([
            w.mechanism.clone(),
            w.bytes.to_string(),
            if w.plaintext_seen { "yes" } else { "no" }.to_string(),
        ]);
    }
    for w in [&plain, &curve] {
        t.note(format!(
            "{} client sent: {}",
            w.mechanism,
            collapse(&w.client_commands)
        ));
    }
    report.table(t);

    let yes_no = |b: bool| if b { "answered" } else { "no answer" };
    let mut t = Table::new(
        "Who gets an answer from a CURVE server",
        &["client", "result"],
    );
    t.row([
        "knows the server's public key",
        yes_no(keys.right_key_answered),
    ]);
    t.row([
        "has a different server key",
        yes_no(keys.wrong_key_answered),
    ]);
    t.row(["ZAP: a key the handler knows", yes_no(zap.known_answered)]);
    t.row([
        "ZAP: a key the handler does not know",
        yes_no(zap.unknown_answered),
    ]);
    t.note(format!(
        "the ZAP handler approved {} and refused {}",
        zap.approved, zap.refused
    ));
    report.table(t);
    Ok(report)
}
