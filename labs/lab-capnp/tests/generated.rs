//! The FlatBuffers code checked in under `generated/` is what planus makes
//! of `schema/payments.fbs` today.
//!
//! planus-cli is not needed to build the lab, so two checks keep the code
//! honest: `generated/payments.fbs` is a copy of the schema the code was
//! made from, and must equal today's schema (no tool needed); and where
//! planus is on `PATH` (`cargo install planus-cli --version 1.3.0 --locked`)
//! the code is regenerated and compared. Regenerate both in labs/lab-capnp:
//! `planus rust -o generated/payments_fbs.rs schema/payments.fbs && cp
//! schema/payments.fbs generated/payments.fbs`.

use std::path::Path;
use std::process::Command;

#[test]
fn the_checked_in_code_was_made_from_todays_schema() {
    let lab = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema = std::fs::read_to_string(lab.join("schema/payments.fbs")).unwrap();
    let made_from = std::fs::read_to_string(lab.join("generated/payments.fbs")).unwrap();
    assert!(
        schema == made_from,
        "schema/payments.fbs changed since generated/payments_fbs.rs was made: regenerate \
         it in labs/lab-capnp with `planus rust -o generated/payments_fbs.rs \
         schema/payments.fbs && cp schema/payments.fbs generated/payments.fbs`"
    );
}

#[test]
fn the_checked_in_flatbuffers_code_is_current() {
    let lab = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile_path();
    let run = Command::new("planus")
        .current_dir(lab)
        .args(["rust", "-o"])
        .arg(&out)
        .arg("schema/payments.fbs")
        .output();
    let Ok(run) = run else {
        // The schema check above still ran; only the regeneration is skipped.
        eprintln!("planus is not installed: generated/payments_fbs.rs not regenerated");
        return;
    };
    assert!(
        run.status.success(),
        "planus failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let fresh = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let checked_in = std::fs::read_to_string(lab.join("generated/payments_fbs.rs")).unwrap();
    assert!(
        fresh == checked_in,
        "generated/payments_fbs.rs is stale: regenerate it in labs/lab-capnp with \
         `planus rust -o generated/payments_fbs.rs schema/payments.fbs`"
    );
}

/// A file name in the system's temporary folder, unique to this process.
fn tempfile_path() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("lab-capnp-payments-fbs-{}.rs", std::process::id()))
}
