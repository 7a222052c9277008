//! The exercise runner's reading: `exercises.toml` and the paths each name
//! stands for, the book's chapter order, cargo's JSON messages, and the
//! failed expectations in real test output (captured from the fixture book
//! in tests/fixtures/exercises, see tests/fixtures/cargo-test-output).

// The runner is a binary; its modules are included here by path to test
// them directly.
#[allow(dead_code)]
#[path = "../src/bin/exercises/chapters.rs"]
mod chapters;
#[allow(dead_code)]
#[path = "../src/bin/exercises/compile.rs"]
mod compile;
#[allow(dead_code)]
#[path = "../../exercise-build/src/lib.rs"]
mod exercise_build;
#[allow(dead_code)]
#[path = "../src/bin/exercises/manifest.rs"]
mod manifest;
#[allow(dead_code)]
#[path = "../src/bin/exercises/output.rs"]
mod output;

use std::path::{Path, PathBuf};

use manifest::{Exercise, Manifest};
use output::{Failure, Outcome};

fn sample(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cargo-test-output")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const TWO: &str = r#"
# Comments are fine.
[[exercise]]
name = "rest-etag"

[[exercise]]
name = "amqp-topic-bus"
"#;

#[test]
fn a_name_stands_for_every_path() {
    let m = Manifest::parse(Path::new("/book"), TWO).unwrap();
    let names: Vec<&str> = m.exercises.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["rest-etag", "amqp-topic-bus"]);
    let bus = m.get("amqp-topic-bus").unwrap();
    let dir = PathBuf::from("labs/lab-amqp/exercises");
    assert_eq!(
        bus,
        &Exercise {
            name: "amqp-topic-bus".into(),
            chapter: "amqp".into(),
            module: "topic_bus".into(),
            lab: "lab-amqp".into(),
            package: "lab-amqp-exercises".into(),
            dir: dir.clone(),
            test: "ex_topic_bus".into(),
            test_file: dir.join("tests/ex_topic_bus.rs"),
            file: dir.join("src/topic_bus.rs"),
            solution: dir.join("solutions/topic_bus.rs"),
            hint: dir.join("hints/topic_bus.md"),
            wrong_dir: dir.join("wrong/topic_bus"),
        }
    );
    assert_eq!(
        m.path(&bus.hint),
        PathBuf::from("/book/labs/lab-amqp/exercises/hints/topic_bus.md")
    );
    assert_eq!(Exercise::name_for("amqp", "topic_bus"), "amqp-topic-bus");
    // A grading test run by hand names its test target; that finds it too.
    assert_eq!(m.get("ex_etag").unwrap().name, "rest-etag");
    // Cargo's absolute paths are shown from the repository's root.
    assert_eq!(
        m.relative(" --> /book/labs/lab-rest/exercises/src/etag.rs:3:1"),
        " --> labs/lab-rest/exercises/src/etag.rs:3:1"
    );
}

#[test]
fn unknown_names_are_answered_with_the_list() {
    let m = Manifest::parse(Path::new("/book"), TWO).unwrap();
    let err = m.get("rest-etg").unwrap_err().to_string();
    assert_eq!(
        err,
        "there is no exercise called `rest-etg`; the exercises are: rest-etag, amqp-topic-bus"
    );
}

#[test]
fn bad_manifests_are_refused_with_a_reason() {
    let root = Path::new("/book");
    let twice = format!("{TWO}\n[[exercise]]\nname = \"rest-etag\"\n");
    let old_style = "[[exercise]]\nname = \"rest-etag\"\nlab = \"lab-rest\"\n";
    let cases = [
        ("", "lists no exercises"),
        ("# nothing\n", "lists no exercises"),
        (&twice, "the name `rest-etag` is used twice"),
        ("[[exercise]]\nfile = \"x\"\n", "exercise #1 has no `name`"),
        (
            "[[exercise]]\nname = 3\n",
            "exercise #1 has a `name` that is not a string",
        ),
        (
            old_style,
            "exercise #1 (`rest-etag`) has a field `lab`, but an entry is only its name: its lab, package, files and grading test all follow from the name",
        ),
        (
            "title = \"x\"\n[[exercise]]\nname = \"rest-etag\"\n",
            "a key `title` at the top",
        ),
        ("[exercise]\nname = \"rest-etag\"\n", "write `[[exercise]]`"),
        ("[[exercise]]\nname = \"etag\"\n", "`etag` has no chapter"),
        (
            "[[exercise]]\nname = \"rest etag\"\n",
            "`rest etag` has no chapter",
        ),
        (
            "[[exercise]]\nname = \"Rest-etag\"\n",
            "`Rest-etag` is not a valid name",
        ),
        (
            "[[exercise]]\nname = \"rest-topic_bus\"\n",
            "not a valid name",
        ),
        ("[[exercise]]\nname = \"rest--etag\"\n", "not a valid name"),
        ("[[exercise]]\nname = \"rest-etag-\"\n", "not a valid name"),
        ("[[exercise]\n", "TOML parse error"),
    ];
    for (text, why) in cases {
        let err = format!("{:#}", Manifest::parse(root, text).unwrap_err());
        assert!(err.contains(why), "{why:?} not in {err:?}");
    }
}

#[test]
fn the_book_order_comes_from_summary_md() {
    let summary = "# Summary\n\n[How to use this book](how-to-use.md)\n\n---\n\n\
        - [REST](01-rest/index.md)\n    - [Exercises](01-rest/exercises.md)\n\
        - [gRPC](02-grpc/index.md)\n- [AMQP](05-amqp/index.md)\n- [Soon]()\n";
    let order = chapters::book_order(summary);
    assert_eq!(order, ["rest", "grpc", "amqp"]);

    let m = |names: &[&str]| -> Vec<Exercise> {
        names
            .iter()
            .map(|n| Exercise::from_name(n).unwrap())
            .collect()
    };
    let in_order = m(&["rest-etag", "rest-longpoll", "grpc-stream", "amqp-worker"]);
    assert!(chapters::check_order(&in_order, &order).is_empty());

    let problems = chapters::check_order(
        &m(&["rest-etag", "amqp-worker", "grpc-stream", "mqtt-topics"]),
        &order,
    );
    assert_eq!(
        problems,
        [
            (
                "grpc-stream".to_string(),
                "exercises.toml lists it after `amqp-worker`, but its chapter (grpc, chapter 2) comes before amqp (chapter 3) in book/SUMMARY.md: list the exercises in the book's order".to_string()
            ),
            (
                "mqtt-topics".to_string(),
                "the book has no chapter `mqtt`: book/SUMMARY.md links no folder `NN-mqtt/`".to_string()
            ),
        ]
    );
}

#[test]
fn cargo_json_gives_test_binaries_and_compiler_errors() {
    let root = Path::new("/home/reader/book");
    let m = Manifest::parse(root, "[[exercise]]\nname = \"fixture-double\"\n").unwrap();
    let ex = &m.exercises[0];
    let compiled = compile::read_messages(&m, &sample("build.json"));
    let Err(Outcome::BuildFailed { errors }) = compiled.binary(&m, ex) else {
        panic!("the lib did not compile, so there is no binary")
    };
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(
            "error[E0277]: cannot multiply `u32` by `&str`\n --> labs/lab-fixture/exercises/src/double.rs:2:7"
        ),
        "{errors:#?}"
    );
    let built = compile::read_messages(&m, &sample("build-ok.json"));
    assert_eq!(
        built.binary(&m, ex).unwrap(),
        Path::new("/home/reader/book/target/debug/deps/ex_double-abd4c13878f5b73c")
    );
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
    assert_eq!(
        tests,
        ["doubles_twenty_one", "doubles_zero"],
        "sorted by name"
    );
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
fn cargo_errors_are_read_without_the_summary_lines() {
    let errors = output::build_errors(&sample("compile-error.stderr"));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .starts_with("error[E0277]: cannot multiply `u32` by `&str`\n --> src/double.rs:6:7")
    );
    assert!(!errors[0].contains("could not compile"));
    assert!(output::is_compile_error(&errors));

    let stderr = "error: no test target named `ex_nope` in `fixture-exercises` package\n\nhelp: available test targets:\n    ex_double\n";
    let refused = output::build_errors(stderr);
    assert_eq!(
        refused,
        ["error: no test target named `ex_nope` in `fixture-exercises` package"]
    );
    assert!(!output::is_compile_error(&refused));
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
    // It started, then died: the end of its standard error says how.
    let stdout = "\nrunning 1 test\n";
    let stderr =
        "thread 'main' has overflowed its stack\nfatal runtime error: stack overflow, aborting\n";
    let Outcome::Failed { failures, .. } = output::parse(false, stdout, stderr) else {
        panic!()
    };
    assert_eq!(failures[0].test, "(the test binary)");
    assert!(
        failures[0].message.contains("stack overflow"),
        "{failures:?}"
    );
    // It said nothing at all.
    let Outcome::Failed { failures, .. } = output::parse(false, "", "") else {
        panic!()
    };
    assert_eq!(
        failures[0].message,
        "the test binary stopped without saying why"
    );
}

#[test]
fn an_expectation_has_its_sentence() {
    let f = Failure {
        test: "t".into(),
        location: None,
        message: "✗ expectation: a replay is the stored charge\n  wanted: 1\n  but got: 2".into(),
    };
    assert_eq!(f.sentence(), Some("a replay is the stored charge"));
    let todo = Failure {
        message: "not yet implemented".into(),
        ..f
    };
    assert_eq!(todo.sentence(), None);
    assert!(todo.is_todo());
}
