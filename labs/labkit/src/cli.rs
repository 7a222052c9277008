//! The command-line convention every lab follows, and the shape of a scenario.
//!
//! ```text
//! cargo run -p lab-X                 # the guided tour: every tour scenario, with narration
//! cargo run -p lab-X -- <scenario>   # one scenario (benchmarks run only this way)
//! cargo run -p lab-X -- serve        # the lab's server in the foreground (labs that have one)
//! cargo run -p lab-X -- --help       # lists the scenarios
//! cargo run -p lab-X -- --out DIR    # also write each report as JSON and SVG under DIR
//! cargo run -p lab-X -- --pcap DIR   # also save what the lab's proxies saw as pcap files
//! ```
//!
//! The shape, the same in every lab:
//!
//! - a scenario is one file, `src/<name>.rs`, named as the reader types it
//!   (`-` becomes `_`), declaring `pub const SCENARIO: Scenario` and
//!   `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`;
//! - the lab's `Lab` value (its own struct, implementing [`Lab`]) hands a
//!   scenario what it needs on first use: a broker, a server, a browser;
//! - `lib.rs` lists `pub const SCENARIOS: &[Scenario]` beside its table of
//!   modules, and `main.rs` dispatches on the name with a plain `match`;
//! - a test calls [`crate::layout::check`], which fails when the list, the
//!   files, the table and the `match` disagree.
//!
//! This module does the rest: parsing, the narration around each scenario,
//! skipping what the machine lacks (with a line saying what to install),
//! progress on long runs, and — most important for a reader — turning any
//! failure into **one clear line** and a non-zero exit instead of a panic and
//! a backtrace.

use std::future::Future;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Args, Parser};

use crate::report::Report;

/// One scenario of a lab: what the tour runs, what `--help` lists, and what
/// the scenario needs that a reader's machine may lack.
///
/// Each scenario file declares its own, next to its `run` function:
///
/// ```
/// use labkit::cli::{Need, Scenario};
/// pub const SCENARIO: Scenario = Scenario::tour(
///     "proxies",
///     "SSE and WebSocket through a real nginx",
///     "buffered events arrive in one lump",
/// )
/// .needs(&[Need::Nginx]);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    /// The name typed on the command line, e.g. `keepalive`; the file that
    /// holds the scenario is `src/keepalive.rs` (`-` becomes `_`).
    pub name: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// What to notice in the output: printed before the scenario runs.
    pub notice: &'static str,
    /// Whether the tour runs it.
    pub kind: Kind,
    /// What it needs beyond the lab itself; in the tour, a scenario whose
    /// needs are not met is skipped with a line saying what to install.
    pub needs: &'static [Need],
}

/// Whether the guided tour runs a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Part of the guided tour (`cargo run -p lab-X`).
    Tour,
    /// A benchmark: it takes longer and its numbers want a quiet machine, so
    /// it runs only when named (`cargo run -p lab-X -- NAME`).
    Benchmark,
}

/// Something a scenario needs that a reader's machine may lack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Mosquitto itself: the lab's embedded fallback broker lacks what the
    /// scenario shows. Only the lab knows which broker it found, so the lab
    /// answers for this one ([`Lab::lacks`]).
    Mosquitto,
    /// Headless Chromium driven through chromedriver.
    Browser,
    /// The nginx web server.
    Nginx,
    /// PostgreSQL's server programs (`postgres`, `initdb`), for a private
    /// instance ([`crate::broker::postgres`]); Debian keeps them off `PATH`,
    /// in `/usr/lib/postgresql/<version>/bin`, and labkit looks there too.
    Postgres,
}

impl Need {
    /// What is missing and how to install it, or `None` when this machine
    /// has it. [`Need::Mosquitto`] is the lab's to answer: `None` here.
    pub fn missing_here(self) -> Option<String> {
        let (programs, package): (&[&str], &str) = match self {
            Need::Mosquitto => return None,
            Need::Browser => (&["chromium", "chromedriver"], "chromium chromium-driver"),
            Need::Nginx => (&["nginx"], "nginx-light"),
            Need::Postgres => (&["postgres", "initdb"], "postgresql"),
        };
        let lookup = crate::broker::Lookup::from_process();
        if self == Need::Postgres
            && !lookup.only_listed_folders()
            && let Some(server) = crate::broker::postgres::installed_server()
            && server.with_file_name("initdb").is_file()
        {
            return None;
        }
        let absent: Vec<&str> = programs
            .iter()
            .copied()
            .filter(|p| lookup.find_program(p).is_none())
            .collect();
        (!absent.is_empty()).then(|| {
            format!(
                "it needs {} (install: sudo apt-get install {package})",
                absent.join(" and ")
            )
        })
    }
}

impl Scenario {
    /// A scenario of the guided tour.
    pub const fn tour(name: &'static str, about: &'static str, notice: &'static str) -> Self {
        Scenario {
            name,
            about,
            notice,
            kind: Kind::Tour,
            needs: &[],
        }
    }

    /// A benchmark, run only when named.
    pub const fn benchmark(name: &'static str, about: &'static str, notice: &'static str) -> Self {
        Scenario {
            kind: Kind::Benchmark,
            ..Scenario::tour(name, about, notice)
        }
    }

    /// The same scenario, needing `needs` as well.
    pub const fn needs(self, needs: &'static [Need]) -> Self {
        Scenario { needs, ..self }
    }

    /// The line `--help` shows for it.
    fn help(&self) -> String {
        match self.kind {
            Kind::Tour => self.about.to_string(),
            Kind::Benchmark => format!("{} [benchmark: only when named]", self.about),
        }
    }
}

/// A lab's one context value: what its scenarios need, handed out on first
/// use (a broker, a server, a browser). Each lab defines its own `Lab` type
/// and implements this trait so the tour can ask what it lacks.
pub trait Lab {
    /// Why this lab cannot meet `need` here, or `None` when it can. The
    /// default asks the machine ([`Need::missing_here`]); a lab overrides
    /// it for needs only it can judge, such as [`Need::Mosquitto`].
    fn lacks(&self, need: Need) -> Option<String> {
        need.missing_here()
    }
}

/// Arguments every lab accepts. A lab flattens this into its own `Parser`
/// struct with `#[command(flatten)]` and adds what it needs.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// The scenario to run; without one, the lab walks through its tour
    /// (every scenario except the benchmarks, which run only when named).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,

    /// Also write each scenario's report (JSON, and SVG charts) under this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Save every connection the lab's proxies saw as pcap files under this
    /// folder (`<scenario>-<n>.pcap`), to open in Wireshark.
    #[arg(long, value_name = "DIR")]
    pub pcap: Option<PathBuf>,
}

impl Common {
    /// The scenarios to run, in order: the named one, or every scenario of
    /// the tour (benchmarks run only when named).
    pub fn selected<'a>(&self, all: &'a [Scenario]) -> Vec<&'a Scenario> {
        match &self.scenario {
            Some(name) => all.iter().filter(|s| s.name == name).collect(),
            None => all.iter().filter(|s| s.kind == Kind::Tour).collect(),
        }
    }
}

/// Parses the command line of a lab whose argument struct is `A`.
///
/// The positional `SCENARIO` argument accepts exactly the lab's scenario
/// names, and `--help` lists them with their one-line descriptions.
pub fn parse<A: Parser>(scenarios: &[Scenario]) -> A {
    let values: Vec<PossibleValue> = scenarios
        .iter()
        .map(|s| PossibleValue::new(s.name).help(s.help()))
        .collect();
    let command = A::command().mut_arg("scenario", |arg| {
        arg.value_parser(PossibleValuesParser::new(values))
            .hide_possible_values(false)
    });
    let matches = command.get_matches();
    let args = A::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // The reader asked for files: find out now, before a scenario runs for
    // a minute, whether they can be written.
    for flag in ["out", "pcap"] {
        if let Ok(Some(dir)) = matches.try_get_one::<PathBuf>(flag)
            && let Err(e) = writable(dir)
        {
            eprintln!(
                "error: cannot write into {} for --{flag} ({e}); choose a folder you can write to",
                dir.display()
            );
            std::process::exit(1);
        }
    }
    if let Ok(Some(dir)) = matches.try_get_one::<PathBuf>("pcap")
        && let Err(e) = crate::wire::capture::capture_to(dir.clone())
    {
        eprintln!("error: cannot create {} for --pcap: {e}", dir.display());
        std::process::exit(1);
    }
    args
}

/// Creates `dir` if needed and proves a file can be written in it.
fn writable(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    tempfile::NamedTempFile::new_in(dir).map(drop)
}

/// Runs a lab's `async` body on a tokio runtime and turns its outcome into
/// the process's exit code.
///
/// An error is printed as a single line, `error: ...`, with the causes joined
/// by `: ` (anyhow's alternate format), and the process exits with status 1.
/// Errors from the labs are written to say what is wrong *and* how to fix it.
pub fn run<F, Fut>(body: F) -> ExitCode
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    quiet_panics();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(body()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A panic is a bug in the lab, not the reader's fault: say so in one line
/// (the backtrace is still there with `RUST_BACKTRACE=1`).
fn quiet_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        eprintln!(
            "error: the lab hit a bug{location}: {message} (please report it; RUST_BACKTRACE=1 shows more)"
        );
    }));
}

/// Binds the address a lab's `serve` mode listens on, with the one-line
/// error a reader needs when the port is taken or the address is wrong.
pub async fn listen(addr: &str) -> anyhow::Result<tokio::net::TcpListener> {
    let parsed: std::net::SocketAddr = addr.parse().map_err(|_| {
        anyhow::anyhow!(
            "--listen {addr:?} is not an address and port; write it like 127.0.0.1:3000"
        )
    })?;
    tokio::net::TcpListener::bind(parsed).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!(
                "cannot listen on {addr}: another program is using that port; try --listen 127.0.0.1:0"
            )
        } else {
            anyhow::anyhow!("cannot listen on {addr} ({e}); try --listen 127.0.0.1:0")
        }
    })
}

/// Starts a scenario: checks what it needs, then prints its heading and
/// "what to notice". Returns `Ok(false)` when the tour should skip it (a
/// line says why and what to install); a scenario the reader named that
/// cannot run here is an error instead.
pub fn begin(
    lab_name: &str,
    scenario: &Scenario,
    lab: &impl Lab,
    common: &Common,
) -> anyhow::Result<bool> {
    if let Some(why) = scenario.needs.iter().find_map(|&need| lab.lacks(need)) {
        if common.scenario.is_some() {
            anyhow::bail!("cannot run `{}`: {why}", scenario.name);
        }
        println!();
        println!("(skipping `{}`: {why})", scenario.name);
        return Ok(false);
    }
    announce(lab_name, scenario);
    Ok(true)
}

/// Prints the heading and the "what to notice" narration of a scenario.
pub fn announce(lab: &str, scenario: &Scenario) {
    crate::wire::capture::set_label(scenario.name);
    println!();
    println!("━━ {lab} · {} ━━", scenario.name);
    println!("{}", scenario.about);
    if !scenario.notice.is_empty() {
        println!("What to notice: {}", scenario.notice);
    }
    println!();
}

/// Prints a finished scenario's report and writes it under `--out` if given.
pub fn finish(report: &Report, common: &Common) -> anyhow::Result<()> {
    report.print();
    if let Some(dir) = &common.out {
        let written = report
            .write(dir)
            .map_err(|e| anyhow::anyhow!("cannot write the report under {}: {e}", dir.display()))?;
        for path in written {
            println!("  wrote {}", path.display());
        }
    }
    Ok(())
}

/// A one-line progress indicator on stderr for long runs.
///
/// It redraws in place on a terminal and stays silent otherwise, so logs
/// and CI output are not flooded.
pub struct Progress {
    label: String,
    total: u64,
    done: u64,
    shown: bool,
}

impl Progress {
    /// Starts counting `total` steps of the work named `label`.
    pub fn new(label: impl Into<String>, total: u64) -> Self {
        Progress {
            label: label.into(),
            total,
            done: 0,
            shown: std::io::stderr().is_terminal(),
        }
    }

    /// Records `n` more steps done.
    pub fn advance(&mut self, n: u64) {
        self.done = (self.done + n).min(self.total);
        if self.shown
            && (self.done == self.total || self.done.is_multiple_of((self.total / 50).max(1)))
        {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r  {} {}/{}", self.label, self.done, self.total);
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{:width$}\r", "", width = self.label.len() + 24);
            let _ = err.flush();
        }
    }
}
