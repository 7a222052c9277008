//! Grading: compile the grading tests in one cargo invocation, then run the
//! test binaries, two at a time.
//!
//! The runner grades by running the real grading tests, exactly as a reader
//! could by hand with `cargo test -p lab-rest-exercises --test ex_etag`; it
//! only splits building ([`crate::compile`]) from running ([`crate::run`])
//! so that grading many exercises costs one build.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::compile;
use crate::manifest::{Exercise, Manifest};
use crate::output::Outcome;
use crate::run;
use exercise_build::Build;

/// How many grading test binaries run at once. Each grading test starts its
/// own private brokers and servers on free ports, so two cannot disturb each
/// other; more would only make them compete for this machine's cores.
const JOBS: usize = 2;

/// The variables that point the labs at a broker of the reader's own, which
/// grading tests running side by side would share.
const SHARED_BROKERS: [&str; 4] = ["MQTT_URL", "AMQP_URL", "NATS_URL", "REDIS_URL"];

/// Grades one exercise as the reader left it: the starter, compiled without
/// any [`Build`] choice, exactly as `cargo test` would.
pub fn grade(manifest: &Manifest, ex: &Exercise) -> Result<Outcome> {
    let compiled = compile::compile(manifest, &[ex], Build::Starter, None)?;
    Ok(match compiled.binary(manifest, ex) {
        Ok(binary) => run::run(manifest, ex, binary),
        Err(failed) => failed,
    })
}

/// How long grading took: compiling, then running.
pub struct Timing {
    pub compile: Duration,
    pub run: Duration,
}

/// Grades `exercises` with their modules compiled from `build`: one
/// compilation (`announce`: see [`compile::compile`]), then the grading
/// binaries, [`JOBS`] at a time.
/// `starting(i)` is called as the i-th exercise's tests start (from a worker
/// thread); `done` gets each outcome in the order of `exercises`, as soon as
/// it and those before it are known.
pub fn grade_all(
    manifest: &Manifest,
    exercises: &[&Exercise],
    build: Build,
    announce: Option<&str>,
    starting: &(dyn Fn(usize) + Sync),
    mut done: impl FnMut(&Exercise, Outcome),
) -> Result<Timing> {
    if exercises.is_empty() {
        return Ok(Timing {
            compile: Duration::ZERO,
            run: Duration::ZERO,
        });
    }
    let compiled = compile::compile(manifest, exercises, build, announce)?;
    let ran = Instant::now();
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs() {
            let (tx, next, compiled) = (tx.clone(), &next, &compiled);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(ex) = exercises.get(i) else { break };
                    let outcome = match compiled.binary(manifest, ex) {
                        Ok(binary) => {
                            starting(i);
                            run::run(manifest, ex, binary)
                        }
                        Err(failed) => failed,
                    };
                    if tx.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Outcomes arrive in any order; pass them on in the list's order.
        let mut ready: Vec<Option<Outcome>> = vec![None; exercises.len()];
        let mut passed_on = 0;
        for (i, outcome) in rx {
            ready[i] = Some(outcome);
            while let Some(outcome) = ready.get_mut(passed_on).and_then(Option::take) {
                done(exercises[passed_on], outcome);
                passed_on += 1;
            }
        }
    });
    Ok(Timing {
        compile: compiled.took,
        run: ran.elapsed(),
    })
}

/// [`JOBS`], or one at a time when the reader points the labs at a broker of
/// their own: there, two grading tests would share queues and topics.
fn jobs() -> usize {
    if SHARED_BROKERS
        .iter()
        .any(|var| std::env::var_os(var).is_some_and(|v| !v.is_empty()))
    {
        1
    } else {
        JOBS
    }
}
