//! `cargo exercises`: do the book's exercises and have them graded.
//!
//! Run with: `cargo exercises [list | grade NAME | hint NAME | watch [NAME] | verify]`
//! (an alias, in `.cargo/config.toml`, for `cargo run -p labkit --bin exercises --`).
//!
//! Each exercise is a starter file with a `TODO`, a grading test that fails
//! until the starter is solved, a reference solution, a hint, and known-wrong
//! variants the grading test must refuse. `exercises.toml` at the
//! repository's root lists them by name, and every path follows from the
//! name. Grading means compiling and running the real grading test; this
//! program only finds the right test, runs it, and reports the failed
//! expectations in sentences.
//!
//! | module | what it does |
//! |---|---|
//! | `manifest.rs` | reads `exercises.toml`; where each exercise's files are |
//! | `compile.rs` | one `cargo build` for the grading tests of many exercises |
//! | `run.rs` | runs one grading test binary |
//! | `grader.rs` | compile once, then run the binaries two at a time |
//! | `output.rs` | picks the failed expectations out of a test binary's output |
//! | `show.rs` | prints an outcome for the reader |
//! | `progress.rs` | remembers which exercises pass |
//! | `files.rs`, `chapters.rs`, `formatting.rs`, `judge.rs` | what `verify` checks: files, the book's order, formatting, outcomes |
//! | `list.rs`, `watch.rs`, `verify.rs` | the commands of the same names |

mod chapters;
mod compile;
mod files;
mod formatting;
mod grader;
mod judge;
mod list;
mod manifest;
mod output;
mod progress;
mod run;
mod show;
mod verify;
mod watch;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use manifest::Manifest;
use progress::{Progress, State};

#[derive(Parser)]
#[command(
    name = "cargo exercises",
    bin_name = "cargo exercises",
    about = "Do the book's exercises: list them, grade one, get a hint, re-grade on save.",
    after_help = "Without a command: list. Exercises are listed in exercises.toml at the repository's root."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Every exercise with its state (✓ passes, ✗ failing, · not started) and the next one to do.
    List {
        /// Grade every exercise again, even those unchanged since last graded.
        #[arg(long)]
        rerun: bool,
    },
    /// Grade one exercise (default: the next one not passing).
    Grade { name: Option<String> },
    /// Print an exercise's hint (default: the next one not passing).
    Hint { name: Option<String> },
    /// Grade again on every save (default: follow the list from the next exercise not passing).
    Watch { name: Option<String> },
    /// For CI: every file is in place, every untouched starter fails, every solution passes, every known-wrong variant is refused.
    Verify,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::List { rerun: false })) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs a command; `Ok(false)` when it ran and the answer is "not yet" (a
/// failing grade, an unsound exercise).
fn run(command: Command) -> Result<bool> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let manifest = Manifest::discover(&cwd)?;
    let mut progress = Progress::load(&manifest);
    match command {
        Command::List { rerun } => list::run(&manifest, &mut progress, rerun).map(|()| true),
        Command::Grade { name } => {
            let ex = pick(&manifest, &progress, name.as_deref())?;
            let stamp = progress::stamp(&manifest, ex);
            let outcome = grader::grade(&manifest, ex)?;
            show::outcome(ex, &outcome);
            progress.set(ex, stamp, State::of(&manifest, ex, &outcome));
            Ok(outcome.passed())
        }
        Command::Hint { name } => {
            let ex = pick(&manifest, &progress, name.as_deref())?;
            let path = manifest.path(&ex.hint);
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!("cannot read the hint for {} at {}", ex.name, path.display())
            })?;
            println!("Hint for {} ({}):\n", ex.name, ex.file.display());
            println!("{}", text.trim_end());
            Ok(true)
        }
        Command::Watch { name } => {
            watch::run(&manifest, &mut progress, name.as_deref()).map(|()| true)
        }
        Command::Verify => verify::run(&manifest),
    }
}

/// The exercise called `name`, or the next one not passing.
fn pick<'m>(
    manifest: &'m Manifest,
    progress: &Progress,
    name: Option<&str>,
) -> Result<&'m manifest::Exercise> {
    match name {
        Some(name) => manifest.get(name),
        None => progress
            .next(manifest)
            .context("every exercise passes already; name one to grade it again"),
    }
}
