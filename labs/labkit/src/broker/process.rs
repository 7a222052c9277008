//! A broker's processes as one Unix process group, with a watchdog that
//! ends the group when the process that started it dies — however it dies.
//!
//! Why a group: RabbitMQ is a shell script, an Erlang VM and an epmd; a
//! signal to the group reaches all of them, and SIGSTOP pauses all of them.
//!
//! Why a watchdog: `Drop` does not run when a test panics across an abort,
//! when the test binary is SIGKILLed, or when a lab calls `process::exit`.
//! The watchdog is a tiny `sh` whose stdin is a pipe only we hold. When our
//! process ends for any reason the kernel closes that pipe, `read` returns,
//! and the watchdog sends SIGTERM then SIGKILL to the group and removes
//! the data directory. (Rust opens pipes close-on-exec, so no other child
//! inherits the pipe and keeps it open.) On a normal stop we tell the
//! watchdog `disarm`; each start arms a new one. (So a *stopped* private
//! broker whose owner is SIGKILLed leaves its data directory behind.)
//!
//! Everything here is blocking std code with short bounded waits, because
//! `Drop` may run after the async runtime is gone.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

use super::recipe::Launch;

/// The watchdog: wait for our end of the pipe to close, then end the group.
/// (`kill -s SIG -- -PGID` is the spelling both dash and bash accept;
/// dash rejects `kill -TERM -- -PGID`.)
const WATCHDOG: &str = r#"trap '' INT HUP
read -r line
[ "$line" = disarm ] && exit 0
kill -s TERM -- "-$1" 2>/dev/null || exit 0
sleep 2
kill -s KILL -- "-$1" 2>/dev/null
[ -n "$2" ] && rm -rf -- "$2"
exit 0"#;

/// Running broker processes: helpers first, the broker itself last.
#[derive(Debug)]
pub(crate) struct Group {
    pgid: Pid,
    children: Vec<(String, Child)>,
    watchdog: Option<(Child, ChildStdin)>,
}

impl Group {
    /// Start every launch in one new process group, output appended to
    /// `log`, then the watchdog, which removes `dir` if it has to act.
    pub fn spawn(launches: Vec<Launch>, log: &Path, dir: &Path) -> io::Result<Group> {
        let mut group = Group {
            pgid: Pid::from_raw(0),
            children: Vec::new(),
            watchdog: None,
        };
        for Launch {
            mut command,
            wait_for_port,
        } in launches
        {
            let out = open_log(log)?;
            let name = command.get_program().to_string_lossy().into_owned();
            command
                .process_group(group.pgid.as_raw())
                .stdin(Stdio::null())
                .stdout(out.try_clone()?)
                .stderr(out);
            let child = command
                .spawn()
                .map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?;
            if group.children.is_empty() {
                group.pgid = Pid::from_raw(child.id() as i32);
                group.arm_watchdog(dir)?;
            }
            group.children.push((name, child));
            if let Some(port) = wait_for_port {
                group.wait_for_helper(port)?;
            }
        }
        Ok(group)
    }

    fn arm_watchdog(&mut self, dir: &Path) -> io::Result<()> {
        let mut watchdog = Command::new("sh")
            .args(["-c", WATCHDOG, "labkit-watchdog"])
            .arg(self.pgid.as_raw().to_string())
            .arg(dir)
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = watchdog
            .stdin
            .take()
            .ok_or_else(|| io::Error::other("watchdog has no stdin"))?;
        self.watchdog = Some((watchdog, stdin));
        Ok(())
    }

    /// A helper (RabbitMQ's epmd) must listen before the broker starts.
    fn wait_for_helper(&mut self, port: u16) -> io::Result<()> {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if let Some((name, child)) = self.children.last_mut()
                && let Some(status) = child.try_wait()?
            {
                return Err(io::Error::other(format!("{name} exited ({status})")));
            }
            if Instant::now() > deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("nothing listened on helper port {port} within 5 s"),
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The broker's own process (the last one started).
    pub fn main_pid(&self) -> Option<u32> {
        self.children.last().map(|(_, c)| c.id())
    }

    /// The broker program's name, for messages.
    pub fn main_name(&self) -> &str {
        self.children
            .last()
            .map(|(n, _)| n.as_str())
            .unwrap_or("broker")
    }

    /// Signal the broker itself (not its helpers).
    pub fn signal_main(&self, signal: Signal) {
        if let Some(pid) = self.main_pid() {
            let _ = kill(Pid::from_raw(pid as i32), signal);
        }
    }

    /// Signal every process in the group.
    pub fn signal_all(&self, signal: Signal) {
        let _ = killpg(self.pgid, signal);
    }

    /// Whether the broker itself has exited, and how.
    pub fn main_exited(&mut self) -> io::Result<Option<ExitStatus>> {
        match self.children.last_mut() {
            Some((_, child)) => child.try_wait(),
            None => Ok(None),
        }
    }

    /// Whether any process of the group still runs. Zombies do not count:
    /// they hold no port, no file and no memory, and on machines whose
    /// PID 1 does not reap orphans they never go away.
    pub fn any_alive(&mut self) -> bool {
        for (_, child) in &mut self.children {
            let _ = child.try_wait();
        }
        group_has_live_member(self.pgid)
    }

    /// End the group now: SIGTERM to the broker, up to `grace` for it to go,
    /// then SIGTERM and SIGKILL to everything left; reap; disarm the watchdog.
    /// Blocking and bounded by about `grace` + 3 s.
    pub fn end(&mut self, first: Signal, grace: Duration) {
        if first == Signal::SIGKILL {
            self.signal_all(Signal::SIGKILL);
        } else {
            self.signal_all(Signal::SIGCONT); // a paused broker cannot act on `first`
            self.signal_main(first);
            let deadline = Instant::now() + grace;
            while Instant::now() < deadline && matches!(self.main_exited(), Ok(None)) {
                std::thread::sleep(Duration::from_millis(10));
            }
            self.signal_all(Signal::SIGTERM);
            self.wait_gone(Duration::from_millis(1000));
            self.signal_all(Signal::SIGKILL);
        }
        self.wait_gone(Duration::from_secs(2));
        for (_, child) in &mut self.children {
            let _ = child.wait();
        }
        self.children.clear();
        self.disarm();
    }

    fn wait_gone(&mut self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while self.any_alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn disarm(&mut self) {
        if let Some((mut watchdog, mut stdin)) = self.watchdog.take() {
            let _ = stdin.write_all(b"disarm\n");
            drop(stdin);
            let _ = watchdog.wait();
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if !self.children.is_empty() {
            self.end(Signal::SIGTERM, Duration::from_millis(500));
        }
        self.disarm();
    }
}

fn open_log(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

/// Whether a process group has a member that is not a zombie.
#[cfg(target_os = "linux")]
fn group_has_live_member(pgid: Pid) -> bool {
    if killpg(pgid, None).is_err() {
        return false;
    }
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return true;
    };
    entries.flatten().any(|entry| {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        // pid (comm) state ppid pgrp ...; comm may hold spaces, so split after ')'.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            return false;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next();
        let pgrp = fields.nth(1).and_then(|p| p.parse::<i32>().ok());
        pgrp == Some(pgid.as_raw()) && !matches!(state, Some("Z" | "X"))
    })
}

/// Whether a process group has a member (elsewhere, zombies get reaped).
#[cfg(not(target_os = "linux"))]
fn group_has_live_member(pgid: Pid) -> bool {
    killpg(pgid, None).is_ok()
}

/// The last `lines` lines of a log file, for error messages.
pub(crate) fn tail(path: &Path, lines: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let all: Vec<&str> = text.lines().collect();
            let start = all.len().saturating_sub(lines);
            all[start..]
                .iter()
                .map(|l| format!("    {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        }
        Err(e) => format!("    (could not read the log: {e})"),
    }
}
