//! The `exercises` runner end to end, on the fixture chapter in
//! tests/fixtures/exercises: a copy of it in a temporary folder, graded by the
//! real binary running the real `cargo test` (with its own target folder, so
//! nothing here touches the book's build).
//!
//! The fixture has two exercises: `fixture-double`, sound (its starter stops
//! at a `todo!()`, its solution passes), and `fixture-greet`, whose starter
//! wrongly passes already — which `verify` must report.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_exercises");
/// Only a guard against hanging: a cold build of the fixture takes seconds.
const GUARD: Duration = Duration::from_secs(300);

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    target: PathBuf,
}

/// A fresh copy of the fixture chapter. Its grading tests include
/// `src/grade.rs` by relative path, so that file is copied alongside.
fn fixture() -> Fixture {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tests/fixtures/exercises");
    copy_dir(&here.join("tests/fixtures/exercises"), &root);
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::copy(here.join("src/grade.rs"), dir.path().join("src/grade.rs")).unwrap();
    let target = dir.path().join("target");
    Fixture {
        _dir: dir,
        root,
        target,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

impl Fixture {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target)
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let Output {
            status,
            stdout,
            stderr,
        } = self.command(args).output().unwrap();
        let (stdout, stderr) = (
            String::from_utf8(stdout).unwrap(),
            String::from_utf8(stderr).unwrap(),
        );
        println!("$ exercises {}\n{stdout}{stderr}", args.join(" "));
        (status.code().unwrap_or(-1), stdout, stderr)
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root.join(rel), text).unwrap();
    }

    fn solution(&self, name: &str) -> String {
        std::fs::read_to_string(self.root.join("solutions").join(name)).unwrap()
    }
}

#[test]
fn without_exercises_toml_the_error_says_where_it_looked() {
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .current_dir(empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: no exercises.toml in "),
        "{stderr}"
    );
    assert!(
        stderr.contains("run `cargo exercises` from inside the book's repository"),
        "{stderr}"
    );
}

#[test]
fn hint_prints_the_hint_and_unknown_names_list_the_real_ones() {
    let f = fixture();
    let (code, stdout, _) = f.run(&["hint", "fixture-double"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Multiply by two: `n * 2`."), "{stdout}");

    // From a subfolder too: the runner walks up to exercises.toml.
    let out = f
        .command(&["hint", "nope"])
        .current_dir(f.root.join("src"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr.trim(),
        "error: there is no exercise called `nope`; the exercises are: fixture-double, fixture-greet"
    );
}

#[test]
fn verify_reports_a_starter_that_passes_and_an_empty_hint() {
    let f = fixture();
    f.write("hints/greet.md", "  \n");
    let (code, stdout, _) = f.run(&["verify"]);
    assert_eq!(code, 1, "verify must fail");
    assert!(stdout.contains("✓ fixture-double: the starter fails, as it should (2 failing tests)"));
    assert!(stdout.contains("✓ fixture-double: the solution passes (2 tests)"));
    assert!(stdout.contains("✓ fixture-greet: the solution passes (1 test)"));
    let report = &stdout[stdout.find("verify found").expect("a list of problems")..];
    assert_eq!(
        report.trim(),
        "verify found 2 problems:\n  \
         ✗ fixture-greet: its hint file hints/greet.md is empty\n  \
         ✗ fixture-greet: the untouched starter passes its grading test `ex_greet` (1 test): a grader that passes the starter grades nothing"
    );

    // Fixed, the same fixture verifies clean.
    f.write("hints/greet.md", "Use `format!`.\n");
    f.write(
        "src/greet.rs",
        "pub fn greet(name: &str) -> String {\n    let _ = name;\n    todo!()\n}\n",
    );
    let (code, stdout, _) = f.run(&["verify"]);
    assert_eq!(code, 0);
    assert!(
        stdout.ends_with("verify: all 2 exercises are sound.\n"),
        "{stdout}"
    );
}

#[test]
fn grade_says_what_failed_in_sentences() {
    let f = fixture();

    // Untouched: both tests stop at the starter's todo!().
    let (code, stdout, _) = f.run(&["grade", "fixture-double"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("✗ fixture-double: 2 of 2 grading tests failed."));
    assert!(stdout.contains("2 tests reached the starter's `todo!()` (src/double.rs:6:5)"));
    assert!(stdout.contains("stuck? `cargo exercises hint fixture-double`"));

    // A wrong answer: the failed expectation, in words, and nothing else of
    // the harness's output.
    f.write(
        "src/double.rs",
        "pub fn double(n: u32) -> u32 {\n    n * 3\n}\n",
    );
    let (code, stdout, _) = f.run(&["grade", "fixture-double"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "✗ fixture-double: 1 of 2 grading tests failed.\n\
         \n  ✗ expectation: double(21) is 42, twice its input\n    wanted: 42\n    but got: 63\n    (test `doubles_twenty_one`, tests/ex_double.rs:18:5)\n\
         \nEdit src/double.rs; stuck? `cargo exercises hint fixture-double`.\n"
    );

    // Code that does not compile: the compiler's error.
    f.write(
        "src/double.rs",
        "pub fn double(n: u32) -> u32 {\n    n * \"3\"\n}\n",
    );
    let (code, stdout, _) = f.run(&["grade", "fixture-double"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("✗ fixture-double: the code does not compile yet.\n\nerror[E0277]: cannot multiply `u32` by `&str`"));
    assert!(!stdout.contains("could not compile"));

    // Solved.
    f.write("src/double.rs", &f.solution("double.rs"));
    let (code, stdout, _) = f.run(&["grade", "fixture-double"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "✓ fixture-double: all 2 grading tests pass.\n")
    );

    // The list grades what it does not know yet and remembers the rest.
    let (code, stdout, stderr) = f.run(&["list"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("Exercises: 2 of 2 pass\n"), "{stdout}");
    assert!(
        stdout.contains("  ✓   fixture-double   fixture   src/double.rs\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("All exercises pass. Well done.\n"));
    assert_eq!(
        stderr, "[2/2] grading fixture-greet…\n",
        "fixture-double's grade was remembered"
    );
    let (_, again, stderr) = f.run(&["list"]);
    assert_eq!(
        (again, stderr.as_str()),
        (stdout, ""),
        "nothing changed: nothing graded"
    );
}

#[test]
fn list_marks_untouched_exercises_as_not_started() {
    let f = fixture();
    let (code, stdout, stderr) = f.run(&["list"]);
    assert_eq!(code, 0);
    assert_eq!(
        stderr,
        "[1/2] grading fixture-double…\n[2/2] grading fixture-greet…\n"
    );
    assert!(stdout.contains("  ·   fixture-double"), "{stdout}");
    assert!(stdout.contains("  ✓   fixture-greet"), "{stdout}");
    assert!(
        stdout.contains("Next: fixture-double — edit src/double.rs"),
        "{stdout}"
    );
}

#[test]
fn watch_grades_again_when_the_starter_is_saved() {
    let f = fixture();
    let mut child = f
        .command(&["watch", "fixture-double"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            println!("watch: {line}");
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |prefix: &str| loop {
        match rx.recv_timeout(GUARD) {
            Ok(line) if line.starts_with(prefix) => return,
            Ok(_) => continue,
            Err(e) => panic!("no line starting {prefix:?}: {e}"),
        }
    };

    wait_for("✗ fixture-double: 2 of 2 grading tests failed.");
    f.write("src/double.rs", &f.solution("double.rs"));
    wait_for("✓ fixture-double: all 2 grading tests pass.");
    child.kill().unwrap();
    child.wait().unwrap();
}
