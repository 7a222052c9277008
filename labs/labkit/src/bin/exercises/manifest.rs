//! `exercises.toml`: the list of exercises, in the order the book sets them.
//!
//! An entry is only a name; everything else follows from it, by convention:
//!
//! | for `amqp-topic-bus` | |
//! |---|---|
//! | chapter | `amqp` (the name up to its first `-`) |
//! | module | `topic_bus` (the rest, with `_` for `-`) |
//! | lab, package | `lab-amqp`, `lab-amqp-exercises` in `labs/lab-amqp/exercises/` |
//! | starter | `src/topic_bus.rs` (in the package folder) |
//! | solution, hint | `solutions/topic_bus.rs`, `hints/topic_bus.md` |
//! | grading test | the test target `ex_topic_bus`: `tests/ex_topic_bus.rs` |
//! | known-wrong variants | `wrong/topic_bus/<the-mistake>.rs` |
//!
//! so adding an exercise is adding its files and one `[[exercise]]` line.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The manifest's file name; the runner looks for it from the current folder
/// upwards.
pub const FILE: &str = "exercises.toml";

/// One exercise, with every path derived from its name. Paths are relative
/// to the folder holding `exercises.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    /// Unique, prefixed with the chapter: `rest-etag`.
    pub name: String,
    /// The chapter's slug, as in the book's folder `01-rest`: `rest`.
    pub chapter: String,
    /// The Rust module of the exercise: `etag`.
    pub module: String,
    /// The chapter's lab: `lab-rest`.
    pub lab: String,
    /// The cargo package holding the starter and its grading tests.
    pub package: String,
    /// That package's folder: `labs/lab-rest/exercises`.
    pub dir: PathBuf,
    /// The grading test target: `ex_etag`.
    pub test: String,
    /// The grading test's source: `tests/ex_etag.rs` in the package.
    pub test_file: PathBuf,
    /// The starter the reader edits.
    pub file: PathBuf,
    /// The reference solution.
    pub solution: PathBuf,
    /// A Markdown hint, printed by `cargo exercises hint`.
    pub hint: PathBuf,
    /// The folder of known-wrong variants the grader must refuse.
    pub wrong_dir: PathBuf,
}

impl Exercise {
    /// The exercise called `name`, or why that cannot be a name.
    pub fn from_name(name: &str) -> Result<Exercise, String> {
        let shape = "a name is the chapter's slug, a `-`, then the exercise in lowercase words joined by `-` (`rest-etag`, `amqp-topic-bus`)";
        let (chapter, rest) = name
            .split_once('-')
            .ok_or_else(|| format!("`{name}` has no chapter: {shape}"))?;
        let word = |w: &str| {
            w.starts_with(|c: char| c.is_ascii_lowercase())
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        };
        if !word(chapter) || !rest.split('-').all(word) {
            return Err(format!("`{name}` is not a valid name: {shape}"));
        }
        let module = rest.replace('-', "_");
        let lab = format!("lab-{chapter}");
        let dir = Path::new("labs").join(&lab).join("exercises");
        Ok(Exercise {
            name: name.to_string(),
            chapter: chapter.to_string(),
            package: format!("{lab}-exercises"),
            test: format!("ex_{module}"),
            test_file: dir.join("tests").join(format!("ex_{module}.rs")),
            file: dir.join("src").join(format!("{module}.rs")),
            solution: dir.join("solutions").join(format!("{module}.rs")),
            hint: dir.join("hints").join(format!("{module}.md")),
            wrong_dir: dir.join("wrong").join(&module),
            module,
            lab,
            dir,
        })
    }

    /// The name of the exercise whose module is `module` in the chapter
    /// `chapter`: the way back from a file to its entry.
    pub fn name_for(chapter: &str, module: &str) -> String {
        format!("{chapter}-{}", module.replace('_', "-"))
    }
}

/// The parsed manifest and where it was found.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// The folder holding `exercises.toml`; cargo runs from here.
    pub root: PathBuf,
    pub exercises: Vec<Exercise>,
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
        // Cargo reports files by their real path; so does the runner.
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        Self::load(&root)
    }

    /// Reads `<root>/exercises.toml`.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(FILE);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Self::parse(root, &text)
            .with_context(|| format!("{} is not a valid exercise list", path.display()))
    }

    /// Parses the text of an `exercises.toml` found in `root`. Strict: a key
    /// the runner does not read is an error, not silently ignored.
    pub fn parse(root: &Path, text: &str) -> Result<Self> {
        let table: toml::Table = toml::from_str(text)?;
        if let Some(key) = table.keys().find(|k| *k != "exercise") {
            bail!("it has a key `{key}` at the top: the file holds only `[[exercise]]` entries");
        }
        let entries = match table.get("exercise") {
            None => bail!("it lists no exercises (add `[[exercise]]` entries with a `name`)"),
            Some(toml::Value::Array(entries)) => entries,
            Some(_) => bail!("`exercise` must be a list of entries: write `[[exercise]]`"),
        };
        let mut exercises: Vec<Exercise> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let which = format!("exercise #{}", i + 1);
            let Some(entry) = entry.as_table() else {
                bail!("{which} is not an entry: write `[[exercise]]` then `name = \"...\"`");
            };
            let name = match entry.get("name") {
                Some(toml::Value::String(name)) => name,
                Some(_) => bail!("{which} has a `name` that is not a string"),
                None => bail!("{which} has no `name`"),
            };
            if let Some(key) = entry.keys().find(|k| *k != "name") {
                bail!(
                    "{which} (`{name}`) has a field `{key}`, but an entry is only its name: its lab, package, files and grading test all follow from the name (see the top of {FILE})"
                );
            }
            let ex = Exercise::from_name(name).map_err(|e| anyhow::anyhow!("{which}: {e}"))?;
            if exercises.iter().any(|other| other.name == ex.name) {
                bail!("the name `{name}` is used twice: exercise names must be unique");
            }
            exercises.push(ex);
        }
        if exercises.is_empty() {
            bail!("it lists no exercises (add `[[exercise]]` entries with a `name`)");
        }
        Ok(Self {
            root: root.to_path_buf(),
            exercises,
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

    /// The folder of the cargo package an exercise lives in.
    pub fn package_dir(&self, ex: &Exercise) -> PathBuf {
        self.path(&ex.dir)
    }

    /// `text` with this manifest's folder left out of every path in it:
    /// cargo and panics name files by absolute path, the reader wants
    /// `labs/lab-rest/exercises/src/etag.rs`.
    pub fn relative(&self, text: &str) -> String {
        let mut root = self.root.display().to_string();
        root.push(std::path::MAIN_SEPARATOR);
        text.replace(&root, "")
    }
}
