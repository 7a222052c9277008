//! `cargo exercises watch`: grade again every time the reader saves.
//!
//! Watches the exercise's package folder; a burst of file events (editors
//! often write a file in several steps) is let settle for a moment, then the
//! exercise is graded once. Without a name it starts at the first exercise
//! not yet passing and moves on to the next one when it passes.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use crate::grader;
use crate::manifest::Manifest;
use crate::progress::{self, Progress, State};
use crate::show;

/// How long file events must pause before grading: long enough for an
/// editor's save to finish, short enough to feel immediate.
const SETTLE: Duration = Duration::from_millis(300);

/// Watches `name`, or the next exercise not passing; runs until interrupted
/// (or, following the list, until every exercise passes).
pub fn run(manifest: &Manifest, progress: &mut Progress, name: Option<&str>) -> Result<()> {
    let follow = name.is_none();
    let mut current = match name {
        Some(name) => manifest.get(name)?,
        None => match progress.next(manifest) {
            Some(ex) => ex,
            None => {
                println!("All exercises pass. Well done.");
                return Ok(());
            }
        },
    };

    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher =
        notify::recommended_watcher(tx).context("cannot watch files on this system")?;
    let mut watched: Option<PathBuf> = None;
    loop {
        let dir = manifest.package_dir(current);
        if watched.as_ref() != Some(&dir) {
            if let Some(old) = watched.take() {
                let _ = watcher.unwatch(&old);
            }
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", dir.display()))?;
            watched = Some(dir.clone());
        }

        println!();
        println!(
            "── grading {} (watching {}; Ctrl-C to stop) ──",
            current.name,
            relative(manifest, &dir)
        );
        let stamp = progress::stamp(manifest, current);
        let outcome = grader::grade(manifest, current)?;
        show::outcome(current, &outcome);
        let state = State::of(manifest, current, &outcome);
        progress.set(current, stamp, state);

        if follow && state == State::Passed {
            match progress.next(manifest) {
                Some(next) => {
                    println!("On to the next exercise: {}.", next.name);
                    current = next;
                    continue;
                }
                None => {
                    println!("All exercises pass. Well done.");
                    return Ok(());
                }
            }
        }
        wait_for_save(&rx)?;
    }
}

/// Blocks until a source file changes, then until the changes settle.
fn wait_for_save(rx: &Receiver<notify::Result<Event>>) -> Result<()> {
    loop {
        let event = rx.recv().context("the file watcher stopped")?;
        if matches!(event, Ok(ref e) if is_save(e)) {
            break;
        }
    }
    loop {
        match rx.recv_timeout(SETTLE) {
            Ok(_) => continue,
            Err(RecvTimeoutError::Timeout) => return Ok(()),
            Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the file watcher stopped"),
        }
    }
}

/// A change to Rust code or a manifest, outside any `target` folder.
fn is_save(event: &Event) -> bool {
    let kind_counts = matches!(
        event.kind,
        EventKind::Create(_)
            | EventKind::Modify(_)
            | EventKind::Remove(_)
            | EventKind::Access(AccessKind::Close(AccessMode::Write))
    );
    kind_counts
        && event.paths.iter().any(|p| {
            let source = matches!(p.extension().and_then(|e| e.to_str()), Some("rs" | "toml"));
            source && !p.components().any(|c| c.as_os_str() == "target")
        })
}

fn relative(manifest: &Manifest, dir: &Path) -> String {
    match dir.strip_prefix(&manifest.root) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => dir.display().to_string(),
    }
}
