//! What each build of an exercise must come to, for `verify`.
//!
//! | build | sound when |
//! |---|---|
//! | the untouched starter | its grading tests fail (a grader that passes the starter grades nothing) |
//! | the reference solution | they pass, and there is at least one |
//! | a known-wrong variant | they fail with a `✗ expectation:` sentence |
//!
//! A wrong variant that does not compile, or fails only with a panic that
//! says nothing to the reader, proves nothing about the grader: both are
//! problems, not refusals.

use crate::manifest::Exercise;
use crate::output::{self, Outcome};

/// Whether an outcome is what it should be, and a sentence saying what
/// happened.
pub struct Verdict {
    pub sound: bool,
    pub said: String,
}

fn sound(said: String) -> Verdict {
    Verdict { sound: true, said }
}

fn problem(said: String) -> Verdict {
    Verdict { sound: false, said }
}

/// The untouched starter must fail its grading tests.
pub fn starter(ex: &Exercise, outcome: &Outcome) -> Verdict {
    match outcome {
        Outcome::Failed { failures, .. } => sound(format!(
            "the starter fails, as it should ({})",
            count(output::failed_tests(failures), "failing test")
        )),
        Outcome::Passed { tests } => problem(format!(
            "the untouched starter passes its grading test `{}` ({}): a grader that passes the starter grades nothing",
            ex.test,
            count(*tests, "test")
        )),
        Outcome::BuildFailed { errors } => problem(not_built(
            errors,
            "the starter does not compile (starters must compile, with `todo!()` where the reader writes code)",
        )),
    }
}

/// The reference solution must pass, with at least one test.
pub fn solution(ex: &Exercise, outcome: &Outcome) -> Verdict {
    match outcome {
        Outcome::Passed { tests: 0 } => {
            problem(format!("the grading test `{}` runs no tests", ex.test))
        }
        Outcome::Passed { tests } => {
            sound(format!("the solution passes ({})", count(*tests, "test")))
        }
        Outcome::Failed { failures, .. } => {
            let mut said = format!(
                "the reference solution fails its grading test `{}`:",
                ex.test
            );
            // The expectation and what the run got: a solution that fails
            // in CI is a flake or a broken grader, and the value tells which.
            for f in failures {
                let shown: Vec<&str> = f
                    .message
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("hint:"))
                    .take(4)
                    .collect();
                said.push_str(&format!("\n{}: {}", f.test, shown.join("\n    ")));
            }
            problem(said)
        }
        Outcome::BuildFailed { errors } => {
            problem(not_built(errors, "the solution does not compile"))
        }
    }
}

/// A known-wrong variant (`variant`, its path from the repository's root)
/// must fail with an expectation in words.
pub fn wrong(ex: &Exercise, variant: &str, outcome: &Outcome) -> Verdict {
    match outcome {
        Outcome::Failed { failures, .. } => match failures.iter().find_map(|f| f.sentence()) {
            Some(sentence) => sound(format!("refused: {sentence}")),
            None => {
                let first = failures
                    .first()
                    .map(|f| format!("`{}`: {}", f.test, f.message.lines().next().unwrap_or("")))
                    .unwrap_or_default();
                problem(format!(
                    "the known-wrong variant {variant} fails, but without a `✗ expectation:` sentence (the reader would not learn what is wrong): {first}"
                ))
            }
        },
        Outcome::Passed { tests } => problem(format!(
            "the known-wrong variant {variant} passes its grading test `{}` ({}): the grader accepts this mistake",
            ex.test,
            count(*tests, "test")
        )),
        Outcome::BuildFailed { errors } if errors.iter().any(|e| e.contains(variant)) => {
            problem(not_built(
                errors,
                &format!(
                    "the known-wrong variant {variant} does not compile (a refusal must come from the grading test, not the compiler)"
                ),
            ))
        }
        Outcome::BuildFailed { errors } => problem(not_built(
            errors,
            &format!("{variant} could not be graded: its package did not compile in this round"),
        )),
    }
}

/// A build failure: what could not be built, then the first error.
fn not_built(errors: &[String], what: &str) -> String {
    let what = if output::is_compile_error(errors) {
        what
    } else {
        "cargo could not build the grading test (check the package and test names)"
    };
    let first = errors.first().map_or("", String::as_str);
    format!("{what}:\n{first}")
}

/// "1 test", "2 tests".
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
