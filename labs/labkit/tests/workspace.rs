//! The workspace's conventions that no compiler checks.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The workspace members, as `Cargo.toml` lists them.
fn members() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let manifest: toml::Value = toml::from_str(&text).unwrap();
    manifest["workspace"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect()
}

/// `cargo test-labs` (the plain-cargo way to run every test but the
/// exercises' grading tests) must exclude exactly the exercise packages,
/// including those of labs added later.
#[test]
fn cargo_test_labs_excludes_exactly_the_exercise_packages() {
    let config = std::fs::read_to_string(root().join(".cargo/config.toml")).unwrap();
    let config: toml::Value = toml::from_str(&config).unwrap();
    let alias = config["alias"]["test-labs"].as_str().unwrap();
    let mut excluded: Vec<&str> = alias
        .split_whitespace()
        .skip_while(|w| *w != "--exclude")
        .filter(|w| *w != "--exclude")
        .collect();
    excluded.sort();
    let mut exercises: Vec<String> = members()
        .iter()
        .filter(|m| m.ends_with("/exercises"))
        .map(|m| {
            let lab = m.trim_end_matches("/exercises").rsplit('/').next().unwrap();
            format!("{lab}-exercises")
        })
        .collect();
    exercises.sort();
    assert_eq!(
        excluded, exercises,
        "update the test-labs alias in .cargo/config.toml"
    );
}
