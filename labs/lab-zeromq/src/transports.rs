//! Scenario `transports` (a benchmark): ZeroMQ over `tcp://`, `ipc://` and
//! `inproc://`, side by side with raw TCP and Unix sockets as the floor.
//!
//! Each path is measured the same way in the same run: a round trip of a
//! 64-byte message (the median of many, after a warm-up), and a one-way
//! stream of 64-byte messages (messages per second until the receiver has
//! them all). ZeroMQ uses PAIR sockets throughout, so the socket type is
//! the same and only the transport changes. Threads are not pinned: on a
//! 2-core virtual machine, waking the other core is part of every figure.

use std::io::{BufWriter, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::time::Instant;

use labkit::cli::Scenario;
use labkit::measure::fmt_ratio;
use labkit::report::{BarChart, Report, Table};

use crate::Lab;
use crate::zsock::{blocking, socket};

/// The scenario, as `cargo run -p lab-zeromq -- transports` runs it.
pub const SCENARIO: Scenario = Scenario::benchmark(
    "transports",
    "tcp, ipc and inproc against raw TCP and Unix sockets: round trip and throughput",
    "ratios against raw TCP measured in the same run; inproc never touches the kernel",
);

/// Bytes in every message.
pub const SIZE: usize = 64;

/// One path's figures.
#[derive(Debug, Clone)]
pub struct Path {
    pub name: String,
    /// Median round trip, microseconds.
    pub round_trip_us: f64,
    /// One-way messages per second.
    pub per_second: f64,
    /// Messages the receiver counted in the one-way run (all of them).
    pub received: u64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Round trips and a one-way stream over a connected pair of byte streams.
fn raw<S: Read + Write + Send + 'static>(
    name: &str,
    mut client: S,
    mut server: S,
    trips: usize,
    stream: u64,
) -> anyhow::Result<Path> {
    let echo = std::thread::spawn(move || -> std::io::Result<u64> {
        let mut buf = [0u8; SIZE];
        for _ in 0..trips {
            server.read_exact(&mut buf)?;
            server.write_all(&buf)?;
        }
        let mut got = 0;
        while got < stream {
            server.read_exact(&mut buf)?;
            got += 1;
        }
        server.write_all(&[1])?;
        Ok(got)
    });
    let msg = [7u8; SIZE];
    let mut buf = [0u8; SIZE];
    let mut times = Vec::with_capacity(trips);
    for _ in 0..trips {
        let start = Instant::now();
        client.write_all(&msg)?;
        client.read_exact(&mut buf)?;
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    let start = Instant::now();
    {
        let mut w = BufWriter::new(&mut client);
        for _ in 0..stream {
            w.write_all(&msg)?;
        }
        w.flush()?;
    }
    client.read_exact(&mut buf[..1])?;
    let secs = start.elapsed().as_secs_f64();
    let received = echo
        .join()
        .map_err(|_| anyhow::anyhow!("the echo thread panicked"))??;
    Ok(Path {
        name: name.into(),
        round_trip_us: median(times.split_off(trips / 10)),
        per_second: stream as f64 / secs,
        received,
    })
}

// ANCHOR: zmq_path
/// The same measurement over two ZeroMQ PAIR sockets on `endpoint`.
fn zeromq(
    ctx: &zmq::Context,
    name: &str,
    endpoint: &str,
    trips: usize,
    stream: u64,
) -> anyhow::Result<Path> {
    let server = socket(ctx, zmq::PAIR)?;
    server.bind(endpoint)?;
    let endpoint = crate::zsock::endpoint(&server)?; // the port, if it was `*`
    let echo = std::thread::spawn(move || -> anyhow::Result<u64> {
        for _ in 0..trips {
            let m = server.recv_msg(0)?;
            server.send(m, 0)?;
        }
        let mut got = 0;
        while got < stream {
            server.recv_msg(0)?;
            got += 1;
        }
        server.send("done", 0)?;
        Ok(got)
    });
    let client = socket(ctx, zmq::PAIR)?;
    client.connect(&endpoint)?;
    let msg = [7u8; SIZE];
    let mut times = Vec::with_capacity(trips);
    for _ in 0..trips {
        let start = Instant::now();
        client.send(msg.as_slice(), 0)?;
        client.recv_msg(0)?;
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    let start = Instant::now();
    for _ in 0..stream {
        client.send(msg.as_slice(), 0)?; // PAIR blocks at its HWM: nothing is dropped
    }
    client.recv_msg(0)?;
    let secs = start.elapsed().as_secs_f64();
    let received = echo
        .join()
        .map_err(|_| anyhow::anyhow!("the echo thread panicked"))??;
    Ok(Path {
        name: name.into(),
        round_trip_us: median(times.split_off(trips / 10)),
        per_second: stream as f64 / secs,
        received,
    })
}
// ANCHOR_END: zmq_path

/// Measures all five paths, `trips` round trips and `stream` one-way
/// messages each, in one run.
pub fn measure(
    ctx: &zmq::Context,
    ipc_dir: &std::path::Path,
    trips: usize,
    stream: u64,
) -> anyhow::Result<Vec<Path>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    let tcp = raw("raw TCP", client, server, trips, stream)?;

    let sock = ipc_dir.join("raw.sock");
    let listener = UnixListener::bind(&sock)?;
    let client = UnixStream::connect(&sock)?;
    let (server, _) = listener.accept()?;
    let unix = raw("Unix socket", client, server, trips, stream)?;

    let zipc = format!("ipc://{}", ipc_dir.join("zmq.sock").display());
    Ok(vec![
        tcp,
        unix,
        zeromq(ctx, "ZeroMQ tcp://", "tcp://127.0.0.1:*", trips, stream)?,
        zeromq(ctx, "ZeroMQ ipc://", &zipc, trips, stream)?,
        zeromq(ctx, "ZeroMQ inproc://", "inproc://bench", trips, stream)?,
    ])
}

/// Runs the scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let ctx = lab.ctx().clone();
    let dir = lab.dir().to_path_buf();
    let paths = blocking(move || measure(&ctx, &dir, 20_000, 500_000)).await?;
    let floor = &paths[0];
    let mut report = Report::new(crate::LAB, SCENARIO.name);
    let mut t = Table::new(
        "64-byte messages, threads unpinned",
        &[
            "path",
            "round trip p50",
            "vs raw TCP",
            "messages/s",
            "vs raw TCP",
        ],
    );
    for p in &paths {
        t.row([
            p.name.clone(),
            format!("{:.1} µs", p.round_trip_us),
            fmt_ratio(p.round_trip_us / floor.round_trip_us),
            format!("{:.0}", p.per_second),
            fmt_ratio(p.per_second / floor.per_second),
        ]);
    }
    t.note("20,000 round trips (median of the last 18,000); 500,000 one-way messages");
    report.table(t);
    let names: Vec<String> = paths.iter().map(|p| p.name.clone()).collect();
    report.chart(
        "round-trip",
        BarChart::new("Round trip, p50 (64 B)", "µs")
            .categories(names.clone())
            .series("unpinned", paths.iter().map(|p| p.round_trip_us))
            .to_svg(),
    );
    report.chart(
        "throughput",
        BarChart::new("One-way messages per second (64 B)", "msg/s")
            .categories(names)
            .series("unpinned", paths.iter().map(|p| p.per_second))
            .to_svg(),
    );
    Ok(report)
}
