//! `cargo exercises list`: every exercise, whether it passes, and what next.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use labkit::report::Table;

use crate::grader::{self, Variant};
use crate::manifest::Manifest;
use crate::output::Outcome;
use crate::progress::{self, Progress, State};

/// Grades every exercise whose package changed since it was last graded (all
/// of them with `rerun`), then prints the list and the next one to do.
pub fn run(manifest: &Manifest, progress: &mut Progress, rerun: bool) -> Result<()> {
    let total = manifest.exercises.len();
    let tty = std::io::stderr().is_terminal();
    let mut states = Vec::with_capacity(total);
    let mut broken = Vec::new();
    for (i, ex) in manifest.exercises.iter().enumerate() {
        let cached = if rerun {
            None
        } else {
            progress.get(manifest, ex)
        };
        let state = match cached {
            Some(state) => state,
            None => {
                if tty {
                    eprint!("\r\x1b[K[{}/{total}] grading {}…", i + 1, ex.name);
                } else {
                    eprintln!("[{}/{total}] grading {}…", i + 1, ex.name);
                }
                let _ = std::io::stderr().flush();
                let stamp = progress::stamp(manifest, ex);
                let outcome = grader::grade(manifest, ex, Variant::Starter)?;
                if matches!(outcome, Outcome::BuildFailed { .. }) && !broken.contains(&ex.package) {
                    broken.push(ex.package.clone());
                }
                let state = State::of(manifest, ex, &outcome);
                progress.set(ex, stamp, state);
                state
            }
        };
        states.push(state);
    }
    if tty {
        eprint!("\r\x1b[K");
    }

    let done = states.iter().filter(|s| **s == State::Passed).count();
    let mut table = Table::new(
        format!("Exercises: {done} of {total} pass"),
        &["", "exercise", "lab", "file to edit"],
    );
    for (ex, state) in manifest.exercises.iter().zip(&states) {
        table.row([
            state.mark(),
            &ex.name,
            &ex.lab,
            &ex.file.display().to_string(),
        ]);
    }
    table.note("✓ passes   ✗ changed, not passing yet   · not started");
    for package in &broken {
        table.note(format!(
            "{package} does not compile: `cargo exercises grade NAME` shows the errors"
        ));
    }
    print!("{table}");
    println!();

    let next = manifest
        .exercises
        .iter()
        .zip(&states)
        .find(|(_, s)| **s != State::Passed);
    match next {
        Some((ex, _)) => println!(
            "Next: {} — edit {}, then run `cargo exercises grade {}`\n      (or `cargo exercises watch` to re-grade on every save).",
            ex.name,
            ex.file.display(),
            ex.name
        ),
        None => println!("All exercises pass. Well done."),
    }
    Ok(())
}
