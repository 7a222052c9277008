//! Scenario `reqrep`: REQ/REP, the REQ socket that gets stuck when a reply
//! never comes, and the Lazy Pirate client that gets unstuck.
//!
//! A REQ socket insists on send, receive, send, receive. If the reply is
//! lost, the socket can neither receive (nothing comes) nor send (it is
//! still waiting): the only way out is to close it and open a new one. The
//! Lazy Pirate pattern does exactly that, with a timeout and a retry limit.

use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::Lab;
use crate::zsock::{self, bind_tcp, blocking, socket};

/// The scenario, as `cargo run -p lab-zeromq -- reqrep` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "reqrep",
    "REQ/REP: a lost reply leaves REQ stuck; the Lazy Pirate client retries",
    "the send is refused (EFSM); each dropped reply costs one retry",
);

/// What a REQ socket does once its reply is lost.
#[derive(Debug, Clone)]
pub struct Stuck {
    /// Whether a receive with a 200 ms timeout gave up with EAGAIN.
    pub recv_timed_out: bool,
    /// libzmq's error for the next send, e.g. "Operation cannot be
    /// accomplished in current state" (EFSM).
    pub second_send: Option<String>,
    /// Whether that error is EFSM, the state machine refusing.
    pub refused_by_state: bool,
}

// ANCHOR: stuck
/// Sends a request to a REP socket that reads it and never answers, then
/// tries to wait for the reply and to send again.
pub fn stuck(ctx: &zmq::Context) -> anyhow::Result<Stuck> {
    let rep = socket(ctx, zmq::REP)?;
    let endpoint = bind_tcp(&rep)?;
    let req = socket(ctx, zmq::REQ)?;
    req.connect(&endpoint)?;
    // ANCHOR: stuck_steps
    req.send("pay 42", 0)?;
    rep.recv_bytes(0)?; // the server got it... and never replies

    req.set_rcvtimeo(200)?;
    let recv_timed_out = matches!(req.recv_bytes(0), Err(zmq::Error::EAGAIN));
    let second = req.send("pay 43", zmq::DONTWAIT);
    // ANCHOR_END: stuck_steps
    Ok(Stuck {
        recv_timed_out,
        refused_by_state: matches!(second, Err(zmq::Error::EFSM)),
        second_send: second.err().map(|e| e.to_string()),
    })
}
// ANCHOR_END: stuck

/// What the Lazy Pirate client achieved against a server that drops some
/// replies.
#[derive(Debug, Clone, Default)]
pub struct Pirate {
    /// Requests the client had to get answered.
    pub requests: u32,
    /// Requests answered (with the right sequence number).
    pub answered: u32,
    /// Times the client timed out, closed its socket and resent.
    pub retries: u32,
    /// REQ sockets the client opened in all.
    pub sockets_opened: u32,
    /// Requests the server read and chose not to answer.
    pub dropped_by_server: u32,
}

/// A request/reply server on a ROUTER socket that ignores every
/// `drop_every`-th request it reads (a reply lost on the way, as far as the
/// client can tell). Runs until it reads `stop`; returns how many it dropped.
fn flaky_server(router: zmq::Socket, drop_every: u32) -> anyhow::Result<u32> {
    let (mut read, mut dropped) = (0, 0);
    loop {
        // A REQ peer's message arrives at a ROUTER as [identity, "", body].
        let msg = router.recv_multipart(0)?;
        let [id, empty, body] = <[Vec<u8>; 3]>::try_from(msg)
            .map_err(|m| anyhow::anyhow!("a REQ request has 3 frames, not {}", m.len()))?;
        if body == b"stop" {
            return Ok(dropped);
        }
        read += 1;
        if read % drop_every == 0 {
            dropped += 1;
            continue;
        }
        router.send_multipart([id, empty, body], 0)?;
    }
}

// ANCHOR: lazy_pirate
/// The Lazy Pirate client: send, wait `timeout` for the reply; on silence,
/// close the socket (a REQ cannot send twice), open a new one, resend —
/// at most `max_retries` times per request.
pub fn lazy_pirate(
    ctx: &zmq::Context,
    endpoint: &str,
    requests: u32,
    timeout: Duration,
    max_retries: u32,
) -> anyhow::Result<Pirate> {
    let mut out = Pirate {
        requests,
        ..Pirate::default()
    };
    let open = |out: &mut Pirate| -> anyhow::Result<zmq::Socket> {
        out.sockets_opened += 1;
        let s = socket(ctx, zmq::REQ)?;
        s.connect(endpoint)?;
        Ok(s)
    };
    let mut req = open(&mut out)?;
    for seq in 1..=requests {
        let request = seq.to_string();
        let mut tries = 0;
        req.send(request.as_str(), 0)?;
        loop {
            // ANCHOR: pirate_wait
            match zsock::recv_within(&req, timeout)? {
                // ANCHOR_END: pirate_wait
                Some(reply) if reply.concat() == request.as_bytes() => {
                    out.answered += 1;
                    break;
                }
                Some(_) => continue, // a late reply to an earlier try: ignore
                None if tries == max_retries => {
                    anyhow::bail!(
                        "request {seq}: no reply after {tries} retries; is the server up?"
                    )
                }
                // ANCHOR: pirate_resend
                None => {
                    tries += 1;
                    out.retries += 1;
                    drop(req); // linger 0: the unanswered request is discarded
                    req = open(&mut out)?;
                    req.send(request.as_str(), 0)?;
                }
            }
            // ANCHOR_END: pirate_resend
        }
    }
    Ok(out)
}
// ANCHOR_END: lazy_pirate

/// Runs the Lazy Pirate client against a server that drops every
/// `drop_every`-th request it reads.
pub fn pirate_against_flaky_server(
    ctx: &zmq::Context,
    requests: u32,
    drop_every: u32,
) -> anyhow::Result<Pirate> {
    let router = socket(ctx, zmq::ROUTER)?;
    let endpoint = bind_tcp(&router)?;
    let server = std::thread::spawn(move || flaky_server(router, drop_every));
    let result = lazy_pirate(ctx, &endpoint, requests, Duration::from_millis(250), 3);
    // Tell the server to stop, whatever happened.
    let stopper = socket(ctx, zmq::REQ)?;
    stopper.connect(&endpoint)?;
    stopper.send("stop", 0)?;
    let dropped = server
        .join()
        .map_err(|_| anyhow::anyhow!("the server thread panicked"))??;
    let mut pirate = result?;
    pirate.dropped_by_server = dropped;
    Ok(pirate)
}

/// Runs the scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let ctx = lab.ctx().clone();
    let (stuck, pirate) =
        blocking(move || Ok((stuck(&ctx)?, pirate_against_flaky_server(&ctx, 20, 4)?))).await?;

    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        "A REQ socket whose reply never comes",
        &["step", "what happened"],
    );
    t.row([
        "send \"pay 42\"",
        "accepted; the server reads it and says nothing",
    ]);
    t.row([
        "recv, 200 ms timeout",
        if stuck.recv_timed_out {
            "EAGAIN: nothing came"
        } else {
            "a reply?!"
        },
    ]);
    t.row([
        "send \"pay 43\"",
        stuck.second_send.as_deref().unwrap_or("accepted?!"),
    ]);
    t.note("the socket is stuck: REQ insists on send, recv, send, recv");
    report.table(t);

    let mut t = Table::new(
        "Lazy Pirate client vs a server dropping every 4th request",
        &[
            "requests",
            "answered",
            "dropped by server",
            "retries",
            "REQ sockets",
        ],
    );
    t.row([
        pirate.requests,
        pirate.answered,
        pirate.dropped_by_server,
        pirate.retries,
        pirate.sockets_opened,
    ]);
    t.note("each retry = close the stuck socket, open a new one, resend (250 ms timeout)");
    report.table(t);
    report.value("retries", pirate.retries);
    report.value("answered", pirate.answered);
    Ok(report)
}
