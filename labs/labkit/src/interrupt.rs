//! Interrupting a lab at chosen moments and counting what it left behind:
//! the check behind "Ctrl-C or SIGKILL at any moment leaves no process and
//! no temporary file".
//!
//! [`assert_leaves_nothing`] starts the lab's own binary with a fresh
//! `TMPDIR`, in a process group of its own (as a terminal's foreground job
//! is), waits for a [`Moment`] — a line the lab prints, then a delay — and
//! sends SIGINT to the group (Ctrl-C) or SIGKILL to the lab. Then it counts
//! every process whose command line or environment names that `TMPDIR`
//! (nginx, chromedriver and Chromium, a broker and its helpers all inherit
//! it or are started inside it) and every entry left in it, and waits up to
//! 30 s for both counts to reach zero, since labkit's watchdogs need a few
//! seconds to end a group and remove its folder.
//!
//! Which signal lands at which moment alternates with the environment
//! variable `LABKIT_INTERRUPT_RUN`, so a loop of runs covers both signals at
//! every moment (`for i in $(seq 20); do LABKIT_INTERRUPT_RUN=$i cargo
//! nextest run -p lab-realtime --test interrupt; done`). labkit's own
//! `tests/interrupt.rs` does the same for private brokers started by a test.
//!
//! ```no_run
//! use labkit::interrupt::{Moment, assert_leaves_nothing};
//!
//! #[test]
//! fn interrupted_proxies_leave_nothing() {
//!     let moments = [
//!         Moment::after("nginx starting", "━━ lab-realtime · proxies ━━", 0),
//!         Moment::after("nginx running", "━━ lab-realtime · proxies ━━", 1500),
//!     ];
//!     assert_leaves_nothing(env!("CARGO_BIN_EXE_lab-realtime"), &["proxies"], &moments);
//! }
//! ```

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

/// When to interrupt: once the lab printed a line containing `after` (or
/// at once, with `None`), and `delay` later.
#[derive(Debug, Clone, Copy)]
pub struct Moment {
    /// What the lab is doing then, for the report.
    pub name: &'static str,
    /// Part of a line the lab prints on stdout.
    pub after: Option<&'static str>,
    /// How long after that line.
    pub delay: Duration,
}

impl Moment {
    /// Right after the lab starts.
    pub const fn at_start(name: &'static str) -> Moment {
        Moment {
            name,
            after: None,
            delay: Duration::ZERO,
        }
    }

    /// `ms` milliseconds after the lab prints a line containing `line`.
    pub const fn after(name: &'static str, line: &'static str, ms: u64) -> Moment {
        Moment {
            name,
            after: Some(line),
            delay: Duration::from_millis(ms),
        }
    }
}

/// What one interruption left behind.
#[derive(Debug, Clone, Default)]
pub struct Left {
    /// Processes still naming the run's `TMPDIR` (`pid command line`).
    pub processes: Vec<String>,
    /// Entries still in the run's `TMPDIR`.
    pub entries: Vec<String>,
}

/// Runs `program args` once per moment, interrupts it there, and panics if
/// anything is left; prints one line per moment with the counts.
#[track_caller]
pub fn assert_leaves_nothing(program: impl AsRef<Path>, args: &[&str], moments: &[Moment]) {
    let problems = leftovers(program, args, moments);
    assert!(problems.is_empty(), "left behind: {problems:#?}");
}

/// What [`assert_leaves_nothing`] checks, without the panic: one line per
/// moment that left something (or failed), empty when all were clean.
pub fn leftovers(program: impl AsRef<Path>, args: &[&str], moments: &[Moment]) -> Vec<String> {
    let run: usize = std::env::var("LABKIT_INTERRUPT_RUN")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    let mut problems = Vec::new();
    for (i, moment) in moments.iter().enumerate() {
        let signal = if (i + run).is_multiple_of(2) {
            Signal::SIGINT
        } else {
            Signal::SIGKILL
        };
        match interrupt_once(program.as_ref(), args, *moment, signal) {
            Ok(left) => {
                println!(
                    "{:<12} {:<28} {signal:<8} {} processes, {} temporary entries left",
                    args.join(" "),
                    moment.name,
                    left.processes.len(),
                    left.entries.len()
                );
                if !left.processes.is_empty() || !left.entries.is_empty() {
                    problems.push(format!("{} / {signal}: {left:?}", moment.name));
                }
            }
            Err(e) => problems.push(format!("{} / {signal}: {e}", moment.name)),
        }
    }
    problems
}

/// Starts the lab, interrupts it at `moment` with `signal`, and returns what
/// is left once things settle.
pub fn interrupt_once(
    program: &Path,
    args: &[&str],
    moment: Moment,
    signal: Signal,
) -> Result<Left, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let tmp_path = tmp.path().to_string_lossy().into_owned();
    // Through `env --default-signal=INT`: a shell's background job starts
    // with SIGINT ignored, and the lab would inherit that; a reader's run in
    // a terminal has it at its default.
    let mut child = Command::new("env")
        .arg("--default-signal=INT")
        .arg(program)
        .args(args)
        .env("TMPDIR", tmp.path())
        .env_remove("RUST_BACKTRACE")
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("the lab did not start: {e}"))?;
    let pid = Pid::from_raw(child.id() as i32);
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().ok_or("no stdout")?;
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut waited = Ok(());
    if let Some(want) = moment.after {
        let deadline = Instant::now() + Duration::from_secs(120);
        waited = loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) if line.contains(want) => break Ok(()),
                Ok(_) => {}
                Err(_) => break Err(format!("the lab never printed {want:?}")),
            }
        };
    }
    std::thread::sleep(moment.delay);
    let _ = match signal {
        // Ctrl-C: the terminal signals the foreground process group.
        Signal::SIGINT => killpg(pid, Signal::SIGINT),
        other => kill(pid, other),
    };
    // A lab that outlives the signal is a finding too: say so, then end it.
    let deadline = Instant::now() + Duration::from_secs(60);
    while matches!(child.try_wait(), Ok(None)) {
        if Instant::now() > deadline {
            let _ = killpg(pid, Signal::SIGKILL);
            let _ = child.wait();
            return Err(format!("the lab outlived {signal} for 60 s"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // Watchdogs need SIGTERM, 2 s, SIGKILL and `rm -rf`: wait for the count
    // to reach zero, generously, then take what is left.
    let deadline = Instant::now() + Duration::from_secs(30);
    let left = loop {
        let left = Left {
            processes: processes_naming(&tmp_path),
            entries: entries(tmp.path()),
        };
        let clean = left.processes.is_empty() && left.entries.is_empty();
        if clean || Instant::now() > deadline {
            break left;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    // Leave nothing of ours behind either, whatever the count.
    for p in &left.processes {
        if let Some(pid) = p.split(' ').next().and_then(|p| p.parse().ok()) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
    }
    waited.map(|()| left)
}

/// Live processes (zombies excluded) whose environment or command line
/// contain `needle`, as `pid command line`.
pub fn processes_naming(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() as i32 {
            continue;
        }
        let read = |f: &str| std::fs::read(entry.path().join(f)).unwrap_or_default();
        let stat = String::from_utf8_lossy(&read("stat")).into_owned();
        if stat
            .rsplit_once(')')
            .and_then(|(_, r)| r.split_whitespace().next())
            == Some("Z")
        {
            continue; // a zombie runs nothing
        }
        let cmdline = read("cmdline");
        let environ = read("environ");
        let names = |b: &[u8]| b.windows(needle.len()).any(|w| w == needle.as_bytes());
        if names(&cmdline) || names(&environ) {
            let cmd = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            found.push(format!("{pid} {}", cmd.trim()));
        }
    }
    found
}

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}
