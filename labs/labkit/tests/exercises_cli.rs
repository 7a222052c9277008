//! The `exercises` runner end to end, on the fixture book in
//! tests/fixtures/exercises: a copy of it in a temporary folder, graded by the
//! real binary running the real cargo (with its own target folder, so
//! nothing here touches the book's build).
//!
//! The fixture has one chapter, `fixture`, with two exercises:
//! `fixture-double`, sound (its starter stops at a `todo!()`, its solution
//! passes, its two known-wrong variants are refused), and `fixture-greet`,
//! whose starter wrongly passes already and which has only one known-wrong
//! variant — both of which `verify` must report.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_exercises");
/// Only a guard against hanging: a cold build of the fixture takes seconds.
const GUARD: Duration = Duration::from_secs(300);
/// The fixture's exercises package, from the fixture's root.
const PACKAGE: &str = "labs/lab-fixture/exercises";

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    target: PathBuf,
}

/// A fresh copy of the fixture book, at the same place relative to the two
/// files it includes by path: labkit's `src/grade.rs` (in its grading tests)
/// and `labs/exercise-build/src/lib.rs` (in its build script).
fn fixture() -> Fixture {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let labkit = dir.path().join("labs/labkit");
    let root = labkit.join("tests/fixtures/exercises");
    copy_dir(&here.join("tests/fixtures/exercises"), &root);
    for (from, to) in [
        (here.join("src/grade.rs"), labkit.join("src/grade.rs")),
        (
            here.join("../exercise-build/src/lib.rs"),
            dir.path().join("labs/exercise-build/src/lib.rs"),
        ),
    ] {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
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
            .env_remove("LABKIT_EXERCISE_BUILD")
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

    /// Writes `text` to `rel`, a path in the fixture's exercises package.
    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(PACKAGE).join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn solution(&self, name: &str) -> String {
        std::fs::read_to_string(self.root.join(PACKAGE).join("solutions").join(name)).unwrap()
    }
}

/// The text after `heading` in `stdout` (the list of problems).
fn after<'a>(stdout: &'a str, heading: &str) -> &'a str {
    let at = stdout
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in:\n{stdout}"));
    &stdout[at..]
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
        .current_dir(f.root.join(PACKAGE).join("src"))
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
fn an_old_style_entry_is_refused_with_the_convention() {
    let f = fixture();
    std::fs::write(
        f.root.join("exercises.toml"),
        "[[exercise]]\nname = \"fixture-double\"\nfile = \"src/double.rs\"\n",
    )
    .unwrap();
    let (code, _, stderr) = f.run(&["list"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "exercise #1 (`fixture-double`) has a field `file`, but an entry is only its name"
        ),
        "{stderr}"
    );
}

#[test]
fn verify_passes_a_sound_book_round_by_round() {
    let f = fixture();
    // Make fixture-greet sound: a starter that fails, a second wrong variant.
    f.write(
        "src/greet.rs",
        "pub fn greet(name: &str) -> String {\n    let _ = name;\n    todo!(\"TODO: greet by name\")\n}\n",
    );
    f.write(
        "wrong/greet/greets-the-world.rs",
        "//! Wrong: greets the world, not the person.\n\npub fn greet(name: &str) -> String {\n    let _ = name;\n    \"Hello, world!\".to_string()\n}\n",
    );
    let (code, stdout, _) = f.run(&["verify"]);
    assert_eq!(code, 0, "{stdout}");
    for line in [
        "round starter: the untouched starters must fail (2 exercises)\n",
        "  ✓ fixture-double: the starter fails, as it should (2 failing tests)\n",
        "round solution: the reference solutions must pass (2 exercises)\n",
        "  ✓ fixture-double: the solution passes (2 tests)\n",
        "round wrong-1: known-wrong variant #1 of each exercise must be refused with a sentence (2 exercises)\n",
        "  ✓ fixture-double: wrong/double/adds-two.rs (Wrong: adds two instead of multiplying by two.)\n      refused: double(21) is 42, twice its input\n",
        "  ✓ fixture-greet: wrong/greet/forgets-the-name.rs (Wrong: greets nobody in particular.)\n      refused: the greeting names the person greeted\n",
        "  ✓ fixture-double: wrong/double/triples.rs (Wrong: multiplies by three.)\n      refused: double(21) is 42, twice its input\n",
        "  ✓ fixture-greet: wrong/greet/greets-the-world.rs (Wrong: greets the world, not the person.)\n      refused: the greeting names the person greeted\n",
    ] {
        assert!(stdout.contains(line), "{line:?} not in:\n{stdout}");
    }
    for round in ["starter", "solution", "wrong-1", "wrong-2"] {
        let took = format!("  ({round}: compiled in ");
        assert!(stdout.contains(&took), "{took:?} not in:\n{stdout}");
    }
    assert!(stdout.contains("ran 2 grading tests in "), "{stdout}");
    assert!(
        stdout.contains("\nverify: all 2 exercises are sound (4 rounds, "),
        "{stdout}"
    );
}

#[test]
fn verify_names_every_problem() {
    let f = fixture();
    f.write("hints/greet.md", "  \n");
    f.write("hints/triple.md", "Multiply by three.\n");
    // Five known-wrong variants of `double`, in file-name order: one the
    // grader refuses, one it wrongly accepts (and unformatted), one that
    // does not compile, one that fails without a sentence, one without its
    // `//!` line.
    f.write(
        "wrong/double/bitshift.rs",
        // (on one line, which rustfmt would not leave)
        "//! Wrong (not really): shifts left, which no test can tell from doubling.\n\npub fn double(n: u32) -> u32 { n << 1 }\n",
    );
    f.write(
        "wrong/double/does-not-compile.rs",
        "//! Wrong: multiplies by text.\n\npub fn double(n: u32) -> u32 {\n    n * \"2\"\n}\n",
    );
    f.write(
        "wrong/double/panics.rs",
        "//! Wrong: gives up.\n\npub fn double(n: u32) -> u32 {\n    let _ = n;\n    panic!(\"I give up\")\n}\n",
    );
    f.write(
        "wrong/double/triples.rs",
        "pub fn double(n: u32) -> u32 {\n    n * 3\n}\n",
    );
    let (code, stdout, _) = f.run(&["verify"]);
    assert_eq!(code, 1, "verify must fail:\n{stdout}");
    let v = "labs/lab-fixture/exercises/wrong/double";
    let problems = after(&stdout, "verify found ");
    assert!(
        problems.starts_with("verify found 9 problems (7 rounds, "),
        "{problems}"
    );
    for problem in [
        format!("  ✗ fixture-double: {v}/triples.rs must open with a `//!` line saying the mistake in a sentence\n"),
        "  ✗ fixture-greet: its hint labs/lab-fixture/exercises/hints/greet.md is empty\n".into(),
        "  ✗ fixture-greet: fixture-greet has 1 known-wrong variant; add at least 2 under labs/lab-fixture/exercises/wrong/greet/\n".into(),
        format!("  ✗ {v}/bitshift.rs: it is not formatted: run `rustfmt --edition 2024 {v}/bitshift.rs`\n"),
        "  ✗ labs/lab-fixture/exercises/hints/triple.md: it belongs to no exercise: add `[[exercise]] name = \"fixture-triple\"` to exercises.toml, or remove it\n".into(),
        "  ✗ fixture-greet: the untouched starter passes its grading test `ex_greet` (1 test): a grader that passes the starter grades nothing\n".into(),
        format!("  ✗ fixture-double: the known-wrong variant {v}/bitshift.rs passes its grading test `ex_double` (2 tests): the grader accepts this mistake\n"),
        format!("  ✗ fixture-double: the known-wrong variant {v}/does-not-compile.rs does not compile (a refusal must come from the grading test, not the compiler):\n      error[E0277]: cannot multiply `u32` by `&str`\n"),
        format!("  ✗ fixture-double: the known-wrong variant {v}/panics.rs fails, but without a `✗ expectation:` sentence (the reader would not learn what is wrong): `doubles_twenty_one`: I give up\n"),
    ] {
        assert!(problems.contains(&problem), "{problem:?} not in:\n{problems}");
    }
    // The refusals are shown with their sentence as the rounds go.
    assert!(
        stdout.contains("  ✓ fixture-double: wrong/double/triples.rs (no `//!` line saying the mistake)\n      refused: double(21) is 42, twice its input\n"),
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
    assert!(
        stdout.contains(
            "2 tests reached the starter's `todo!()` (labs/lab-fixture/exercises/src/double.rs:6:5)"
        ),
        "{stdout}"
    );
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
         \n  ✗ expectation: double(21) is 42, twice its input\n    wanted: 42\n    but got: 63\n    (test `doubles_twenty_one`, labs/lab-fixture/exercises/tests/ex_double.rs:18:5)\n\
         \nEdit labs/lab-fixture/exercises/src/double.rs; stuck? `cargo exercises hint fixture-double`.\n"
    );

    // Code that does not compile: the compiler's error, pointing at the
    // reader's file by its path in the repository.
    f.write(
        "src/double.rs",
        "pub fn double(n: u32) -> u32 {\n    n * \"3\"\n}\n",
    );
    let (code, stdout, _) = f.run(&["grade", "fixture-double"]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("✗ fixture-double: the code does not compile yet.\n\nerror[E0277]: cannot multiply `u32` by `&str`\n --> labs/lab-fixture/exercises/src/double.rs:2:7"),
        "{stdout}"
    );
    assert!(!stdout.contains("could not compile"));
    assert!(!stdout.contains("aborting due to"));

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
        stdout.contains(
            "  ✓   fixture-double   lab-fixture   labs/lab-fixture/exercises/src/double.rs\n"
        ),
        "{stdout}"
    );
    assert!(stdout.ends_with("All exercises pass. Well done.\n"));
    assert_eq!(
        stderr, "[2/2] grading fixture-greet…\n",
        "fixture-double's grade was remembered, and nothing is announced after the first time"
    );
    let (_, again, stderr) = f.run(&["list"]);
    assert_eq!(
        (again, stderr.as_str()),
        (stdout, ""),
        "nothing changed: nothing graded"
    );
}

#[test]
fn a_first_list_says_it_is_compiling_then_marks_untouched_exercises_not_started() {
    let f = fixture();
    let (code, stdout, stderr) = f.run(&["list"]);
    assert_eq!(code, 0);
    let mut lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"compiling the exercises (first time: a minute or two)…"),
        "{stderr}"
    );
    // The two grading tests run side by side: either may start first.
    lines[1..].sort_unstable();
    assert_eq!(
        lines[1..],
        [
            "[1/2] grading fixture-double…",
            "[2/2] grading fixture-greet…"
        ]
    );
    assert!(stdout.contains("  ·   fixture-double"), "{stdout}");
    assert!(stdout.contains("  ✓   fixture-greet"), "{stdout}");
    assert!(
        stdout.contains("Next: fixture-double — edit labs/lab-fixture/exercises/src/double.rs"),
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
