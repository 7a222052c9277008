//! Compiling grading tests: one `cargo build` for any number of exercises.
//!
//! `cargo build --workspace --test ex_etag --test ex_stream …
//! --message-format=json` builds those test binaries exactly as
//! `cargo test --workspace` would (same profile, same features, so the same
//! files in `target/`) and tells us, one JSON message per line, where each
//! binary is and what the compiler said. The runner then runs the binaries
//! itself ([`crate::run`]): one cargo invocation however many exercises are
//! graded, rather than one `cargo test` each. `--workspace` (with only the
//! grading tests as targets) keeps the features of shared dependencies the
//! same in every build, so nothing is compiled twice for lack of a feature;
//! `--keep-going` lets the other packages build when one does not compile.
//!
//! What the exercise modules are compiled from is chosen by
//! `LABKIT_EXERCISE_BUILD` (see labs/exercise-build); the reader's own
//! starters are compiled without it. Each other build is also kept apart
//! in `target/` ([`keep_apart`]), so `verify` run twice recompiles only what
//! changed in between, not every package in every round.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::manifest::{Exercise, Manifest};
use crate::output::{self, Outcome};
use exercise_build::{BUILD_ENV, Build};

/// What one `cargo build` produced, for the exercises it was asked about.
pub struct Compiled {
    /// Test binaries, by (package folder, test target).
    binaries: HashMap<(PathBuf, String), PathBuf>,
    /// The compiler's errors, by (package folder, target): the library's
    /// target is the package's name with `_` for `-`.
    errors: HashMap<(PathBuf, String), Vec<String>>,
    /// Cargo's own errors (not the compiler's): a broken manifest, a build
    /// script that failed, an unknown package.
    cargo_errors: Vec<String>,
    /// How long cargo took.
    pub took: Duration,
}

impl Compiled {
    /// The grading test binary of `ex`, or the build failure that stands in
    /// the way of running it.
    pub fn binary(&self, manifest: &Manifest, ex: &Exercise) -> Result<&Path, Outcome> {
        let dir = manifest.package_dir(ex);
        if let Some(path) = self.binaries.get(&(dir.clone(), ex.test.clone())) {
            return Ok(path);
        }
        let lib = ex.package.replace('-', "_");
        let mut errors: Vec<String> = [lib.as_str(), ex.test.as_str()]
            .iter()
            .filter_map(|target| self.errors.get(&(dir.clone(), target.to_string())))
            .flatten()
            .cloned()
            .collect();
        if errors.is_empty() {
            // Not this package's code: a dependency (a lab) did not compile.
            errors = self.errors.values().flatten().cloned().collect();
            errors.sort();
        }
        if errors.is_empty() {
            errors = self.cargo_errors.clone();
        }
        if errors.is_empty() {
            errors.push(format!(
                "error: cargo built no test target `{}` in {}: is {} there?",
                ex.test,
                ex.package,
                ex.test_file.display()
            ));
        }
        Err(Outcome::BuildFailed { errors })
    }
}

/// Removes what `cargo run` put in this process's environment for the
/// runner itself (its package's name, version and folder). A build script
/// that reads one of them (ring's does) is rerun when it changes, so a
/// `cargo build` that inherited them would see ring, rcgen and labkit as
/// changed and rebuild them, and the next plain `cargo test` would rebuild
/// them back.
fn forget_cargo_run(cmd: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let from_cargo_run = name.starts_with("CARGO_PKG_")
            || matches!(
                name,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            );
        if from_cargo_run {
            cmd.env_remove(name);
        }
    }
}

/// Builds the grading tests of `exercises`, with the exercise modules
/// compiled from `build`: one cargo invocation. While cargo compiles, the
/// crate being compiled is shown on one self-erasing line (on a terminal);
/// `announce`, if any, is printed once as cargo starts compiling anything,
/// to say why this takes time.
pub fn compile(
    manifest: &Manifest,
    exercises: &[&Exercise],
    build: Build,
    announce: Option<&str>,
) -> Result<Compiled> {
    anyhow::ensure!(!exercises.is_empty(), "no exercise to compile");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(&cargo);
    forget_cargo_run(&mut cmd);
    cmd.current_dir(&manifest.root).args([
        "build",
        "--workspace",
        "--keep-going",
        "--color",
        "never",
        "--message-format",
        "json",
    ]);
    let mut tests: Vec<&str> = exercises.iter().map(|ex| ex.test.as_str()).collect();
    tests.sort_unstable();
    tests.dedup();
    for test in tests {
        cmd.args(["--test", test]);
    }
    match build {
        // The reader's own files: exactly what a plain `cargo test` builds.
        Build::Starter => {
            cmd.env_remove(BUILD_ENV);
        }
        other => {
            cmd.env(BUILD_ENV, other.to_string());
            let mut packages: Vec<&str> = exercises.iter().map(|ex| ex.package.as_str()).collect();
            packages.sort_unstable();
            packages.dedup();
            for package in packages {
                cmd.args(["--config", &keep_apart(package, other)]);
            }
        }
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());

    let started = Instant::now();
    let mut child = cmd.spawn().with_context(|| {
        format!(
            "could not run {}: is cargo installed and on PATH?",
            cargo.to_string_lossy()
        )
    })?;
    let mut stdout = child.stdout.take().context("no stdout pipe")?;
    let json = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let stderr = show_progress(child.stderr.take().context("no stderr pipe")?, announce);
    child.wait().context("waiting for cargo")?;
    let json = json.join().unwrap_or_default();

    let mut compiled = read_messages(manifest, &json);
    compiled.cargo_errors = output::build_errors(&manifest.relative(&stderr))
        .into_iter()
        .filter(|e| !e.trim().is_empty() && e.starts_with("error"))
        .collect();
    compiled.took = started.elapsed();
    Ok(compiled)
}

/// A cargo setting that makes `build` of `package` its own set of files.
///
/// Cargo names what it compiles by a hash of the build's settings, so two
/// builds that differ only in `LABKIT_EXERCISE_BUILD` would overwrite each
/// other's files, and every round of `verify` would recompile every
/// exercises package, every time. `codegen-units` (how many pieces rustc
/// cuts a crate into for code generation; the `dev` profile's default is
/// 256) changes nothing the tests can see, so each build gets its own value
/// for the exercises packages only: the solutions 255, the first wrong
/// variants 254, and so on. The dependencies are shared by all builds.
fn keep_apart(package: &str, build: Build) -> String {
    let units = match build {
        Build::Starter => 256,
        Build::Solution => 255,
        Build::Wrong(k) => 255usize.saturating_sub(k).max(1),
    };
    format!("profile.dev.package.{package}.codegen-units={units}")
}

/// Reads cargo's JSON messages: where the test binaries are, and the
/// compiler's errors, with paths made relative to the manifest's folder.
pub fn read_messages(manifest: &Manifest, json: &str) -> Compiled {
    let mut compiled = Compiled {
        binaries: HashMap::new(),
        errors: HashMap::new(),
        cargo_errors: Vec::new(),
        took: Duration::ZERO,
    };
    for line in json.lines().filter(|l| l.starts_with('{')) {
        let Ok(message) = serde_json::from_str::<CargoLine>(line) else {
            continue;
        };
        match message {
            CargoLine::CompilerArtifact {
                manifest_path,
                target,
                executable: Some(executable),
                profile,
            } if profile.test && target.kind.iter().any(|k| k == "test") => {
                compiled
                    .binaries
                    .insert((folder(&manifest_path), target.name), executable);
            }
            CargoLine::CompilerMessage {
                manifest_path,
                target,
                message,
            } if message.level == "error" => {
                let text = message.rendered.unwrap_or(message.message);
                if text.starts_with("aborting due to") || text.starts_with("error: aborting") {
                    continue;
                }
                compiled
                    .errors
                    .entry((folder(&manifest_path), target.name))
                    .or_default()
                    .push(manifest.relative(text.trim_end()));
            }
            _ => {}
        }
    }
    compiled
}

/// A package's folder, from the path of its `Cargo.toml`.
fn folder(manifest_path: &Path) -> PathBuf {
    manifest_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Copies cargo's standard error into a string, showing the crate being
/// compiled on one self-erasing line when standard error is a terminal (a
/// first build can take a minute, and silence would look like a hang).
fn show_progress(stderr: impl Read, announce: Option<&str>) -> String {
    let tty = std::io::stderr().is_terminal();
    let mut text = String::new();
    let mut compiled = 0usize;
    let mut lines = BufReader::new(stderr);
    let mut line = String::new();
    while lines.read_line(&mut line).unwrap_or(0) > 0 {
        if let Some(krate) = line.trim_start().strip_prefix("Compiling ") {
            if let (0, Some(why)) = (compiled, announce) {
                eprintln!("{why}");
            }
            compiled += 1;
            if tty {
                let krate: String = krate.chars().take(60).collect();
                eprint!("\r\x1b[K  compiling {} ({compiled})", krate.trim_end());
                let _ = std::io::stderr().flush();
            }
        }
        text.push_str(&line);
        line.clear();
    }
    if tty && compiled > 0 {
        eprint!("\r\x1b[K");
    }
    text
}

/// The few fields of cargo's JSON messages the runner reads.
#[derive(Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
enum CargoLine {
    CompilerArtifact {
        manifest_path: PathBuf,
        target: Target,
        executable: Option<PathBuf>,
        profile: Profile,
    },
    CompilerMessage {
        manifest_path: PathBuf,
        target: Target,
        message: Diagnostic,
    },
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Profile {
    test: bool,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    message: String,
    rendered: Option<String>,
}
