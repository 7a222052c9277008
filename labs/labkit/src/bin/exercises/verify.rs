//! `cargo exercises verify`: CI's proof that every exercise is gradable.
//!
//! First the files ([`crate::files`], [`crate::formatting`]): everything
//! each name promises exists, nothing lies around unowned, the order follows
//! the book, rustfmt has nothing to change. Then the grading
//! tests, in rounds; each round compiles every exercises package once, with
//! the exercise modules taken from one kind of file ([`Build`]), and runs the
//! grading binaries two at a time:
//!
//! | round | every exercise's … | must ([`crate::judge`]) |
//! |---|---|---|
//! | `starter` | untouched starter | fail |
//! | `solution` | reference solution | pass |
//! | `wrong-1`, `wrong-2`, … | first, second, … known-wrong variant | fail with a sentence |
//!
//! Run it on a clean checkout: it grades the starters as they are on disk.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::files::{self, Problem};
use crate::formatting;
use crate::grader;
use crate::judge::{self, Verdict};
use crate::manifest::{Exercise, Manifest};
use crate::output::Outcome;
use exercise_build::Build;

/// Checks every exercise, prints what it finds round by round, and returns
/// whether all is well.
pub fn run(manifest: &Manifest) -> Result<bool> {
    let started = Instant::now();
    let mut problems: Vec<Problem> = files::check(manifest);
    problems.extend(formatting::check(manifest));

    let most_wrong = manifest
        .exercises
        .iter()
        .map(|ex| files::wrong_variants(manifest, ex).len())
        .max()
        .unwrap_or(0);
    let rounds = [Build::Starter, Build::Solution]
        .into_iter()
        .chain((1..=most_wrong).map(Build::Wrong));
    let tty = std::io::stderr().is_terminal();
    // Rounds so far, and their time spent compiling and running.
    let (mut rounds_run, mut compiling, mut running_tests) = (0, Duration::ZERO, Duration::ZERO);
    for build in rounds {
        let exercises: Vec<&Exercise> = manifest
            .exercises
            .iter()
            .filter(|ex| match build {
                Build::Wrong(k) => files::wrong_variants(manifest, ex).len() >= k,
                _ => true,
            })
            .collect();
        println!("{}", heading(build, exercises.len()));
        let running = |i: usize| {
            if tty {
                eprint!("\r\x1b[K  running {}…", exercises[i].name);
                let _ = std::io::stderr().flush();
            }
        };
        let timing = grader::grade_all(
            manifest,
            &exercises,
            build,
            None,
            &running,
            |ex, outcome| {
                if tty {
                    eprint!("\r\x1b[K");
                }
                let verdict = judge_one(manifest, ex, build, &outcome);
                println!(
                    "  {} {}: {}",
                    if verdict.sound { "✓" } else { "✗" },
                    ex.name,
                    indent(&verdict.said)
                );
                if !verdict.sound {
                    problems.push((ex.name.clone(), verdict.said));
                }
            },
        )?;
        println!(
            "  ({build}: compiled in {:.1} s, ran {} in {:.1} s)",
            timing.compile.as_secs_f64(),
            judge::count(exercises.len(), "grading test"),
            timing.run.as_secs_f64()
        );
        rounds_run += 1;
        compiling += timing.compile;
        running_tests += timing.run;
    }

    println!();
    let took = format!(
        "{rounds_run} rounds, {:.0} s: {:.0} s compiling, {:.0} s running grading tests",
        started.elapsed().as_secs_f64(),
        compiling.as_secs_f64(),
        running_tests.as_secs_f64()
    );
    if problems.is_empty() {
        println!(
            "verify: all {} exercises are sound ({took}).",
            manifest.exercises.len()
        );
        return Ok(true);
    }
    println!(
        "verify found {} ({took}):",
        judge::count(problems.len(), "problem")
    );
    for (who, problem) in &problems {
        println!("  ✗ {who}: {}", indent(problem));
    }
    Ok(false)
}

/// What a round is about, in one line.
fn heading(build: Build, exercises: usize) -> String {
    let what = match build {
        Build::Starter => "the untouched starters must fail".to_string(),
        Build::Solution => "the reference solutions must pass".to_string(),
        Build::Wrong(k) => {
            format!("known-wrong variant #{k} of each exercise must be refused with a sentence")
        }
    };
    format!(
        "round {build}: {what} ({})",
        judge::count(exercises, "exercise")
    )
}

/// The verdict on `ex` built as `build`; for a wrong variant, which file
/// and which mistake it was, then the verdict.
fn judge_one(manifest: &Manifest, ex: &Exercise, build: Build, outcome: &Outcome) -> Verdict {
    match build {
        Build::Starter => judge::starter(ex, outcome),
        Build::Solution => judge::solution(ex, outcome),
        Build::Wrong(k) => {
            let variants = files::wrong_variants(manifest, ex);
            let Some(path) = variants.get(k - 1) else {
                return judge::wrong(ex, &format!("#{k}"), outcome);
            };
            let variant = manifest.relative(&path.display().to_string());
            let mut verdict = judge::wrong(ex, &variant, outcome);
            if verdict.sound {
                let mistake = files::mistake(path)
                    .unwrap_or_else(|| "no `//!` line saying the mistake".into());
                let name = path
                    .strip_prefix(manifest.package_dir(ex))
                    .unwrap_or(path)
                    .display();
                verdict.said = format!("{name} ({mistake})\n{}", verdict.said);
            }
            verdict
        }
    }
}

/// Later lines of a multi-line message, indented under the first.
fn indent(text: &str) -> String {
    text.replace('\n', "\n      ")
}
