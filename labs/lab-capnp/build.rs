//! Compiles the lab's Cap'n Proto schemas into Rust at build time.
//!
//! `capnpc` runs the `capnp` compiler (Debian's `capnproto` package, which
//! `.ci/run` installs) with the Rust plugin built into the crate, so nothing
//! generated is checked in. Without the compiler the build stops with one line
//! saying what to install.

// ANCHOR: build
fn main() {
    for schema in [
        "schema/payments.capnp",
        "schema/bank.capnp",
        "schema/evolution.capnp",
    ] {
        println!("cargo:rerun-if-changed={schema}");
    }
    // ANCHOR: compile
    let result = capnpc::CompilerCommand::new()
        .src_prefix("schema")
        .default_parent_module(vec!["schema".into()])
        .file("schema/payments.capnp")
        .file("schema/bank.capnp")
        .file("schema/evolution.capnp")
        .run();
    // ANCHOR_END: compile
    if let Err(e) = result {
        eprintln!("error: cannot compile the Cap'n Proto schemas ({e})");
        eprintln!("install the compiler: sudo apt-get install capnproto");
        std::process::exit(1);
    }
}
// ANCHOR_END: build
