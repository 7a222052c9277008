//! `cargo exercises verify`: CI's check that every exercise is gradable.
//!
//! An exercise is sound when its hint exists and says something, its
//! untouched starter fails its grading test (a grader that passes the starter
//! grades nothing), and its reference solution passes. Starters are graded
//! first, package by package, then solutions, so each package is compiled
//! once per feature set rather than once per exercise.
//!
//! Run it on a clean checkout: it grades the starters as they are on disk.

use anyhow::Result;

use crate::grader::{self, Variant};
use crate::manifest::{Exercise, Manifest};
use crate::output::{self, Outcome};

/// Checks every exercise, prints what it finds, and returns whether all is
/// well.
pub fn run(manifest: &Manifest) -> Result<bool> {
    let mut problems: Vec<(String, String)> = Vec::new();

    for ex in &manifest.exercises {
        for (what, path) in [
            ("starter", &ex.file),
            ("solution", &ex.solution),
            ("hint", &ex.hint),
        ] {
            if !manifest.path(path).is_file() {
                problems.push((
                    ex.name.clone(),
                    format!("its {what} file {} does not exist", path.display()),
                ));
            }
        }
        let hint = std::fs::read_to_string(manifest.path(&ex.hint));
        if hint.is_ok_and(|text| text.trim().is_empty()) {
            problems.push((
                ex.name.clone(),
                format!("its hint file {} is empty", ex.hint.display()),
            ));
        }
    }

    let packages = manifest.by_package();
    for variant in [Variant::Starter, Variant::Solution] {
        for (package, exercises) in &packages {
            let features = match variant {
                Variant::Starter => "",
                Variant::Solution => " --features solutions",
            };
            println!("{package}{features}:");
            for ex in exercises {
                let outcome = grader::grade(manifest, ex, variant)?;
                let (ok, said) = judge(ex, variant, &outcome);
                println!(
                    "  {} {}: {}",
                    if ok { "✓" } else { "✗" },
                    ex.name,
                    said.lines().next().unwrap_or("")
                );
                if !ok {
                    problems.push((ex.name.clone(), said));
                }
            }
        }
    }

    println!();
    if problems.is_empty() {
        println!(
            "verify: all {} exercises are sound.",
            manifest.exercises.len()
        );
        return Ok(true);
    }
    println!("verify found {}:", count(problems.len(), "problem"));
    for (name, problem) in &problems {
        let mut lines = problem.lines();
        println!("  ✗ {name}: {}", lines.next().unwrap_or(""));
        for line in lines {
            println!("      {line}");
        }
    }
    Ok(false)
}

/// Whether `outcome` is what `variant` of `ex` should give, and a sentence
/// saying what happened.
fn judge(ex: &Exercise, variant: Variant, outcome: &Outcome) -> (bool, String) {
    match (variant, outcome) {
        (Variant::Starter, Outcome::Failed { failures, .. }) => (
            true,
            format!(
                "the starter fails, as it should ({})",
                count(output::failed_tests(failures), "failing test")
            ),
        ),
        (Variant::Starter, Outcome::Passed { tests }) => (
            false,
            format!(
                "the untouched starter passes its grading test `{}` ({}): a grader that passes the starter grades nothing",
                ex.test,
                count(*tests, "test")
            ),
        ),
        (Variant::Solution, Outcome::Passed { tests: 0 }) => (
            false,
            format!("the grading test `{}` runs no tests", ex.test),
        ),
        (Variant::Solution, Outcome::Passed { tests }) => (
            true,
            format!("the solution passes ({})", count(*tests, "test")),
        ),
        (Variant::Solution, Outcome::Failed { failures, .. }) => {
            let mut said = format!(
                "the reference solution fails its grading test `{}`:",
                ex.test
            );
            for f in failures {
                said.push_str(&format!(
                    "\n{}: {}",
                    f.test,
                    f.message.lines().next().unwrap_or("")
                ));
            }
            (false, said)
        }
        (variant, Outcome::BuildFailed { errors }) => {
            let what = match variant {
                _ if !output::is_compile_error(errors) => {
                    "cargo could not run the grading test (check the package and test names)"
                }
                Variant::Starter => {
                    "the starter does not compile (starters must compile, with `todo!()` where the reader writes code)"
                }
                Variant::Solution => "the solution does not compile",
            };
            let first = errors.first().map_or("", String::as_str);
            (false, format!("{what}:\n{first}"))
        }
    }
}

/// "1 test", "2 tests".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
