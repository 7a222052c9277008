//! Which file each exercise is compiled from: the reader's starter, the
//! reference solution, or a known-wrong answer.
//!
//! An exercises package (`labs/lab-<chapter>/exercises`) holds, for each
//! exercise module `<module>`:
//!
//! | file | what it is |
//! |---|---|
//! | `src/<module>.rs` | the starter, which the reader edits |
//! | `solutions/<module>.rs` | the reference solution |
//! | `wrong/<module>/<mistake>.rs` | known-wrong answers the grader must refuse |
//!
//! The package's `build.rs` calls [`generate`], which writes one `mod`
//! declaration per exercise into `$OUT_DIR/exercises.rs`, and `src/lib.rs`
//! includes that file. The modules are the files in `solutions/`; which file
//! each is compiled from depends on the environment variable [`BUILD_ENV`]
//! (see [`Build`]). Readers never set it: unset, every module is the starter.
//! `cargo exercises verify` sets it to build every package once with the
//! solutions and once per known-wrong variant, then runs the grading tests.
//!
//! The exercise runner includes this file by path, so the build scripts and
//! the runner cannot disagree about which file is the second wrong variant.

use std::fmt;
use std::path::{Path, PathBuf};

/// The environment variable that chooses what the exercise modules are
/// compiled from: unset or `starter`, `solution`, or `wrong-K`.
pub const BUILD_ENV: &str = "LABKIT_EXERCISE_BUILD";

/// The file the build script writes into `OUT_DIR`, for `src/lib.rs` to
/// `include!`.
pub const GENERATED: &str = "exercises.rs";

/// What one build of an exercises package compiles each exercise from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Build {
    /// `src/<module>.rs`, the file the reader edits.
    Starter,
    /// `solutions/<module>.rs`.
    Solution,
    /// The K-th file (from 1) of `wrong/<module>/`, in file-name order; an
    /// exercise with fewer than K wrong variants uses its solution, so the
    /// crate still compiles and only the exercises under test are wrong.
    Wrong(usize),
}

impl Build {
    /// Reads a value of [`BUILD_ENV`]; empty means the starter.
    pub fn parse(value: &str) -> Result<Build, String> {
        let value = value.trim();
        match value {
            "" | "starter" => Ok(Build::Starter),
            "solution" => Ok(Build::Solution),
            _ => match value.strip_prefix("wrong-").map(str::parse::<usize>) {
                Some(Ok(k)) if k >= 1 => Ok(Build::Wrong(k)),
                _ => Err(format!(
                    "{BUILD_ENV} is `{value}`: use `starter`, `solution` or `wrong-K` (K = 1, 2, …), or leave it unset"
                )),
            },
        }
    }

    /// The build asked for in the environment (the starter when unset).
    pub fn from_env() -> Result<Build, String> {
        match std::env::var(BUILD_ENV) {
            Ok(value) => Build::parse(&value),
            Err(std::env::VarError::NotPresent) => Ok(Build::Starter),
            Err(std::env::VarError::NotUnicode(_)) => Err(format!("{BUILD_ENV} is not valid text")),
        }
    }
}

/// `starter`, `solution`, `wrong-2`: the value of [`BUILD_ENV`] that asks
/// for this build.
impl fmt::Display for Build {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Build::Starter => f.write_str("starter"),
            Build::Solution => f.write_str("solution"),
            Build::Wrong(k) => write!(f, "wrong-{k}"),
        }
    }
}

/// The exercise modules of the package in `package`: the names of the files
/// in `solutions/`, sorted.
pub fn modules(package: &Path) -> Result<Vec<String>, String> {
    let dir = package.join("solutions");
    let mut modules = Vec::new();
    for path in rust_files(&dir)? {
        let name = stem(&path);
        let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(format!(
                "{}: an exercise file is named for its module: lowercase letters, digits and `_` (e.g. `topic_bus.rs`)",
                path.display()
            ));
        }
        modules.push(name);
    }
    if modules.is_empty() {
        return Err(format!(
            "{} holds no solutions: each exercise needs `solutions/<module>.rs`",
            dir.display()
        ));
    }
    Ok(modules)
}

/// The known-wrong variants of `module`: the `.rs` files of
/// `wrong/<module>/`, sorted by file name (none when the folder is missing).
pub fn wrong_variants(package: &Path, module: &str) -> Vec<PathBuf> {
    rust_files(&package.join("wrong").join(module)).unwrap_or_default()
}

/// The file `module` is compiled from in `build`.
pub fn source(package: &Path, module: &str, build: Build) -> PathBuf {
    let file = format!("{module}.rs");
    let solution = package.join("solutions").join(&file);
    match build {
        Build::Starter => package.join("src").join(file),
        Build::Solution => solution,
        Build::Wrong(k) => k
            .checked_sub(1)
            .and_then(|i| wrong_variants(package, module).into_iter().nth(i))
            .unwrap_or(solution),
    }
}

/// The Rust text declaring every exercise module of `package`, each from its
/// file in `build`. Paths are absolute: the text is included from `OUT_DIR`.
pub fn declarations(package: &Path, build: Build) -> Result<String, String> {
    let mut text = format!(
        "// Written by labs/exercise-build for the `{build}` build ({BUILD_ENV}).\n\
         // One module per exercise; do not edit: `cargo build` writes it again.\n"
    );
    for module in modules(package)? {
        let path = source(package, &module, build);
        let path = path.to_str().ok_or_else(|| {
            format!(
                "{}: the path is not valid text, so it cannot go in a `#[path]`",
                path.display()
            )
        })?;
        // `{:?}` quotes and escapes the path (backslashes on Windows).
        text.push_str(&format!("\n#[path = {path:?}]\npub mod {module};\n"));
    }
    Ok(text)
}

/// The whole build script of an exercises package: writes
/// `$OUT_DIR/exercises.rs` and tells cargo when to run again. On a mistake
/// (a bad [`BUILD_ENV`], no solutions) it prints one line and fails the
/// build.
pub fn generate() {
    if let Err(e) = try_generate() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn try_generate() -> Result<(), String> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .ok_or_else(|| format!("{name} is not set: run this as a cargo build script"))
    };
    let package = var("CARGO_MANIFEST_DIR")?;
    let out = var("OUT_DIR")?.join(GENERATED);

    println!("cargo::rerun-if-env-changed={BUILD_ENV}");
    // A folder listed here is scanned whole: a file added, removed or saved
    // under it runs this script again. A missing folder would make cargo run
    // it on every build, so `wrong/` is listed only once it exists (and every
    // change of BUILD_ENV, as `verify` makes, runs it anyway).
    println!("cargo::rerun-if-changed=solutions");
    if package.join("wrong").is_dir() {
        println!("cargo::rerun-if-changed=wrong");
    }

    let text = declarations(&package, Build::from_env()?)?;
    // Unchanged text is not written again, so cargo has nothing to recompile.
    if std::fs::read_to_string(&out).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    }
    Ok(())
}

/// The `.rs` files directly in `dir`, sorted by name.
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    Ok(files)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
