//! `verify`'s check that the exercise files are formatted like the rest of
//! the code.
//!
//! `cargo fmt` formats the files a crate's `mod` declarations lead to, but
//! the exercise modules are declared in a file the build script writes
//! (`include!` in src/lib.rs), which rustfmt does not read. So `verify` runs
//! rustfmt on the starters, solutions and known-wrong variants itself.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::files::{self, Problem};
use crate::manifest::Manifest;

/// The workspace's edition, which rustfmt needs to be told for a lone file.
const EDITION: &str = "2024";

/// Every exercise file rustfmt would change; or, when rustfmt cannot run,
/// one problem saying so.
pub fn check(manifest: &Manifest) -> Vec<Problem> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for ex in &manifest.exercises {
        paths.extend(
            [&ex.file, &ex.solution]
                .into_iter()
                .map(|p| manifest.path(p))
                .filter(|p| p.is_file()),
        );
        paths.extend(files::wrong_variants(manifest, ex));
    }
    if paths.is_empty() {
        return Vec::new();
    }
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let out = Command::new(&rustfmt)
        .current_dir(&manifest.root)
        .args(["--edition", EDITION, "--check", "--files-with-diff"])
        .args(&paths)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let Ok(out) = out else {
        return vec![(
            "rustfmt".into(),
            "it could not be run, so the exercise files' formatting is unchecked (install it: `rustup component add rustfmt`)".into(),
        )];
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|file| {
            let file = manifest.relative(file.trim());
            (
                file.clone(),
                format!("it is not formatted: run `rustfmt --edition {EDITION} {file}`"),
            )
        })
        .collect()
}
