//! The bad-input table every lab's `tests/bad_input.rs` runs: a lab keeps
//! its word on wrong settings only if someone tries each one.
//!
//! Every lab is tried with the same five kinds of [`Bad`] input — a dead
//! URL, a malformed URL, refused credentials, a missing program, a port
//! already taken — and each must end the same way: **one line** on stderr
//! starting `error: `, saying what is wrong and how to fix it, a non-zero
//! exit, no panic or backtrace, and no secret printed. A kind that cannot
//! happen to a lab (ZeroMQ has no broker URL) is listed as not applicable
//! *with the reason*, so a missing row is a failure, not an oversight.
//!
//! One file per lab, `labs/<lab>/tests/bad_input.rs`:
//!
//! ```no_run
//! use labkit::badinput::{Bad, Case, Table, dead_port, taken_port};
//!
//! #[test]
//! fn every_kind_of_bad_input_is_one_line_and_a_failure() {
//!     let taken = taken_port();
//!     Table::new(env!("CARGO_BIN_EXE_lab-mqtt"))
//!         .case(
//!             Case::new(Bad::DeadUrl, "nothing listens at MQTT_URL")
//!                 .args(&["retained"])
//!                 .env("MQTT_URL", format!("mqtt://127.0.0.1:{}", dead_port()))
//!                 .says("MQTT_URL"),
//!         )
//!         .case(
//!             Case::new(Bad::PortTaken, "serve on a busy port")
//!                 .args(&["serve", "--listen", &taken.addr])
//!                 .says("cannot listen on"),
//!         )
//!         .not_applicable(Bad::MissingBinary, "why this lab cannot lack a program")
//!         // ... every other kind, as a case or not applicable
//!         .run();
//! }
//! ```
//!
//! [`Table::run`] runs the lab's own binary once per case (in order, each
//! with a 90-second limit), checks every promise above, and fails with the
//! list of every case that broke one. A case that needs a broker refusing a
//! login starts a private one in the test and passes its URL in `env`.
//! `LABKIT_PROGRAMS_PATH` ([`crate::broker::PROGRAMS_VAR`]) set to an empty
//! folder is how a case hides nginx, chromium or a broker program: labkit
//! then searches only there ([`Case::without_programs`]).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The five kinds of bad input every lab is tried with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bad {
    /// A URL (or server address) where nothing answers.
    DeadUrl,
    /// A URL that is not one.
    MalformedUrl,
    /// A broker or server that refuses the user or password given.
    RefusedCredentials,
    /// A program the scenario needs (a broker, nginx, chromium) is not installed.
    MissingBinary,
    /// The port the lab is told to listen on is taken.
    PortTaken,
}

impl Bad {
    /// Every kind, in the order a table reports them.
    pub const ALL: [Bad; 5] = [
        Bad::DeadUrl,
        Bad::MalformedUrl,
        Bad::RefusedCredentials,
        Bad::MissingBinary,
        Bad::PortTaken,
    ];

    /// The kind as a report names it.
    pub fn label(self) -> &'static str {
        match self {
            Bad::DeadUrl => "dead URL",
            Bad::MalformedUrl => "malformed URL",
            Bad::RefusedCredentials => "refused credentials",
            Bad::MissingBinary => "missing binary",
            Bad::PortTaken => "port taken",
        }
    }
}

/// One run of the lab with one bad setting, and what its error must say.
#[derive(Debug)]
pub struct Case {
    bad: Bad,
    title: String,
    args: Vec<String>,
    env: Vec<(String, Option<String>)>,
    says: Vec<String>,
    secrets: Vec<String>,
    code: i32,
    programs_dir: Option<tempfile::TempDir>,
}

impl Case {
    /// A case of kind `bad`; `title` says what it tries, for the failure list.
    /// It expects exit status 1 until [`Case::exit_code`] says otherwise.
    pub fn new(bad: Bad, title: impl Into<String>) -> Case {
        Case {
            bad,
            title: title.into(),
            args: Vec::new(),
            env: Vec::new(),
            says: Vec::new(),
            secrets: Vec::new(),
            code: 1,
            programs_dir: None,
        }
    }

    /// The lab's command-line arguments (the scenario, `serve --listen ...`).
    #[must_use]
    pub fn args(mut self, args: &[&str]) -> Case {
        self.args = args.iter().map(|a| a.to_string()).collect();
        self
    }

    /// An environment variable set for the run.
    #[must_use]
    pub fn env(mut self, name: &str, value: impl Into<String>) -> Case {
        self.env.push((name.to_string(), Some(value.into())));
        self
    }

    /// An environment variable removed for the run.
    #[must_use]
    pub fn env_remove(mut self, name: &str) -> Case {
        self.env.push((name.to_string(), None));
        self
    }

    /// A phrase the one error line must contain (checked as written).
    #[must_use]
    pub fn says(mut self, phrase: impl Into<String>) -> Case {
        self.says.push(phrase.into());
        self
    }

    /// A secret (a password) that must appear nowhere in stdout or stderr.
    #[must_use]
    pub fn secret(mut self, secret: impl Into<String>) -> Case {
        self.secrets.push(secret.into());
        self
    }

    /// The exit status expected instead of 1 (clap's usage errors exit 2).
    #[must_use]
    pub fn exit_code(mut self, code: i32) -> Case {
        self.code = code;
        self
    }

    /// Runs the lab as on a machine where labkit finds no program at all:
    /// `LABKIT_PROGRAMS_PATH` names an empty folder, so nginx, chromium,
    /// chromedriver and every broker program are missing.
    #[must_use]
    pub fn without_programs(mut self) -> Case {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().display().to_string();
        self.programs_dir = Some(dir);
        self.env(crate::broker::PROGRAMS_VAR, path)
    }

    /// Runs the case; every broken promise, one sentence each.
    fn check(&self, program: &PathBuf) -> Vec<String> {
        let mut command = Command::new(program);
        command
            .args(&self.args)
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .stdin(Stdio::null());
        for (name, value) in &self.env {
            match value {
                Some(v) => command.env(name, v),
                None => command.env_remove(name),
            };
        }
        let out = match run_limited(command, Duration::from_secs(90)) {
            Ok(out) => out,
            Err(e) => return vec![e],
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stderr.trim_end();
        let mut broken = Vec::new();
        if out.status.code() != Some(self.code) {
            broken.push(format!(
                "exit status {:?}, expected {}",
                out.status.code(),
                self.code
            ));
        }
        // Notes (`note: ...`) may precede the error; the error itself is one line.
        let errors: Vec<&str> = line.lines().filter(|l| !l.starts_with("note: ")).collect();
        if errors.len() != 1 {
            broken.push(format!("{} lines on stderr, expected one", errors.len()));
        }
        let error = errors.last().copied().unwrap_or("");
        if !error.starts_with("error: ") && self.code != 2 {
            broken.push("the line does not start with `error: `".into());
        }
        for bug in ["panicked", "stack backtrace", "the lab hit a bug"] {
            if stderr.contains(bug) {
                broken.push(format!("stderr shows `{bug}`"));
            }
        }
        for phrase in &self.says {
            if !error.contains(phrase.as_str()) {
                broken.push(format!("the line does not say `{phrase}`"));
            }
        }
        for secret in &self.secrets {
            if stderr.contains(secret.as_str()) || stdout.contains(secret.as_str()) {
                broken.push("a secret is printed".into());
            }
        }
        if !broken.is_empty() {
            broken.push(format!("stderr was: {line}"));
        }
        broken
    }
}

/// Runs `command` to its end, or kills it after `limit`.
fn run_limited(mut command: Command, limit: Duration) -> Result<std::process::Output, String> {
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("the lab did not start: {e}"))?;
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(format!("waiting for the lab failed: {e}")),
        Err(_) => {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid as i32),
                nix::sys::signal::Signal::SIGKILL,
            );
            Err(format!(
                "the lab still ran after {} s: bad input must end it",
                limit.as_secs()
            ))
        }
    }
}

/// A lab's whole bad-input table: a case or a reason for every [`Bad`].
#[derive(Debug)]
pub struct Table {
    program: PathBuf,
    cases: Vec<Case>,
    not_applicable: Vec<(Bad, String)>,
}

impl Table {
    /// A table for the lab binary at `program` (`env!("CARGO_BIN_EXE_lab-X")`).
    pub fn new(program: impl Into<PathBuf>) -> Table {
        Table {
            program: program.into(),
            cases: Vec::new(),
            not_applicable: Vec::new(),
        }
    }

    /// Adds a case; a kind may have several.
    #[must_use]
    pub fn case(mut self, case: Case) -> Table {
        self.cases.push(case);
        self
    }

    /// Records that `bad` cannot happen to this lab, and `why`.
    #[must_use]
    pub fn not_applicable(mut self, bad: Bad, why: &str) -> Table {
        self.not_applicable.push((bad, why.to_string()));
        self
    }

    /// Runs every case and panics with every broken promise: a case that
    /// failed, a kind with neither a case nor a reason, a kind with both.
    /// Returns how many cases ran, per kind, in [`Bad::ALL`]'s order.
    #[track_caller]
    pub fn run(self) -> [usize; 5] {
        let mut problems = Vec::new();
        let mut counts = [0; 5];
        for (i, bad) in Bad::ALL.into_iter().enumerate() {
            counts[i] = self.cases.iter().filter(|c| c.bad == bad).count();
            let excused = self.not_applicable.iter().any(|(b, _)| *b == bad);
            match (counts[i], excused) {
                (0, false) => problems.push(format!(
                    "{}: no case and no reason it does not apply",
                    bad.label()
                )),
                (n, true) if n > 0 => problems.push(format!(
                    "{}: has cases yet is listed as not applicable",
                    bad.label()
                )),
                _ => {}
            }
        }
        for case in &self.cases {
            for broken in case.check(&self.program) {
                problems.push(format!("{} ({}): {broken}", case.title, case.bad.label()));
            }
        }
        assert!(
            problems.is_empty(),
            "the lab broke its word on bad input:\n  - {}",
            problems.join("\n  - ")
        );
        counts
    }
}

/// A local port where nothing listens (bound, then let go).
pub fn dead_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// A port held open for as long as the value lives.
#[derive(Debug)]
pub struct TakenPort {
    /// `127.0.0.1:<port>`.
    pub addr: String,
    _listener: std::net::TcpListener,
}

/// A local port that is taken: `--listen` on `taken_port().addr` must fail.
pub fn taken_port() -> TakenPort {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let addr = listener.local_addr().expect("its address").to_string();
    TakenPort {
        addr,
        _listener: listener,
    }
}
