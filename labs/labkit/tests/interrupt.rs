//! Ctrl-C or SIGKILL at any moment leaves nothing behind: no broker
//! process (RabbitMQ with its epmd, Mosquitto, NATS, Redis), no watchdog,
//! no temporary directory.
//!
//! This test binary plays both parts. Run normally, `interrupted_*` starts
//! the same binary again as a child (`child_starts_brokers`, with
//! `LABKIT_INTERRUPT_CHILD` set and its own `TMPDIR`), waits for a moment —
//! just spawned, starting Mosquitto, RabbitMQ half booted, all running,
//! shutting down — and interrupts it: SIGINT to its process group, as a
//! terminal's Ctrl-C does, or SIGKILL to the process. Then it counts what
//! survived: every process whose environment or command line names the
//! child's `TMPDIR` (the brokers, their helpers, an escaped `epmd -daemon`,
//! which inherits the environment), and every directory left in it.
//!
//! Which signal lands at which moment alternates with `LABKIT_INTERRUPT_RUN`
//! (0 by default), so a loop of runs covers both at every moment:
//! `for i in $(seq 20); do LABKIT_INTERRUPT_RUN=$i cargo nextest run -p labkit --test interrupt; done`.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use labkit::broker::{self, Kind, Options};
use labkit::interrupt::processes_naming;
use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

/// Set in the child: the kinds to start, comma-separated.
const CHILD: &str = "LABKIT_INTERRUPT_CHILD";
/// Set in the child: drop the brokers once they all run.
const SHUT_DOWN: &str = "LABKIT_INTERRUPT_SHUT_DOWN";

/// The child's part: start private brokers one by one, saying so on
/// stdout, then wait to be interrupted (or shut them down, and wait).
#[tokio::test]
async fn child_starts_brokers() {
    let Ok(kinds) = std::env::var(CHILD) else {
        return; // run as an ordinary test: nothing to do
    };
    let mut brokers = Vec::new();
    for name in kinds.split(',') {
        let kind = Kind::ALL
            .into_iter()
            .find(|k| k.program() == name)
            .expect("a known program");
        println!("starting {name}");
        brokers.push(broker::private(kind, Options::new()).await.unwrap());
        println!("started {name}");
    }
    println!("running");
    if std::env::var(SHUT_DOWN).is_ok() {
        println!("dropping");
        drop(brokers);
        println!("dropped");
    }
    tokio::time::sleep(Duration::from_secs(600)).await;
}

/// When to interrupt: after this line from the child, and this long.
#[derive(Clone, Copy, Debug)]
struct Moment {
    name: &'static str,
    after_line: Option<&'static str>,
    delay: Duration,
    shut_down: bool,
}

const fn at(name: &'static str, line: Option<&'static str>, ms: u64, shut: bool) -> Moment {
    Moment {
        name,
        after_line: line,
        delay: Duration::from_millis(ms),
        shut_down: shut,
    }
}

/// Every moment, RabbitMQ first so its long boot is where the middle
/// moments land.
const MOMENTS: [Moment; 6] = [
    // Once the test binary runs (before that, `env` is still resetting SIGINT).
    at("just spawned", Some("running 1 test"), 0, false),
    at(
        "RabbitMQ's epmd starting",
        Some("starting rabbitmq-server"),
        30,
        false,
    ),
    at(
        "RabbitMQ booting",
        Some("starting rabbitmq-server"),
        1500,
        false,
    ),
    at("Mosquitto starting", Some("starting mosquitto"), 0, false),
    at("all running", Some("running"), 200, false),
    at("shutting down", Some("dropping"), 20, true),
];

const KINDS: &str = "rabbitmq-server,mosquitto,nats-server,redis-server";

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Start the child, interrupt it at `moment` with `signal`, and return
/// what is left once things settle (processes, directories).
fn interrupt_once(moment: Moment, signal: Signal) -> (Vec<String>, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let tmp_path = tmp.path().to_string_lossy().into_owned();
    // Through `env --default-signal=INT`: a shell's background job starts
    // with SIGINT ignored, and the child would inherit that; a reader's
    // test run in a terminal has it at its default.
    let mut command = Command::new("env");
    command
        .arg("--default-signal=INT")
        .arg(std::env::current_exe().unwrap())
        .args(["child_starts_brokers", "--exact", "--nocapture"])
        .env(CHILD, KINDS)
        .env("TMPDIR", tmp.path())
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit()); // shown if the test fails
    if moment.shut_down {
        command.env(SHUT_DOWN, "1");
    }
    let mut child = command.spawn().unwrap();
    let pid = Pid::from_raw(child.id() as i32);
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    if let Some(want) = moment.after_line {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) if line.trim() == want => break,
                Ok(_) => {}
                Err(_) => panic!("the child never said {want:?}"),
            }
        }
    }
    std::thread::sleep(moment.delay);
    if moment.after_line == Some("running") {
        // The count sees what it must: epmd, RabbitMQ's script and VM,
        // Mosquitto, NATS, Redis, and the watchdogs.
        let before = processes_naming(&tmp_path);
        assert!(
            before.len() >= 9,
            "only {} processes seen: {before:#?}",
            before.len()
        );
    }
    match signal {
        // Ctrl-C: the terminal signals the foreground process group.
        Signal::SIGINT => killpg(pid, Signal::SIGINT).unwrap(),
        other => kill(pid, other).unwrap(),
    }
    // Guard against a child that survives the signal: say so, then end it.
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child outlived {signal} for 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // The watchdog needs SIGTERM, 2 s, SIGKILL and `rm -rf`: wait for the
    // count to reach zero, generously, then take what is left.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let procs = processes_naming(&tmp_path);
        let dirs = entries(tmp.path());
        if (procs.is_empty() && dirs.is_empty()) || Instant::now() > deadline {
            // Leave nothing of ours behind either, whatever the count.
            for p in &procs {
                if let Some(pid) = p.split(' ').next().and_then(|p| p.parse().ok()) {
                    let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
                }
            }
            return (procs, dirs);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn interrupted_at_any_moment_leaves_no_process_and_no_directory() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let run: usize = std::env::var("LABKIT_INTERRUPT_RUN")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    let mut leftovers = Vec::new();
    for (i, moment) in MOMENTS.iter().enumerate() {
        let signal = if (i + run).is_multiple_of(2) {
            Signal::SIGINT
        } else {
            Signal::SIGKILL
        };
        let (procs, dirs) = interrupt_once(*moment, signal);
        println!(
            "{:<28} {signal:<8} {} processes, {} directories left",
            moment.name,
            procs.len(),
            dirs.len()
        );
        if !procs.is_empty() || !dirs.is_empty() {
            leftovers.push(format!("{} / {signal}: {procs:?} {dirs:?}", moment.name));
        }
    }
    assert!(leftovers.is_empty(), "left behind: {leftovers:#?}");
}
