//! `cargo exercises list`: every exercise, whether it passes, and what next.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use labkit::report::Table;

use crate::grader;
use crate::manifest::{Exercise, Manifest};
use crate::output::Outcome;
use crate::progress::{self, Progress, State};
use exercise_build::Build;

/// What a reader is told when the first `list` starts compiling every lab,
/// which would otherwise be a silent minute.
const FIRST_COMPILE: &str = "compiling the exercises (first time: a minute or two)…";

/// Grades every exercise whose package changed since it was last graded (all
/// of them with `rerun`), then prints the list and the next one to do.
pub fn run(manifest: &Manifest, progress: &mut Progress, rerun: bool) -> Result<()> {
    let total = manifest.exercises.len();
    let mut states: Vec<Option<State>> = manifest
        .exercises
        .iter()
        .map(|ex| {
            if rerun {
                None
            } else {
                progress.get(manifest, ex)
            }
        })
        .collect();
    // (position in the list, exercise) of those to grade now.
    let pending: Vec<(usize, &Exercise)> = manifest
        .exercises
        .iter()
        .enumerate()
        .filter(|(i, _)| states[*i].is_none())
        .collect();
    let tty = std::io::stderr().is_terminal();
    let announce = progress.first_time().then_some(FIRST_COMPILE);
    let mut broken: Vec<String> = Vec::new();
    if !pending.is_empty() {
        // Stamps are taken before grading, so an edit made meanwhile is
        // graded next time.
        let stamps: Vec<String> = pending
            .iter()
            .map(|(_, ex)| progress::stamp(manifest, ex))
            .collect();
        let starting = |k: usize| {
            let (i, ex) = pending[k];
            if tty {
                eprint!("\r\x1b[K[{}/{total}] grading {}…", i + 1, ex.name);
            } else {
                eprintln!("[{}/{total}] grading {}…", i + 1, ex.name);
            }
            let _ = std::io::stderr().flush();
        };
        let exercises: Vec<&Exercise> = pending.iter().map(|(_, ex)| *ex).collect();
        let mut k = 0;
        grader::grade_all(
            manifest,
            &exercises,
            Build::Starter,
            announce,
            &starting,
            |ex, outcome| {
                if matches!(outcome, Outcome::BuildFailed { .. }) && !broken.contains(&ex.package) {
                    broken.push(ex.package.clone());
                }
                let state = State::of(manifest, ex, &outcome);
                progress.set(ex, stamps[k].clone(), state);
                states[pending[k].0] = Some(state);
                k += 1;
            },
        )?;
        if tty {
            eprint!("\r\x1b[K");
        }
    }
    let states: Vec<State> = states
        .into_iter()
        .map(|s| s.unwrap_or(State::NotTried))
        .collect();

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
