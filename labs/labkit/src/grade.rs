//! Sentences a grading test fails with.
//!
//! A grading test that fails with `assertion failed: left == right` makes the
//! reader reverse-engineer the test. These helpers fail with the expectation
//! in words, what actually happened, and where to get a hint:
//!
//! ```text
//! ✗ expectation: a second GET with the ETag gets 304 Not Modified
//!   but got: 200
//!   hint: run `cargo exercises hint rest-etag`
//! ```
//!
//! The exercise runner (`cargo exercises grade`) picks these blocks out of the
//! test output, so keep to this format. This file uses only the standard
//! library, so a test can also include it by path.

use std::fmt::Debug;

/// The mark that starts every failed expectation; the runner searches for it.
pub const FAILED: &str = "✗ expectation:";

/// The environment variable the runner sets to the exercise's name while it
/// grades, so the hint line can name it.
pub const EXERCISE_ENV: &str = "LABKIT_EXERCISE";

/// Fails the test unless `cond` holds, saying which `expectation` failed and
/// what was observed instead (`got`).
#[track_caller]
pub fn expect(cond: bool, expectation: &str, got: impl Debug) {
    if !cond {
        panic!("{FAILED} {expectation}\n  but got: {got:?}\n  {}", hint());
    }
}

/// Fails the test unless `got == want`, saying which `expectation` failed and
/// showing both values.
#[track_caller]
pub fn expect_eq<T: PartialEq + Debug>(got: T, want: T, expectation: &str) {
    if got != want {
        panic!(
            "{FAILED} {expectation}\n  wanted: {want:?}\n  but got: {got:?}\n  {}",
            hint()
        );
    }
}

/// Fails the test unless `result` is `Ok`, saying which `expectation` failed
/// and showing the error; returns the value otherwise.
#[track_caller]
pub fn expect_ok<T, E: Debug>(result: Result<T, E>, expectation: &str) -> T {
    match result {
        Ok(v) => v,
        Err(e) => panic!(
            "{FAILED} {expectation}\n  but got the error: {e:?}\n  {}",
            hint()
        ),
    }
}

/// The hint line: names the exercise when the runner told us which one this
/// is, and otherwise the test target (the runner accepts either).
fn hint() -> String {
    let name = std::env::var(EXERCISE_ENV)
        .ok()
        .filter(|n| !n.is_empty())
        .or_else(test_target)
        .unwrap_or_else(|| "<exercise>".to_string());
    format!("hint: run `cargo exercises hint {name}`")
}

/// The running test binary's target name: `target/debug/deps/ex_etag-1a2b…`
/// is the test target `ex_etag`.
fn test_target() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let stem = exe.file_stem()?.to_str()?;
    let name = match stem.rsplit_once('-') {
        Some((name, hash)) if hash.chars().all(|c| c.is_ascii_hexdigit()) => name,
        _ => stem,
    };
    Some(name.to_string())
}
