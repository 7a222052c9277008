//! The check that keeps a lab in its one shape.
//!
//! A reader who types `cargo run -p lab-rest -- keepalive` should find the
//! code in `src/keepalive.rs`, see it listed in the lab's `lib.rs` table and
//! dispatched in `main.rs`. Four places name each scenario; nothing but a
//! test keeps them in step. Each lab has one:
//!
//! ```no_run
//! # mod lab_rest { pub const SCENARIOS: &[labkit::cli::Scenario] = &[]; }
//! #[test]
//! fn scenarios_files_table_and_dispatch_agree() {
//!     labkit::layout::assert_agrees(env!("CARGO_MANIFEST_DIR"), lab_rest::SCENARIOS);
//! }
//! ```
//!
//! The check reads the source as text: it is a convention check, not a
//! parser, and says in a sentence what to fix.

use std::path::{Path, PathBuf};

use crate::cli::Scenario;

/// The Rust module that holds scenario `name`: `dead-letters` → `dead_letters`.
pub fn module_of(name: &str) -> String {
    name.replace('-', "_")
}

/// Panics with every disagreement found between `scenarios` and the files
/// of the lab whose package folder is `lab_dir`.
#[track_caller]
pub fn assert_agrees(lab_dir: impl AsRef<Path>, scenarios: &[Scenario]) {
    let problems = check(lab_dir.as_ref(), scenarios);
    assert!(
        problems.is_empty(),
        "the lab's scenarios disagree with its files:\n  - {}",
        problems.join("\n  - ")
    );
}

/// Every disagreement found, one sentence each; empty when all agree:
///
/// - each scenario lives in `src/<module>.rs` (or `src/<module>/mod.rs`),
///   whose `pub const SCENARIO` carries the same name;
/// - every file under `src/` that declares a `SCENARIO` is in the list;
/// - `lib.rs`'s table has a row naming the module and the scenario;
/// - `main.rs` dispatches the name to that module's `run(&lab)`;
/// - no name is listed twice.
pub fn check(lab_dir: &Path, scenarios: &[Scenario]) -> Vec<String> {
    let src = lab_dir.join("src");
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_default();
    let lib = read(&src.join("lib.rs"));
    let main = read(&src.join("main.rs"));
    let mut problems = Vec::new();

    for (i, scenario) in scenarios.iter().enumerate() {
        let name = scenario.name;
        if scenarios[..i].iter().any(|s| s.name == name) {
            problems.push(format!("`{name}` is listed twice in SCENARIOS"));
        }
        let module = module_of(name);
        match scenario_file(&src, &module) {
            None => problems.push(format!(
                "`{name}` has no file: expected src/{module}.rs (or src/{module}/mod.rs)"
            )),
            Some(path) => match declared_name(&read(&path)) {
                Some(declared) if declared == name => {}
                Some(declared) => problems.push(format!(
                    "{} declares the scenario `{declared}`, but SCENARIOS lists it as `{name}`",
                    shown(&path, lab_dir)
                )),
                None => problems.push(format!(
                    "{} has no `pub const SCENARIO: Scenario` naming `{name}`",
                    shown(&path, lab_dir)
                )),
            },
        }
        if !lib.contains(&format!("[`{module}`]")) || !lib.contains(&format!("`{name}`")) {
            problems.push(format!(
                "lib.rs's table has no row for `{name}` (expected [`{module}`] and `{name}` in it)"
            ));
        }
        let dispatch = format!("\"{name}\" => {module}::run(&lab)");
        if !main.contains(&dispatch) {
            problems.push(format!(
                "main.rs does not dispatch `{name}`: expected `{dispatch}`"
            ));
        }
    }

    let expected: Vec<PathBuf> = scenarios
        .iter()
        .filter_map(|s| scenario_file(&src, &module_of(s.name)))
        .collect();
    for path in rust_files(&src) {
        if expected.contains(&path) {
            continue; // checked above, against its listed name
        }
        let text = read(&path);
        let Some(declared) = declared_name(&text) else {
            continue;
        };
        if !scenarios.iter().any(|s| s.name == declared) {
            problems.push(format!(
                "{} declares the scenario `{declared}`, which SCENARIOS does not list",
                shown(&path, lab_dir)
            ));
        }
    }
    problems
}

/// `src/<module>.rs` or `src/<module>/mod.rs`, whichever exists.
fn scenario_file(src: &Path, module: &str) -> Option<PathBuf> {
    [
        src.join(format!("{module}.rs")),
        src.join(module).join("mod.rs"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// The first string literal after `pub const SCENARIO` in `text`: the
/// scenario's name, whichever constructor declares it.
fn declared_name(text: &str) -> Option<&str> {
    let at = text.find("pub const SCENARIO:")?;
    let rest = &text[at..];
    let open = rest.find('"')? + 1;
    let len = rest[open..].find('"')?;
    Some(&rest[open..open + len])
}

/// The `.rs` files directly in `src/`, and the `mod.rs` of its folders.
fn rust_files(src: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(src) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| {
            if p.is_dir() {
                Some(p.join("mod.rs")).filter(|m| m.is_file())
            } else {
                (p.extension().is_some_and(|e| e == "rs")).then_some(p)
            }
        })
        .collect();
    files.sort();
    files
}

fn shown(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}
