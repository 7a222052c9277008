//! The reader's progress: which exercises pass, remembered between runs.
//!
//! `cargo exercises list` grades every exercise by running its tests, which
//! costs a few seconds each. The result is remembered in
//! `target/exercises/progress.json` together with a stamp of the exercise's
//! package (how many files, how many bytes, the latest modification time), so
//! an exercise is graded again only when something in its package changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::manifest::{Exercise, Manifest};
use crate::output::Outcome;

/// Where an exercise stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Its grading tests pass.
    Passed,
    /// The reader has changed the starter and it does not pass yet.
    Failing,
    /// The starter is as it came (or still stops at its `todo!()`).
    NotTried,
}

impl State {
    /// The mark `list` shows.
    pub fn mark(self) -> &'static str {
        match self {
            State::Passed => "✓",
            State::Failing => "✗",
            State::NotTried => "·",
        }
    }

    /// What a grading run of the starter says about the reader's progress.
    pub fn of(manifest: &Manifest, ex: &Exercise, outcome: &Outcome) -> State {
        match outcome {
            Outcome::Passed { .. } => State::Passed,
            Outcome::Failed { failures, .. } if failures.iter().all(|f| f.is_todo()) => {
                State::NotTried
            }
            _ if git_unchanged(manifest, ex) == Some(true) => State::NotTried,
            _ => State::Failing,
        }
    }
}

/// Whether git sees the starter as unmodified; `None` without git.
fn git_unchanged(manifest: &Manifest, ex: &Exercise) -> Option<bool> {
    let out = Command::new("git")
        .current_dir(&manifest.root)
        .args(["status", "--porcelain", "--"])
        .arg(&ex.file)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout.is_empty())
}

#[derive(Serialize, Deserialize, Default)]
struct Entry {
    stamp: String,
    state: Option<State>,
}

/// The remembered states, keyed by exercise name.
pub struct Progress {
    path: PathBuf,
    entries: BTreeMap<String, Entry>,
    first_time: bool,
}

impl Progress {
    /// Reads the remembered states (none, if there is no readable file).
    pub fn load(manifest: &Manifest) -> Self {
        let path = target_dir(&manifest.root)
            .join("exercises")
            .join("progress.json");
        let text = std::fs::read_to_string(&path).ok();
        let first_time = text.is_none();
        let entries = text
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        Self {
            path,
            entries,
            first_time,
        }
    }

    /// True when nothing was remembered yet: the reader's first run, when
    /// everything still has to be compiled.
    pub fn first_time(&self) -> bool {
        self.first_time
    }

    /// The remembered state of `ex`, if nothing in its package changed since.
    pub fn get(&self, manifest: &Manifest, ex: &Exercise) -> Option<State> {
        let entry = self.entries.get(&ex.name)?;
        (entry.stamp == stamp(manifest, ex))
            .then_some(entry.state)
            .flatten()
    }

    /// Remembers the state of `ex`, graded when its package had `stamp`
    /// (taken before grading, so an edit made meanwhile is graded next time).
    /// Best effort: this is a cache, and a read-only target folder only makes
    /// `list` slower.
    pub fn set(&mut self, ex: &Exercise, stamp: String, state: State) {
        let entry = Entry {
            stamp,
            state: Some(state),
        };
        self.entries.insert(ex.name.clone(), entry);
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(text) = serde_json::to_string_pretty(&self.entries) {
            let _ = std::fs::write(&self.path, text);
        }
    }

    /// The first exercise, in the book's order, not known to pass.
    pub fn next<'m>(&self, manifest: &'m Manifest) -> Option<&'m Exercise> {
        manifest
            .exercises
            .iter()
            .find(|ex| self.get(manifest, ex) != Some(State::Passed))
    }
}

/// Cargo's target folder: `$CARGO_TARGET_DIR`, or `target` beside the
/// manifest.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => std::env::current_dir()
            .map(|cwd| cwd.join(&dir))
            .unwrap_or_else(|_| dir.into()),
        _ => root.join("target"),
    }
}

/// A stamp of everything in the exercise's package: it changes when any
/// file is added, removed or saved.
pub fn stamp(manifest: &Manifest, ex: &Exercise) -> String {
    let dir = manifest.package_dir(ex);
    let (mut files, mut bytes, mut newest) = (0u64, 0u64, 0u128);
    let mut stack = vec![dir.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // Cargo writes Cargo.lock while grading; it is not the reader's code.
            if name.starts_with('.') || name == "target" || name == "Cargo.lock" {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                files += 1;
                bytes += meta.len();
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                newest = newest.max(modified);
            }
        }
    }
    format!("{}|{files}|{bytes}|{newest}", dir.display())
}
