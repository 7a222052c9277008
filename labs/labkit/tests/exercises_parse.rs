//! The exercise runner's reading: `exercises.toml`, and the failed
//! expectations in real `cargo test` output (captured from the fixture
//! chapter in tests/fixtures/exercises, see tests/fixtures/cargo-test-output).

// The runner is a binary; its modules are included here by path to test
// them directly.
#[allow(dead_code)]
#[path = "../src/bin/exercises/manifest.rs"]
mod manifest;
#[allow(dead_code)]
#[path = "../src/bin/exercises/output.rs"]
mod output;

use std::path::{Path, PathBuf};

use manifest::Manifest;
use output::{Failure, Outcome};

fn sample(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cargo-test-output")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const TWO: &str = r#"
[[exercise]]
name = "rest-etag"
lab = "lab-rest"
package = "lab-rest-exercises"
test = "ex_etag"
file = "labs/lab-rest/exercises/src/etag.rs"
solution = "labs/lab-rest/exercises/solutions/etag.rs"
hint = "labs/lab-rest/exercises/hints/etag.md"

[[exercise]]
name = "rest-pages"
lab = "lab-rest"
package = "lab-rest-exercises"
test = "ex_pages"
file = "labs/lab-rest/exercises/src/pages.rs"
solution = "labs/lab-rest/exercises/solutions/pages.rs"
hint = "labs/lab-rest/exercises/hints/pages.md"
"#;

#[test]
fn manifest_lists_exercises_in_order() {
    let m = Manifest::parse(Path::new("/book"), TWO).unwrap();
    let names: Vec<&str> = m.exercises.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["rest-etag", "rest-pages"]);
    let etag = m.get("rest-etag").unwrap();
    assert_eq!(etag.package, "lab-rest-exercises");
    assert_eq!(etag.test, "ex_etag");
    assert_eq!(
        m.path(&etag.hint),
        PathBuf::from("/book/labs/lab-rest/exercises/hints/etag.md")
    );
    // A grading test run by hand names its test target; that finds it too.
    assert_eq!(m.get("ex_pages").unwrap().name, "rest-pages");
    let groups = m.by_package();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].1.len(), 2);
}

#[test]
fn unknown_names_are_answered_with_the_list() {
    let m = Manifest::parse(Path::new("/book"), TWO).unwrap();
    let err = m.get("rest-etg").unwrap_err().to_string();
    assert_eq!(
        err,
        "there is no exercise called `rest-etg`; the exercises are: rest-etag, rest-pages"
    );
}

#[test]
fn bad_manifests_are_refused_with_a_reason() {
    let root = Path::new("/book");
    let twice = format!(
        "{TWO}{}",
        &TWO[TWO.find("[[exercise]]").unwrap()..TWO.find("\n\n[[").unwrap()]
    );
    let cases = [
        ("", "lists no exercises"),
        (&twice, "`rest-etag` is used twice"),
        ("[[exercise]]\nname = \"x\"\n", "missing field"),
        (&TWO.replace("hint =", "hnit ="), "unknown field `hnit`"),
        (
            &TWO.replace("\"rest-etag\"", "\"rest etag\""),
            "names are single words",
        ),
    ];
    for (text, why) in cases {
        let err = format!("{:#}", Manifest::parse(root, text).unwrap_err());
        assert!(err.contains(why), "{why:?} not in {err:?}");
    }
}

#[test]
fn a_wrong_answer_gives_the_expectation_sentence() {
    let outcome = output::parse(false, &sample("wrong-answer.stdout"), "");
    let Outcome::Failed { passed, failures } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(passed, 1);
    assert_eq!(
        failures,
        [Failure {
            test: "doubles_twenty_one".into(),
            location: Some("tests/ex_double.rs:18:5".into()),
            message: "✗ expectation: double(21) is 42, twice its input\n  wanted: 42\n  but got: 63\n  hint: run `cargo exercises hint fixture-double`".into(),
        }]
    );
    assert!(failures[0].is_expectation());
}

#[test]
fn todo_panics_are_recognised_even_with_backtraces() {
    let outcome = output::parse(false, &sample("todo-with-backtrace.stdout"), "");
    let Outcome::Failed {
        passed: 0,
        failures,
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    let tests: Vec<&str> = failures.iter().map(|f| f.test.as_str()).collect();
    assert_eq!(tests, ["doubles_zero", "doubles_twenty_one"]);
    for f in &failures {
        assert_eq!(
            f.message, "not yet implemented: return twice n",
            "the backtrace is left out"
        );
        assert_eq!(f.location.as_deref(), Some("src/double.rs:6:5"));
        assert!(f.is_todo());
    }
}

#[test]
fn a_compile_error_is_reported_without_the_summary_lines() {
    let outcome = output::parse(false, "", &sample("compile-error.stderr"));
    let Outcome::BuildFailed { errors } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .starts_with("error[E0277]: cannot multiply `u32` by `&str`\n --> src/double.rs:6:7")
    );
    assert!(!errors[0].contains("could not compile"));
}

#[test]
fn cargo_refusing_is_a_build_failure_with_its_words() {
    let stderr = "error: no test target named `ex_nope` in `fixture-exercises` package\n\nhelp: available test targets:\n    ex_double\n";
    let Outcome::BuildFailed { errors } = output::parse(false, "", stderr) else {
        panic!()
    };
    assert_eq!(
        errors,
        ["error: no test target named `ex_nope` in `fixture-exercises` package"]
    );
}

#[test]
fn passing_runs_count_their_tests() {
    let stdout = "\nrunning 3 tests\ntest a ... ok\ntest b ... ok\ntest c ... ok\n\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n";
    assert_eq!(
        output::parse(true, stdout, ""),
        Outcome::Passed { tests: 3 }
    );
    let empty = "\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n";
    assert_eq!(output::parse(true, empty, ""), Outcome::Passed { tests: 0 });
}

#[test]
fn a_test_binary_that_dies_is_still_a_failure() {
    let stdout = "\nrunning 1 test\n";
    let stderr = "error: test failed, to rerun pass `--test ex_a`\n\nCaused by:\n  process didn't exit successfully: `/t/ex_a-123` (signal: 6, SIGABRT: process abort signal)\n";
    let Outcome::Failed { failures, .. } = output::parse(false, stdout, stderr) else {
        panic!()
    };
    assert!(failures[0].message.contains("SIGABRT"), "{failures:?}");
}

#[test]
fn compile_errors_are_told_apart_from_cargo_refusing() {
    let Outcome::BuildFailed { errors } = output::parse(false, "", &sample("compile-error.stderr"))
    else {
        panic!()
    };
    assert!(output::is_compile_error(&errors));
    let refused = ["error: package ID specification `nope` did not match any packages".to_string()];
    assert!(!output::is_compile_error(&refused));
}
