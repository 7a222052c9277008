//! `labkit::layout::check` finds each way a lab's scenario list, files,
//! table and dispatch can disagree, and passes a lab where they agree.

use std::path::Path;

use labkit::cli::Scenario;
use labkit::layout;

const LIST: &[Scenario] = &[
    Scenario::tour("bytes", "about", "notice"),
    Scenario::benchmark("dead-letters", "about", "notice"),
];

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join("src").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn scenario_file(name: &str) -> String {
    format!(
        "pub const SCENARIO: Scenario = Scenario::tour(\n    \"{name}\",\n    \"a\",\n    \"n\",\n);\n"
    )
}

/// A lab in which everything agrees.
fn good_lab() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "lib.rs",
        "//! | [`bytes`] | `bytes` | \"x\" |\n//! | [`dead_letters`] | `dead-letters` | \"y\" |\n",
    );
    write(
        dir.path(),
        "main.rs",
        "match n { \"bytes\" => bytes::run(&lab).await?, \"dead-letters\" => dead_letters::run(&lab).await? }",
    );
    write(dir.path(), "bytes.rs", &scenario_file("bytes"));
    write(
        dir.path(),
        "dead_letters/mod.rs",
        &scenario_file("dead-letters"),
    );
    write(dir.path(), "support.rs", "pub fn helper() {}\n");
    dir
}

#[test]
fn a_lab_that_agrees_has_no_problems() {
    let lab = good_lab();
    assert_eq!(layout::check(lab.path(), LIST), Vec::<String>::new());
}

#[test]
fn each_disagreement_is_named_in_a_sentence() {
    let lab = good_lab();
    // The file declares another name, an unlisted scenario file appears,
    // the table loses a row and main.rs loses a dispatch arm.
    write(lab.path(), "bytes.rs", &scenario_file("anatomy"));
    write(lab.path(), "extra.rs", &scenario_file("extra"));
    write(
        lab.path(),
        "lib.rs",
        "//! | [`bytes`] | `bytes` | \"x\" |\n",
    );
    write(
        lab.path(),
        "main.rs",
        "match n { \"bytes\" => bytes::run(&lab).await? }",
    );
    let problems = layout::check(lab.path(), LIST);
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(
        has("src/bytes.rs declares the scenario `anatomy`"),
        "{problems:#?}"
    );
    assert!(
        has("src/extra.rs declares the scenario `extra`, which SCENARIOS does not list"),
        "{problems:#?}"
    );
    assert!(
        has("lib.rs's table has no row for `dead-letters`"),
        "{problems:#?}"
    );
    assert!(
        has("main.rs does not dispatch `dead-letters`"),
        "{problems:#?}"
    );
    assert_eq!(problems.len(), 4, "{problems:#?}");
}

#[test]
fn a_missing_file_is_named_with_the_path_expected() {
    let lab = good_lab();
    std::fs::remove_file(lab.path().join("src/bytes.rs")).unwrap();
    let problems = layout::check(lab.path(), LIST);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`bytes` has no file: expected src/bytes.rs")),
        "{problems:#?}"
    );
}
