//! A broker's processes as one Unix process group, with a watchdog that
//! ends the group when the process that started it dies — however it dies.
//!
//! Why a group: RabbitMQ is a shell script, an Erlang VM and an epmd; a
//! signal to the group reaches all of them, and SIGSTOP pauses all of them.
//!
//! Why a watchdog: `Drop` does not run when a test panics across an abort,
//! when the test binary is SIGKILLed or interrupted with Ctrl-C, or when a
//! lab calls `process::exit`. The watchdog is a tiny `sh` in its own
//! process group (so Ctrl-C does not reach it) whose stdin is a pipe only
//! we hold. When our process ends for any reason the kernel closes that
//! pipe, `read` returns, and the watchdog sends SIGTERM then SIGKILL to the
//! broker's group and removes the data directory. (Rust opens pipes
//! close-on-exec, so no other child inherits the pipe and keeps it open.)
//!
//! No moment is left uncovered:
//!
//! - the watchdog **makes** the data directory (`mktemp -d`) and tells us
//!   its name, so there is no instant when the directory exists and
//!   nobody would remove it;
//! - the first process of a group starts **gated**: a `sh` that waits for
//!   a `go` line before it `exec`s the real program. We tell the watchdog
//!   the group id first, then say `go`; if we die in between, the gate
//!   reads end-of-file and exits without starting anything;
//! - a private broker keeps one watchdog for its whole life, across stop
//!   and start (`pgid N` when a group runs, `pgid` when it has ended), so
//!   a stopped broker's directory goes too; `disarm` when we cleaned up
//!   ourselves.
//!
//! Processes that leave the group (`setsid`, as `epmd -daemon` does) are
//! out of its reach: the recipes make sure none does (see `rabbitmq.rs`).
//!
//! Everything here is blocking std code with short bounded waits, because
//! `Drop` may run after the async runtime is gone.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

use super::recipe::Launch;

/// The watchdog. `$1` is the directory, or with `$2 = mkdir` a `mktemp`
/// template to make it from; it prints the directory's name, then reads
/// `pgid N` / `pgid` / `disarm` lines until end-of-file, and then ends the
/// group it was last told about and removes the directory. It ignores
/// SIGINT and SIGHUP (a Ctrl-C is for the test, not for it) and SIGPIPE:
/// if we die before reading the name, its `echo` must fail, not kill it.
/// (`kill -s SIG -- -PGID` is the spelling both dash and bash accept;
/// dash rejects `kill -TERM -- -PGID`.)
const WATCHDOG: &str = r#"trap '' INT HUP PIPE
dir=$1
if [ "$2" = mkdir ]; then dir=$(mktemp -d "$dir") || exit 1; fi
echo "$dir"
pgid=
while read -r word arg; do
    case $word in
        pgid) pgid=$arg ;;
        disarm) exit 0 ;;
    esac
done
if [ -n "$pgid" ] && kill -s TERM -- "-$pgid" 2>/dev/null; then
    sleep 2
    kill -s KILL -- "-$pgid" 2>/dev/null
fi
[ -n "$dir" ] && rm -rf -- "$dir"
exit 0"#;

/// The gate in front of a group's first process: start it only on `go`.
const GATE: &str = r#"read -r go || exit 0
[ "$go" = go ] || exit 0
exec "$0" "$@" </dev/null"#;

/// One watchdog: the directory it owns and the pipe that keeps it waiting.
#[derive(Debug)]
pub(crate) struct Watchdog {
    child: Child,
    stdin: Option<ChildStdin>,
    dir: PathBuf,
}

impl Watchdog {
    /// A watchdog that makes a fresh directory named like `prefix` in the
    /// temporary directory and removes it (and ends any group it is told
    /// about) if this process dies.
    pub fn with_new_dir(prefix: &str) -> io::Result<Watchdog> {
        let template = std::env::temp_dir().join(format!("{prefix}XXXXXXXX"));
        Watchdog::spawn(&template, true)
    }

    fn spawn(dir: &Path, make: bool) -> io::Result<Watchdog> {
        let mut child = Command::new("sh")
            .args(["-c", WATCHDOG, "labkit-watchdog"])
            .arg(dir)
            .arg(if make { "mkdir" } else { "keep" })
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take();
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            BufReader::new(out).read_line(&mut line)?;
        }
        let dir = PathBuf::from(line.trim_end_matches('\n'));
        if dir.as_os_str().is_empty() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other(format!(
                "could not make a temporary directory like {}",
                dir.display()
            )));
        }
        Ok(Watchdog { child, stdin, dir })
    }

    /// The directory the watchdog removes if we die.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn say(&mut self, line: &str) -> io::Result<()> {
        match &mut self.stdin {
            Some(stdin) => stdin.write_all(line.as_bytes()),
            None => Err(io::Error::other("the watchdog is disarmed")),
        }
    }

    /// End this group too if we die.
    pub fn watch(&mut self, pgid: Pid) -> io::Result<()> {
        self.say(&format!("pgid {}\n", pgid.as_raw()))
    }

    /// The group has ended: forget it (its id may be reused).
    pub fn unwatch(&mut self) {
        let _ = self.say("pgid\n");
    }

    /// We cleaned up ourselves (or keep the directory on purpose): let the
    /// watchdog exit without doing anything.
    pub fn disarm(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"disarm\n");
            drop(stdin);
            let _ = self.child.wait();
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.disarm();
    }
}

/// A temporary directory that the watchdog made and removes if this
/// process dies at any moment; a normal drop removes it and then disarms
/// the watchdog. For programs that are not brokers but must leave nothing
/// behind either: nginx, and chromedriver with Chromium's profile. Start
/// their group with [`WatchedDir::spawn`] and drop the group first.
#[derive(Debug)]
pub(crate) struct WatchedDir {
    watchdog: Option<Watchdog>,
    dir: PathBuf,
}

impl WatchedDir {
    /// A fresh directory named like `prefix` in the temporary directory.
    pub fn new(prefix: &str) -> io::Result<WatchedDir> {
        let watchdog = Watchdog::with_new_dir(prefix)?;
        let dir = watchdog.dir().to_path_buf();
        Ok(WatchedDir {
            watchdog: Some(watchdog),
            dir,
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Starts `launches` as one group the watchdog also ends if we die.
    pub fn spawn(&mut self, launches: Vec<Launch>, log: &Path) -> io::Result<Group> {
        let watchdog = self
            .watchdog
            .as_mut()
            .ok_or_else(|| io::Error::other("the watchdog is gone"))?;
        Group::spawn_watched(launches, log, watchdog)
    }
}

impl Drop for WatchedDir {
    fn drop(&mut self) {
        if let Some(mut w) = self.watchdog.take() {
            w.unwatch();
            let _ = std::fs::remove_dir_all(&self.dir);
            w.disarm();
        }
    }
}

/// Running broker processes: helpers first, the broker itself last.
#[derive(Debug)]
pub(crate) struct Group {
    pgid: Pid,
    children: Vec<(String, Child)>,
}

impl Group {
    /// Start every launch in one new process group, output appended to
    /// `log`, and tell `watchdog` the group's id before anything runs.
    /// The caller tells it [`Watchdog::unwatch`] once the group has ended.
    pub fn spawn_watched(
        launches: Vec<Launch>,
        log: &Path,
        watchdog: &mut Watchdog,
    ) -> io::Result<Group> {
        let mut group = Group {
            pgid: Pid::from_raw(0),
            children: Vec::new(),
        };
        for Launch {
            command,
            wait_for_port,
        } in launches
        {
            let out = open_log(log)?;
            let name = command.get_program().to_string_lossy().into_owned();
            let first = group.children.is_empty();
            let mut command = if first { gated(&command) } else { command };
            command
                .process_group(group.pgid.as_raw())
                .stdin(if first { Stdio::piped() } else { Stdio::null() })
                .stdout(out.try_clone()?)
                .stderr(out);
            let mut child = command
                .spawn()
                .map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?;
            if first {
                group.pgid = Pid::from_raw(child.id() as i32);
                let go = watchdog.watch(group.pgid).and_then(|()| {
                    let mut gate = child
                        .stdin
                        .take()
                        .ok_or_else(|| io::Error::other("the gate has no stdin"))?;
                    gate.write_all(b"go\n")
                });
                if let Err(e) = go {
                    let _ = child.kill();
                    let _ = child.wait();
                    watchdog.unwatch();
                    return Err(e);
                }
            }
            group.children.push((name, child));
            if let Some(port) = wait_for_port {
                group.wait_for_helper(port)?;
            }
        }
        Ok(group)
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
    /// then SIGTERM and SIGKILL to everything left; reap.
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
    }

    fn wait_gone(&mut self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while self.any_alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if !self.children.is_empty() {
            self.end(Signal::SIGTERM, Duration::from_millis(500));
        }
    }
}

fn open_log(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

/// `command` behind the gate: the same program, arguments, environment and
/// directory, started only when `go` arrives on stdin.
fn gated(command: &Command) -> Command {
    let mut sh = Command::new("sh");
    sh.args(["-c", GATE])
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(v) => sh.env(key, v),
            None => sh.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        sh.current_dir(dir);
    }
    sh
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
