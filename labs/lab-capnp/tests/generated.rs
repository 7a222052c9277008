//! The FlatBuffers code checked in under `generated/` is what planus makes
//! of `schema/*.fbs` today.
//!
//! planus-cli is not needed to build the lab, so two checks keep the code
//! honest: `generated/<name>.fbs` is a copy of the schema the code was made
//! from, and must equal today's schema (no tool needed); and where planus
//! is on `PATH` (`cargo install planus-cli --version 1.3.0 --locked`) the
//! code is regenerated and compared. Regenerate both in labs/lab-capnp, for
//! each `<name>` (`payments`, `evolution`):
//! `planus rust -o generated/<name>_fbs.rs schema/<name>.fbs && cp
//! schema/<name>.fbs generated/<name>.fbs`.

use std::path::Path;
use std::process::Command;

/// The FlatBuffers schemas whose code is checked in.
const SCHEMAS: [&str; 2] = ["payments", "evolution"];

fn regenerate(name: &str) -> String {
    format!(
        "regenerate it in labs/lab-capnp with `planus rust -o generated/{name}_fbs.rs \
         schema/{name}.fbs && cp schema/{name}.fbs generated/{name}.fbs`"
    )
}

#[test]
fn the_checked_in_code_was_made_from_todays_schema() {
    let lab = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in SCHEMAS {
        let schema = std::fs::read_to_string(lab.join(format!("schema/{name}.fbs"))).unwrap();
        let made_from = std::fs::read_to_string(lab.join(format!("generated/{name}.fbs"))).unwrap();
        assert!(
            schema == made_from,
            "schema/{name}.fbs changed since generated/{name}_fbs.rs was made: {}",
            regenerate(name)
        );
    }
}

#[test]
fn the_checked_in_flatbuffers_code_is_current() {
    let lab = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in SCHEMAS {
        let out =
            std::env::temp_dir().join(format!("lab-capnp-{name}-fbs-{}.rs", std::process::id()));
        let run = Command::new("planus")
            .current_dir(lab)
            .args(["rust", "-o"])
            .arg(&out)
            .arg(format!("schema/{name}.fbs"))
            .output();
        let Ok(run) = run else {
            // The schema check above still ran; only the regeneration is skipped.
            eprintln!("planus is not installed: generated/*_fbs.rs not regenerated");
            return;
        };
        assert!(
            run.status.success(),
            "planus failed: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let fresh = std::fs::read_to_string(&out).unwrap();
        let _ = std::fs::remove_file(&out);
        let checked_in =
            std::fs::read_to_string(lab.join(format!("generated/{name}_fbs.rs"))).unwrap();
        assert!(
            fresh == checked_in,
            "generated/{name}_fbs.rs is stale: {}",
            regenerate(name)
        );
    }
}
