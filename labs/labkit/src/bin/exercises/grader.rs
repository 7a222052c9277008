//! Running an exercise's grading test: `cargo test -p PACKAGE --test TEST`.
//!
//! The runner grades by running the real tests, exactly as a reader could by
//! hand, and reads the outcome from cargo's output ([`crate::output`]). The
//! starter is graded by default; the reference solution with
//! `--features solutions`, which switches the package's `mod` declarations
//! to the solution files.

use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::manifest::{Exercise, Manifest};
use crate::output::{self, Outcome};

/// Which code a grading run compiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// The file the reader edits.
    Starter,
    /// The reference solution (`--features solutions`).
    Solution,
}

/// Runs `ex`'s grading test against `variant` and reads the outcome.
///
/// While cargo compiles, the crate being compiled is shown on one
/// self-erasing line when standard error is a terminal: a first build can
/// take a minute, and silence would look like a hang.
pub fn grade(manifest: &Manifest, ex: &Exercise, variant: Variant) -> Result<Outcome> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(&cargo);
    cmd.current_dir(&manifest.root).args([
        "test",
        "--color",
        "never",
        "-p",
        &ex.package,
        "--test",
        &ex.test,
    ]);
    if variant == Variant::Solution {
        cmd.args(["--features", "solutions"]);
    }
    cmd.env(labkit::grade::EXERCISE_ENV, &ex.name)
        // A backtrace under every failure would bury the sentence.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());

    let mut child = cmd.spawn().with_context(|| {
        format!(
            "could not run {}: is cargo installed and on PATH?",
            cargo.to_string_lossy()
        )
    })?;
    let mut stdout_pipe = child.stdout.take().context("no stdout pipe")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout_pipe.read_to_string(&mut text);
        text
    });

    let show = std::io::stderr().is_terminal();
    let mut stderr = String::new();
    let mut lines = BufReader::new(child.stderr.take().context("no stderr pipe")?);
    let mut line = String::new();
    while lines.read_line(&mut line).unwrap_or(0) > 0 {
        if let (true, Some(krate)) = (show, line.trim_start().strip_prefix("Compiling ")) {
            let krate: String = krate.chars().take(60).collect();
            eprint!("\r\x1b[K  compiling {}", krate.trim_end());
            let _ = std::io::stderr().flush();
        }
        stderr.push_str(&line);
        line.clear();
    }
    if show {
        eprint!("\r\x1b[K");
    }
    let status = child.wait().context("waiting for cargo")?;
    let stdout = reader.join().unwrap_or_default();
    Ok(output::parse(status.success(), &stdout, &stderr))
}
