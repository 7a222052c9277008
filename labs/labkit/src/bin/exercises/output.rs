//! Reading a grading test's output: what passed, which expectations failed,
//! and what cargo said when it could not build.
//!
//! The reader should see the sentence a grading test failed with, not two
//! screens of harness output. A test binary prints each failed test's
//! captured output under `---- NAME stdout ----`, where a panic reads
//! `thread 'NAME' (ID) panicked at FILE:LINE:COL:` followed by the message;
//! this module picks those messages out. When cargo itself refuses (no such
//! package, a broken manifest), its `error` blocks are what matters.

/// What grading one exercise came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Every test passed (`tests` of them; zero means the target is empty).
    Passed { tests: usize },
    /// The tests ran and some failed.
    Failed {
        passed: usize,
        failures: Vec<Failure>,
    },
    /// Nothing ran: the code did not compile, or cargo refused (e.g. no such
    /// package or test target). `errors` are the compiler's or cargo's words.
    BuildFailed { errors: Vec<String> },
}

/// One failed test and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The test function's name.
    pub test: String,
    /// Where it panicked (`tests/ex_etag.rs:12:5`), when it did.
    pub location: Option<String>,
    /// The panic message: for a `labkit::grade` failure, the
    /// `✗ expectation: …` block.
    pub message: String,
}

/// The prefix of a `todo!()` panic.
const TODO: &str = "not yet implemented";

/// The mark that starts a failed expectation (`labkit::grade::FAILED`).
const EXPECTATION: &str = "✗ expectation:";

impl Failure {
    /// True when the test failed only because it reached a `todo!()`: the
    /// reader has not started on this part yet.
    pub fn is_todo(&self) -> bool {
        self.message.starts_with(TODO)
    }

    /// True when the message is a `labkit::grade` expectation.
    pub fn is_expectation(&self) -> bool {
        self.message.starts_with(EXPECTATION)
    }

    /// The expectation in words (`a retry is answered 200`), when the test
    /// failed with one.
    pub fn sentence(&self) -> Option<&str> {
        let first = self.message.lines().next()?;
        Some(first.strip_prefix(EXPECTATION)?.trim())
    }
}

impl Outcome {
    /// True when everything passed.
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Passed { .. })
    }
}

/// True when build `errors` come from the compiler (they point into source
/// files), rather than from cargo refusing to run (no such package or test).
pub fn is_compile_error(errors: &[String]) -> bool {
    errors.iter().any(|e| e.contains("--> "))
}

/// How many tests failed (a test can panic more than once, e.g. in a spawned
/// thread and then in the test itself).
pub fn failed_tests(failures: &[Failure]) -> usize {
    let mut tests: Vec<&str> = failures.iter().map(|f| f.test.as_str()).collect();
    tests.sort_unstable();
    tests.dedup();
    tests.len()
}

/// Reads one run of a test binary: whether it exited successfully, and both
/// of its streams. A binary that died without reporting (a crash, an abort,
/// `process::exit`, a watchdog's kill) failed, with the end of its standard
/// error as the reason.
pub fn parse(success: bool, stdout: &str, stderr: &str) -> Outcome {
    let (passed, failed, ran) = counts(stdout);
    if success && ran {
        return Outcome::Passed { tests: passed };
    }
    let mut failures = failures(stdout);
    // Tests run on several threads and report in any order; by name, the
    // same run always reads the same.
    failures.sort_by(|a, b| a.test.cmp(&b.test));
    if failures.is_empty() {
        let said = last_lines(stderr, 6);
        failures.push(Failure {
            test: if failed > 0 {
                "(unknown)".into()
            } else {
                "(the test binary)".into()
            },
            location: None,
            message: if said.is_empty() {
                "the test binary stopped without saying why".into()
            } else {
                said
            },
        });
    }
    Outcome::Failed { passed, failures }
}

/// Sums the `test result:` lines: (passed, failed, whether any test ran).
fn counts(stdout: &str) -> (usize, usize, bool) {
    let mut passed = 0;
    let mut failed = 0;
    let mut ran = false;
    for line in stdout.lines() {
        if line.starts_with("running ") && (line.ends_with(" test") || line.ends_with(" tests")) {
            ran = true;
        }
        if let Some(rest) = line.strip_prefix("test result: ") {
            ran = true;
            passed += number_before(rest, " passed");
            failed += number_before(rest, " failed");
        }
    }
    (passed, failed, ran)
}

/// In "ok. 3 passed; 1 failed; …", the number just before `word`.
fn number_before(text: &str, word: &str) -> usize {
    text.find(word)
        .and_then(|end| text[..end].rsplit([' ', '.', ';']).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Every failed test's panic message, from the `---- NAME stdout ----`
/// sections of the harness's output.
pub fn failures(stdout: &str) -> Vec<Failure> {
    let mut out = Vec::new();
    let mut lines = stdout.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(test) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        else {
            continue;
        };
        let mut section = Vec::new();
        while let Some(next) = lines.peek() {
            // The section ends at the next test's section or at the closing
            // list of failed tests.
            if next.starts_with("---- ") && next.ends_with(" ----") || *next == "failures:" {
                break;
            }
            section.push(lines.next().unwrap_or_default());
        }
        out.extend(panics_in(test, &section));
    }
    out
}

/// The panics in one test's captured output; if it did not panic (e.g. a
/// `#[should_panic]` test that did not), what it printed.
fn panics_in(test: &str, section: &[&str]) -> Vec<Failure> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < section.len() {
        let Some(location) = panic_location(section[i]) else {
            i += 1;
            continue;
        };
        let mut message = Vec::new();
        i += 1;
        while i < section.len() && !ends_message(section[i]) {
            message.push(section[i]);
            i += 1;
        }
        found.push(Failure {
            test: test.to_string(),
            location: Some(location),
            message: message.join("\n").trim_end().to_string(),
        });
    }
    if found.is_empty() {
        let text = section.join("\n").trim().to_string();
        found.push(Failure {
            test: test.to_string(),
            location: None,
            message: if text.is_empty() {
                "the test failed without a message".into()
            } else {
                text
            },
        });
    }
    found
}

/// `thread 'x' (123) panicked at tests/ex.rs:5:9:` → `tests/ex.rs:5:9`.
fn panic_location(line: &str) -> Option<String> {
    if !line.starts_with("thread '") {
        return None;
    }
    let (_, at) = line
        .split_once("' panicked at ")
        .or_else(|| line.split_once(") panicked at "))?;
    Some(at.trim_end_matches(':').to_string())
}

/// The lines the harness prints after a panic message.
fn ends_message(line: &str) -> bool {
    line.starts_with("note: run with `RUST_BACKTRACE")
        || line.starts_with("stack backtrace:")
        || line.starts_with("note: Some details are omitted")
        || panic_location(line).is_some()
}

/// The compiler's and cargo's `error` blocks, without the closing summaries
/// ("could not compile …") that only repeat that there were errors.
pub fn build_errors(stderr: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in stderr.lines() {
        if let Some(block) = current.as_mut() {
            if line.trim().is_empty() || starts_diagnostic(line) {
                blocks.push(block.join("\n"));
                current = None;
            } else {
                block.push(line);
                continue;
            }
        }
        if line.starts_with("error") && !is_summary(line) {
            current = Some(vec![line]);
        }
    }
    if let Some(block) = current {
        blocks.push(block.join("\n"));
    }
    if blocks.is_empty() {
        blocks.push(last_lines(stderr, 10));
    }
    blocks
}

fn starts_diagnostic(line: &str) -> bool {
    line.starts_with("error")
        || line.starts_with("warning")
        || line.starts_with("For more information")
}

fn is_summary(line: &str) -> bool {
    line.starts_with("error: could not compile")
        || line.starts_with("error: test failed")
        || line.starts_with("error: aborting due to")
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
