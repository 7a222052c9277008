//! `exercises.toml`: the list of exercises, in the order the book sets them.
//!
//! One file at the repository's root names every exercise, the cargo package
//! and test target that grade it, the starter the reader edits, the reference
//! solution and the hint. Everything else the runner does starts here.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The manifest's file name; the runner looks for it from the current folder
/// upwards.
pub const FILE: &str = "exercises.toml";

/// One exercise, as `exercises.toml` describes it. Paths are relative to the
/// folder holding `exercises.toml`.
#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Unique, prefixed with the chapter: `rest-etag`.
    pub name: String,
    /// The chapter's lab, for display: `lab-rest`.
    pub lab: String,
    /// The cargo package holding the starter and its grading tests.
    pub package: String,
    /// The grading test target: `cargo test -p PACKAGE --test TEST`.
    pub test: String,
    /// The starter the reader edits.
    pub file: PathBuf,
    /// The reference solution (graded with `--features solutions`).
    pub solution: PathBuf,
    /// A Markdown hint, printed by `cargo exercises hint`.
    pub hint: PathBuf,
}

/// The parsed manifest and where it was found.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// The folder holding `exercises.toml`; cargo runs from here.
    pub root: PathBuf,
    pub exercises: Vec<Exercise>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "exercise")]
    exercises: Vec<Exercise>,
}

impl Manifest {
    /// Finds `exercises.toml` in `start` or the nearest folder above it, and
    /// reads it.
    pub fn discover(start: &Path) -> Result<Self> {
        let root = start
            .ancestors()
            .find(|dir| dir.join(FILE).is_file())
            .with_context(|| {
                format!(
                    "no {FILE} in {} or any folder above it: run `cargo exercises` from inside the book's repository",
                    start.display()
                )
            })?;
        Self::load(root)
    }

    /// Reads `<root>/exercises.toml`.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(FILE);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Self::parse(root, &text)
            .with_context(|| format!("{} is not a valid exercise list", path.display()))
    }

    /// Parses the text of an `exercises.toml` found in `root`.
    pub fn parse(root: &Path, text: &str) -> Result<Self> {
        let file: File = toml::from_str(text)?;
        if file.exercises.is_empty() {
            bail!("it lists no exercises (add `[[exercise]]` tables)");
        }
        for (i, ex) in file.exercises.iter().enumerate() {
            if ex.name.trim().is_empty() || ex.name.contains(char::is_whitespace) {
                bail!(
                    "exercise #{} has the name {:?}: names are single words like `rest-etag`",
                    i + 1,
                    ex.name
                );
            }
            if file.exercises[..i]
                .iter()
                .any(|other| other.name == ex.name)
            {
                bail!(
                    "the name `{}` is used twice: exercise names must be unique",
                    ex.name
                );
            }
        }
        Ok(Self {
            root: root.to_path_buf(),
            exercises: file.exercises,
        })
    }

    /// The exercise called `name`; or, failing that, the only one graded by
    /// the test target `name` (a grading test run outside the runner names
    /// its target in its hint line).
    pub fn get(&self, name: &str) -> Result<&Exercise> {
        if let Some(ex) = self.exercises.iter().find(|ex| ex.name == name) {
            return Ok(ex);
        }
        let mut by_test = self.exercises.iter().filter(|ex| ex.test == name);
        if let (Some(ex), None) = (by_test.next(), by_test.next()) {
            return Ok(ex);
        }
        let names: Vec<&str> = self.exercises.iter().map(|ex| ex.name.as_str()).collect();
        bail!(
            "there is no exercise called `{name}`; the exercises are: {}",
            names.join(", ")
        )
    }

    /// `rel` (a path from the manifest) as a path from the current folder's
    /// point of view.
    pub fn path(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }

    /// The folder of the cargo package an exercise's starter lives in: the
    /// nearest folder above the starter holding a `Cargo.toml`.
    pub fn package_dir(&self, ex: &Exercise) -> PathBuf {
        let file = self.path(&ex.file);
        file.ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(&self.root))
            .find(|dir| dir.join("Cargo.toml").is_file())
            .unwrap_or(&self.root)
            .to_path_buf()
    }

    /// The exercises grouped by package, in the order each package first
    /// appears, so a package is built once per feature set.
    pub fn by_package(&self) -> Vec<(&str, Vec<&Exercise>)> {
        let mut groups: Vec<(&str, Vec<&Exercise>)> = Vec::new();
        for ex in &self.exercises {
            match groups.iter_mut().find(|(p, _)| *p == ex.package) {
                Some((_, list)) => list.push(ex),
                None => groups.push((&ex.package, vec![ex])),
            }
        }
        groups
    }
}
