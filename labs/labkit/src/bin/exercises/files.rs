//! The checks `verify` makes on files before compiling anything.
//!
//! Every file an exercise's name promises exists (starter, solution, hint,
//! grading test); every file in an exercises package's `solutions/`,
//! `hints/` and `wrong/` belongs to an exercise of `exercises.toml` (a file
//! nobody grades is a file nobody checks); every exercise has at least
//! [`MIN_WRONG`] known-wrong variants, each opening with a `//!` line that
//! says the mistake; and the exercises follow the book's chapter order.

use std::path::{Path, PathBuf};

use crate::chapters;

use crate::manifest::{Exercise, Manifest};

/// How many known-wrong variants each exercise needs: a grader proven to
/// refuse one mistake may still wave through the next.
pub const MIN_WRONG: usize = 2;

/// Something `verify` found wrong: who (an exercise, or a file) and what.
pub type Problem = (String, String);

/// Every problem with the files of `manifest`'s exercises.
pub fn check(manifest: &Manifest) -> Vec<Problem> {
    let mut problems = Vec::new();
    for ex in &manifest.exercises {
        check_exercise(manifest, ex, &mut problems);
    }
    problems.extend(strays(manifest));
    problems.extend(order(manifest));
    problems
}

/// The known-wrong variants of `ex`, as absolute paths, in the order the
/// build script numbers them.
pub fn wrong_variants(manifest: &Manifest, ex: &Exercise) -> Vec<PathBuf> {
    exercise_build::wrong_variants(&manifest.package_dir(ex), &ex.module)
}

/// The mistake a known-wrong variant makes, from its opening `//!` line.
pub fn mistake(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let said = text.lines().next()?.strip_prefix("//!")?.trim();
    (!said.is_empty()).then(|| said.to_string())
}

fn check_exercise(manifest: &Manifest, ex: &Exercise, problems: &mut Vec<Problem>) {
    let mut say = |what: String| problems.push((ex.name.clone(), what));
    for (what, path) in [
        ("starter", &ex.file),
        ("solution", &ex.solution),
        ("hint", &ex.hint),
        ("grading test", &ex.test_file),
    ] {
        if !manifest.path(path).is_file() {
            say(format!("its {what} {} does not exist", path.display()));
        }
    }
    let build_rs = ex.dir.join("build.rs");
    if !manifest.path(&build_rs).is_file() {
        say(format!(
            "{} does not exist: an exercises package needs a build script calling `exercise_build::generate()`",
            build_rs.display()
        ));
    }
    if let Ok(hint) = std::fs::read_to_string(manifest.path(&ex.hint))
        && hint.trim().is_empty()
    {
        say(format!("its hint {} is empty", ex.hint.display()));
    }
    if let Ok(starter) = std::fs::read_to_string(manifest.path(&ex.file))
        && !starter.contains("TODO")
        && !starter.contains("todo!(")
    {
        say(format!(
            "its starter {} has no `TODO` (or `todo!()`) saying where the reader's code goes",
            ex.file.display()
        ));
    }

    let variants = wrong_variants(manifest, ex);
    if variants.len() < MIN_WRONG {
        say(format!(
            "{} has {}; add at least {MIN_WRONG} under {}/",
            ex.name,
            match variants.len() {
                0 => "no known-wrong variants".to_string(),
                1 => "1 known-wrong variant".to_string(),
                n => format!("{n} known-wrong variants"),
            },
            ex.wrong_dir.display()
        ));
    }
    for variant in &variants {
        if mistake(variant).is_none() {
            say(format!(
                "{} must open with a `//!` line saying the mistake in a sentence",
                manifest.relative(&variant.display().to_string())
            ));
        }
    }
}

/// Files in `solutions/`, `hints/` and `wrong/` of any exercises package
/// that no exercise of the manifest owns.
fn strays(manifest: &Manifest) -> Vec<Problem> {
    let mut problems = Vec::new();
    let labs = manifest.root.join("labs");
    for lab in sorted_entries(&labs) {
        let name = file_name(&lab);
        let (Some(chapter), true) = (name.strip_prefix("lab-"), lab.join("exercises").is_dir())
        else {
            continue;
        };
        let package = lab.join("exercises");
        let owned = |module: &str| {
            let name = Exercise::name_for(chapter, module);
            manifest.exercises.iter().any(|ex| ex.name == name)
        };
        let mut stray = |path: &Path, why: String| {
            problems.push((manifest.relative(&path.display().to_string()), why));
        };
        for (folder, extension) in [("solutions", "rs"), ("hints", "md")] {
            for file in sorted_entries(&package.join(folder)) {
                let module = stem_if(&file, extension);
                match module {
                    Some(module) if owned(&module) => {}
                    Some(module) => stray(&file, unowned(chapter, &module)),
                    None => stray(
                        &file,
                        format!("{folder}/ holds only `<module>.{extension}` files"),
                    ),
                }
            }
        }
        for entry in sorted_entries(&package.join("wrong")) {
            if !entry.is_dir() {
                stray(
                    &entry,
                    "wrong/ holds one folder per exercise (`wrong/<module>/<mistake>.rs`)".into(),
                );
                continue;
            }
            let module = file_name(&entry);
            if !owned(&module) {
                stray(&entry, unowned(chapter, &module));
                continue;
            }
            for file in sorted_entries(&entry) {
                if stem_if(&file, "rs").is_none() {
                    stray(
                        &file,
                        "a known-wrong variant is a `.rs` file named for its mistake".into(),
                    );
                }
            }
        }
    }
    problems
}

fn unowned(chapter: &str, module: &str) -> String {
    format!(
        "it belongs to no exercise: add `[[exercise]] name = \"{}\"` to exercises.toml, or remove it",
        Exercise::name_for(chapter, module)
    )
}

/// The manifest against the chapter order of `book/SUMMARY.md`.
fn order(manifest: &Manifest) -> Vec<Problem> {
    let summary = manifest.root.join(chapters::SUMMARY);
    match std::fs::read_to_string(&summary) {
        Ok(text) => chapters::check_order(&manifest.exercises, &chapters::book_order(&text)),
        Err(e) => vec![(
            chapters::SUMMARY.to_string(),
            format!(
                "cannot read it ({e}), so the exercises' order cannot be checked against the book's"
            ),
        )],
    }
}

/// The entries of `dir`, sorted; none if it cannot be read.
fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The file's name without `.extension`, if it is a file with that extension.
fn stem_if(path: &Path, extension: &str) -> Option<String> {
    let is = path.is_file() && path.extension().is_some_and(|e| e == extension);
    is.then(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .flatten()
}
