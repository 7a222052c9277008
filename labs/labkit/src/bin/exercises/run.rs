//! Running one compiled grading test binary, as `cargo test` would.
//!
//! The binary runs in its package's folder with the environment cargo would
//! give it, plus the exercise's name (for the hint line of a failed
//! expectation) and no backtraces (a backtrace under every failure would bury
//! the sentence). A watchdog kills it if it never finishes: a wrong answer
//! that waits forever must not stall the grader.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::manifest::{Exercise, Manifest};
use crate::output::{self, Failure, Outcome};

/// How long a grading test binary may run. The slowest grading tests start
/// a RabbitMQ and crash it, which takes well under a minute; this is only a
/// guard against hanging.
pub const GUARD: Duration = Duration::from_secs(300);

/// Runs `ex`'s grading test binary `binary` and reads the outcome.
pub fn run(manifest: &Manifest, ex: &Exercise, binary: &Path) -> Outcome {
    let dir = manifest.package_dir(ex);
    let mut cmd = Command::new(binary);
    cmd.current_dir(&dir)
        .env(labkit::grade::EXERCISE_ENV, &ex.name)
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_MANIFEST_DIR", &dir)
        .env("CARGO_PKG_NAME", &ex.package)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => return died(format!("could not start {}: {e}", binary.display())),
    };
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = wait_or_kill(&mut child, GUARD);
    let (stdout, stderr) = (
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    );
    let (stdout, stderr) = (manifest.relative(&stdout), manifest.relative(&stderr));
    match status {
        Some(status) => {
            let mut outcome = output::parse(status.success(), &stdout, &stderr);
            if let Outcome::Failed { failures, .. } = &mut outcome
                && let [only] = failures.as_mut_slice()
                && only.test == "(the test binary)"
            {
                only.message = format!("{} ({status})", only.message);
            }
            outcome
        }
        None => {
            let mut outcome = output::parse(false, &stdout, &stderr);
            if let Outcome::Failed { failures, .. } = &mut outcome {
                failures.retain(|f| !f.test.starts_with('('));
                failures.push(Failure {
                    test: "(the test binary)".into(),
                    location: None,
                    message: format!(
                        "the grading tests did not finish within {} s and were stopped: something waits forever (a missing timeout?)",
                        GUARD.as_secs()
                    ),
                });
            }
            outcome
        }
    }
}

/// Reads a pipe to its end on a thread of its own (a full pipe would block
/// the child).
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    })
}

/// Waits for `child` to exit; past `guard`, kills it and returns `None`.
fn wait_or_kill(child: &mut Child, guard: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + guard;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// An outcome for a binary that could not even start.
fn died(why: String) -> Outcome {
    Outcome::Failed {
        passed: 0,
        failures: vec![Failure {
            test: "(the test binary)".into(),
            location: None,
            message: why,
        }],
    }
}
