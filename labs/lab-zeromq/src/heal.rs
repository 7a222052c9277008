//! Scenario `heal`: peers that come and go — a subscriber that leaves and
//! returns, a worker that joins a running pipeline, a server restarted
//! under a client — and what is lost meanwhile.
//!
//! ZeroMQ reconnects by itself: a socket that called `connect` keeps trying
//! until the other side is back, and a peer that appears is dealt work at
//! once. What it does not do is remember: whatever was published while a
//! subscriber was away, and whatever a dead server had already read, is
//! gone.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::Lab;
use crate::loss::{until_joined, worker};
use crate::zsock::{Handshakes, bind_tcp, blocking, pause, port, recv_within, socket};

/// The scenario, as `cargo run -p lab-zeromq -- heal` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "heal",
    "peers that come and go: a subscriber away, a late worker, a restarted server",
    "reconnecting is automatic; what a peer missed is not replayed",
);

/// A subscriber that left and came back.
#[derive(Debug, Clone, Default)]
pub struct Rejoin {
    pub published: u32,
    pub received: u32,
    /// The last sequence number seen before leaving, the first after.
    pub left_after: u32,
    pub back_at: u32,
    /// Whether any number arrived twice or out of order.
    pub disordered: bool,
}

/// Publishes `0..n` at about one a millisecond; the subscriber leaves after
/// number `leave`, and a new one connects once `rejoin` was published.
pub fn rejoin(ctx: &zmq::Context, n: u32, leave: u32, rejoin: u32) -> anyhow::Result<Rejoin> {
    let publisher = socket(ctx, zmq::PUB)?;
    let endpoint = bind_tcp(&publisher)?;
    let subscribe = || -> anyhow::Result<zmq::Socket> {
        let s = socket(ctx, zmq::SUB)?;
        s.set_subscribe(b"")?;
        s.connect(&endpoint)?;
        Ok(s)
    };
    let first = subscribe()?;
    until_joined(&publisher, &first)?;
    let published = Arc::new(AtomicU32::new(0));
    let thread = {
        let published = published.clone();
        std::thread::spawn(move || -> anyhow::Result<()> {
            for seq in 0..n {
                publisher.send(seq.to_be_bytes().as_slice(), 0)?;
                published.store(seq + 1, Ordering::Release);
                pause(1);
            }
            Ok(())
        })
    };
    let mut seen = Vec::new();
    let read = |sub: &zmq::Socket, seen: &mut Vec<u32>, until: u32| -> anyhow::Result<()> {
        while let Some(m) = recv_within(sub, Duration::from_secs(2))? {
            let Ok(bytes) = <[u8; 4]>::try_from(m[0].as_slice()) else {
                continue;
            }; // a probe
            let seq = u32::from_be_bytes(bytes);
            seen.push(seq);
            if seq >= until {
                break;
            }
        }
        Ok(())
    };
    read(&first, &mut seen, leave)?;
    drop(first); // the subscriber goes away
    let left_after = seen.last().copied().unwrap_or_default();
    while published.load(Ordering::Acquire) < rejoin {
        pause(1);
    }
    let second = subscribe()?;
    let before = seen.len();
    read(&second, &mut seen, n - 1)?;
    thread
        .join()
        .map_err(|_| anyhow::anyhow!("the publisher panicked"))??;
    Ok(Rejoin {
        published: n,
        received: seen.len() as u32,
        left_after,
        back_at: seen.get(before).copied().unwrap_or(n),
        disordered: seen.windows(2).any(|w| w[0] >= w[1]),
    })
}

/// A worker that joined a pipeline already running.
#[derive(Debug, Clone, Default)]
pub struct LateWorker {
    pub sent: u32,
    /// Tasks done by the first worker and by the late one.
    pub first_did: u32,
    pub late_did: u32,
    /// The first task the late worker got, and how many had been sent
    /// when it was started.
    pub late_first_task: Option<u32>,
    pub sent_before_join: u32,
    /// Distinct tasks done in all.
    pub distinct_done: u32,
}

/// Sends `n` tasks at about one a millisecond to one worker, starting a
/// second worker after `join_at` tasks.
pub fn late_worker(ctx: &zmq::Context, n: u32, join_at: u32) -> anyhow::Result<LateWorker> {
    let ventilator = socket(ctx, zmq::PUSH)?;
    let tasks_at = bind_tcp(&ventilator)?;
    let sink = socket(ctx, zmq::PULL)?;
    let sink_at = bind_tcp(&sink)?;
    let connected = Handshakes::watch(ctx, &ventilator, &format!("late{}", port(&tasks_at)?))?;
    let stop = Arc::new(AtomicBool::new(false));
    let spawn = || {
        let (ctx, t, s, stop) = (ctx.clone(), tasks_at.clone(), sink_at.clone(), stop.clone());
        std::thread::spawn(move || worker(&ctx, &t, &s, None, &stop))
    };
    let first = spawn();
    connected.wait(1)?;
    let mut late = None;
    for id in 0..n {
        if id == join_at {
            late = Some(spawn());
        }
        ventilator.send(id.to_string().as_str(), 0)?;
        pause(1);
    }
    let mut done = BTreeSet::new();
    while done.len() < n as usize {
        let Some(m) = recv_within(&sink, Duration::from_secs(5))? else {
            break;
        };
        done.insert(String::from_utf8_lossy(&m[0]).parse::<u32>()?);
    }
    stop.store(true, Ordering::Relaxed);
    let first = first
        .join()
        .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
    let late = match late {
        Some(t) => t
            .join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))??,
        None => Vec::new(),
    };
    Ok(LateWorker {
        sent: n,
        first_did: first.len() as u32,
        late_did: late.len() as u32,
        late_first_task: late.first().copied(),
        sent_before_join: join_at,
        distinct_done: done.len() as u32,
    })
}

/// A server restarted under a client that kept sending.
#[derive(Debug, Clone, Default)]
pub struct Restart {
    pub sent: u32,
    pub answered: u32,
    /// Requests the first server read, and the ones it answered before it died.
    pub answered_by_first: u32,
    pub answered_by_second: u32,
    /// Requests the client sent while its socket reported no connection
    /// (between its DISCONNECTED and CONNECTED events), and how many of them
    /// were answered.
    pub sent_while_down: u32,
    pub answered_of_those: u32,
}

// ANCHOR: restart
/// A DEALER client sends `n` requests, one a millisecond, to a ROUTER
/// server that dies after answering `die_after` of them (dropping whatever
/// it had read but not answered) and comes back 100 ms later on the same
/// port. The client's socket events say when it saw the connection drop
/// and come back.
pub fn restart(ctx: &zmq::Context, n: u32, die_after: u32) -> anyhow::Result<Restart> {
    let first = socket(ctx, zmq::ROUTER)?;
    let endpoint = bind_tcp(&first)?;
    let server = {
        let (ctx, endpoint) = (ctx.clone(), endpoint.clone());
        std::thread::spawn(move || -> anyhow::Result<()> {
            let serve = |router: &zmq::Socket, name: &str, limit: u32| -> anyhow::Result<()> {
                let mut answered = 0;
                while answered < limit {
                    let Some(mut m) = recv_within(router, Duration::from_secs(2))? else {
                        break;
                    };
                    m.push(name.as_bytes().to_vec()); // [client id, seq, server]
                    router.send_multipart(m, 0)?;
                    answered += 1;
                }
                Ok(())
            };
            serve(&first, "first", die_after)?;
            pause(20); // more requests reach its queue, unread
            drop(first); // the server dies with them
            pause(100);
            let second = socket(&ctx, zmq::ROUTER)?;
            second.bind(&endpoint)?;
            serve(&second, "second", u32::MAX)
        })
    };
    // ANCHOR: dealer_through_restart
    let client = socket(ctx, zmq::DEALER)?;
    let events = connection_events(ctx, &client, &endpoint)?;
    client.connect(&endpoint)?;
    let (mut down, mut while_down) = (false, BTreeSet::new());
    for seq in 0..n {
        while let Some(event) = recv_within(&events, Duration::ZERO)? {
            let code = u16::from_le_bytes([event[0][0], event[0][1]]);
            down = code == zmq::SocketEvent::DISCONNECTED as u16;
        }
        if down {
            while_down.insert(seq);
        }
        client.send(seq.to_be_bytes().as_slice(), 0)?; // queued if no server
        pause(1);
    }
    // ANCHOR_END: dealer_through_restart
    let mut out = Restart {
        sent: n,
        sent_while_down: while_down.len() as u32,
        ..Restart::default()
    };
    while let Some(reply) = recv_within(&client, Duration::from_secs(1))? {
        out.answered += 1;
        match reply.get(1).map(Vec::as_slice) {
            Some(b"first") => out.answered_by_first += 1,
            _ => out.answered_by_second += 1,
        }
        let seq = <[u8; 4]>::try_from(reply[0].as_slice()).map(u32::from_be_bytes);
        if seq.is_ok_and(|s| while_down.contains(&s)) {
            out.answered_of_those += 1;
        }
    }
    server
        .join()
        .map_err(|_| anyhow::anyhow!("the server panicked"))??;
    Ok(out)
}
// ANCHOR_END: restart

/// A PAIR socket receiving `sock`'s CONNECTED and DISCONNECTED events
/// (each a two-frame message; the first frame starts with the event code).
fn connection_events(
    ctx: &zmq::Context,
    sock: &zmq::Socket,
    endpoint: &str,
) -> anyhow::Result<zmq::Socket> {
    let addr = format!("inproc://heal-events-{}", port(endpoint)?);
    let wanted = zmq::SocketEvent::CONNECTED as i32 | zmq::SocketEvent::DISCONNECTED as i32;
    sock.monitor(&addr, wanted)?;
    let events = socket(ctx, zmq::PAIR)?;
    events.connect(&addr)?;
    Ok(events)
}

/// Runs the scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let ctx = lab.ctx().clone();
    let (r, w, s) = blocking(move || {
        Ok((
            rejoin(&ctx, 600, 100, 300)?,
            late_worker(&ctx, 300, 100)?,
            restart(&ctx, 400, 100)?,
        ))
    })
    .await?;
    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new("A subscriber that left and came back", &["what", "count"]);
    t.row(["published".to_string(), r.published.to_string()]);
    t.row(["received".to_string(), r.received.to_string()]);
    t.row(["missed".to_string(), (r.published - r.received).to_string()]);
    t.note(format!(
        "left after #{}, first message after returning: #{}",
        r.left_after, r.back_at
    ));
    report.table(t);

    let mut t = Table::new("A worker joining a running pipeline", &["what", "count"]);
    t.row(["tasks sent".to_string(), w.sent.to_string()]);
    t.row([
        "done by the first worker".to_string(),
        w.first_did.to_string(),
    ]);
    t.row([
        "done by the late worker".to_string(),
        w.late_did.to_string(),
    ]);
    t.row([
        "distinct tasks done".to_string(),
        w.distinct_done.to_string(),
    ]);
    t.note(format!(
        "started after task #{}; its first task was #{}",
        w.sent_before_join,
        w.late_first_task.map_or("none".into(), |f| f.to_string())
    ));
    report.table(t);

    let mut t = Table::new(
        "A server restarted under a DEALER client",
        &["what", "count"],
    );
    t.row(["requests sent".to_string(), s.sent.to_string()]);
    t.row([
        "answered by the first server".to_string(),
        s.answered_by_first.to_string(),
    ]);
    t.row([
        "answered by the restarted one".to_string(),
        s.answered_by_second.to_string(),
    ]);
    t.row(["lost".to_string(), (s.sent - s.answered).to_string()]);
    t.row([
        "sent while no server ran".to_string(),
        s.sent_while_down.to_string(),
    ]);
    t.row([
        "... of which answered".to_string(),
        s.answered_of_those.to_string(),
    ]);
    t.note("what the dead server had read but not answered is lost; the rest waited");
    report.table(t);
    Ok(report)
}
