//! Scenario `pair`: PAIR sockets between threads over `inproc://`.
//!
//! Inside one process, `inproc://` moves messages between threads through
//! the shared context, with no network stack and no copy into the kernel.
//! PAIR connects exactly two sockets, which makes it the natural way for
//! one thread to tell another "your turn": here three threads pass a
//! baton down a relay, then two of them play ping-pong.

use std::time::Instant;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::Lab;
use crate::zsock::{blocking, socket};

/// The scenario, as `cargo run -p lab-zeromq -- pair` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "pair",
    "PAIR between threads over inproc://: a relay and a ping-pong",
    "the relay arrives in order; a round trip between threads takes µs",
);

/// What the relay and the ping-pong did.
#[derive(Debug, Clone, Default)]
pub struct Relay {
    /// The steps, in the order the last thread saw them.
    pub steps: Vec<String>,
    /// Round trips made, and answered.
    pub round_trips: u32,
    pub answered: u32,
    /// Median round trip in microseconds (this machine, unpinned threads).
    pub median_us: f64,
}

// ANCHOR: relay
/// Three threads in a relay: step 1 signals step 2, which signals step 3,
/// each over its own PAIR of sockets on `inproc://` (the receiving side
/// binds, the sending side connects). Then step 2 stays to answer pings.
pub fn relay(ctx: &zmq::Context, round_trips: u32) -> anyhow::Result<Relay> {
    let step3 = socket(ctx, zmq::PAIR)?;
    step3.bind("inproc://step3")?;
    let ctx2 = ctx.clone();
    let step2 = std::thread::spawn(move || -> anyhow::Result<()> {
        let from1 = socket(&ctx2, zmq::PAIR)?;
        from1.bind("inproc://step2")?;
        let ctx1 = ctx2.clone();
        let step1 = std::thread::spawn(move || -> anyhow::Result<()> {
            let to2 = socket(&ctx1, zmq::PAIR)?;
            to2.connect("inproc://step2")?;
            to2.send("step 1 done", 0)?;
            Ok(())
        });
        // ANCHOR: baton
        let baton = from1.recv_bytes(0)?;
        step1
            .join()
            .map_err(|_| anyhow::anyhow!("step 1 panicked"))??;
        let to3 = socket(&ctx2, zmq::PAIR)?;
        to3.connect("inproc://step3")?;
        to3.send_multipart([baton, b"step 2 done".to_vec()], 0)?;
        // ANCHOR_END: baton
        // Then answer pings until told to stop.
        loop {
            let ping = to3.recv_bytes(0)?;
            if ping == b"stop" {
                return Ok(());
            }
            to3.send(ping, 0)?;
        }
    });
    let steps = step3
        .recv_multipart(0)?
        .iter()
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    let mut times = Vec::with_capacity(round_trips as usize);
    let mut answered = 0;
    for i in 0..round_trips {
        let start = Instant::now();
        step3.send(i.to_le_bytes().as_slice(), 0)?;
        if step3.recv_bytes(0)? == i.to_le_bytes() {
            answered += 1;
        }
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    step3.send("stop", 0)?;
    step2
        .join()
        .map_err(|_| anyhow::anyhow!("step 2 panicked"))??;
    times.sort_by(f64::total_cmp);
    Ok(Relay {
        steps,
        round_trips,
        answered,
        median_us: times.get(times.len() / 2).copied().unwrap_or(f64::NAN),
    })
}
// ANCHOR_END: relay

/// Runs the scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let ctx = lab.ctx().clone();
    let r = blocking(move || relay(&ctx, 10_000)).await?;
    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        "A relay, then ping-pong, between threads",
        &["what", "result"],
    );
    t.row(["the relay's baton".to_string(), r.steps.join(" → ")]);
    t.row([
        "round trips answered".to_string(),
        format!("{} of {}", r.answered, r.round_trips),
    ]);
    t.row([
        "median round trip".to_string(),
        format!("{:.1} µs (threads unpinned)", r.median_us),
    ]);
    report.table(t);
    Ok(report)
}
