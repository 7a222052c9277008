//! Printing a grading outcome for the reader: the failed expectations in
//! sentences, then where to look next.

use crate::manifest::Exercise;
use crate::output::{self, Failure, Outcome};

/// At most this many compiler errors are shown; the first is usually the one
/// to fix.
const MAX_ERRORS: usize = 3;

/// Prints what grading `ex` came to, and on failure how to get a hint.
pub fn outcome(ex: &Exercise, outcome: &Outcome) {
    match outcome {
        Outcome::Passed { tests } => match tests {
            1 => println!("✓ {}: its grading test passes.", ex.name),
            n => println!("✓ {}: all {n} grading tests pass.", ex.name),
        },
        Outcome::Failed { passed, failures } => {
            let failed = output::failed_tests(failures);
            println!(
                "✗ {}: {failed} of {} grading tests failed.",
                ex.name,
                failed + passed
            );
            let (todo, real): (Vec<&Failure>, Vec<&Failure>) =
                failures.iter().partition(|f| f.is_todo());
            for f in real {
                println!();
                print_failure(f);
            }
            if let Some(first) = todo.first() {
                println!();
                println!(
                    "  {} reached the starter's `todo!()` ({}): replace it with your code.",
                    if todo.len() == 1 {
                        format!("The test `{}`", first.test)
                    } else {
                        format!("{} tests", todo.len())
                    },
                    first.location.as_deref().unwrap_or("?"),
                );
            }
            footer(ex);
        }
        Outcome::BuildFailed { errors } => {
            if output::is_compile_error(errors) {
                println!("✗ {}: the code does not compile yet.", ex.name);
            } else {
                println!(
                    "✗ {}: cargo could not run its grading test (is exercises.toml right?).",
                    ex.name
                );
            }
            for e in errors.iter().take(MAX_ERRORS) {
                println!();
                println!("{e}");
            }
            if errors.len() > MAX_ERRORS {
                println!();
                println!(
                    "… and {} more errors (run `cargo test -p {} --test {}` to see them all).",
                    errors.len() - MAX_ERRORS,
                    ex.package,
                    ex.test
                );
            }
            footer(ex);
        }
    }
}

fn print_failure(f: &Failure) {
    let mut lines = f
        .message
        .lines()
        // The runner prints the hint command once, below.
        .filter(|l| {
            !l.trim_start()
                .starts_with("hint: run `cargo exercises hint")
        })
        .peekable();
    if !f.is_expectation() {
        println!("  The test `{}` failed:", f.test);
    }
    for line in lines.by_ref().take(20) {
        println!("  {line}");
    }
    if lines.peek().is_some() {
        println!("  …");
    }
    match &f.location {
        Some(at) => println!("    (test `{}`, {at})", f.test),
        None if f.is_expectation() => println!("    (test `{}`)", f.test),
        None => {}
    }
}

fn footer(ex: &Exercise) {
    println!();
    println!(
        "Edit {}; stuck? `cargo exercises hint {}`.",
        ex.file.display(),
        ex.name
    );
}
