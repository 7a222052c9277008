//! Compiles the two versions of the payments schema with protox (a protobuf
//! compiler written in Rust), so readers need no `protoc` installed.
//!
//! Each version goes to its own folder under `OUT_DIR` (`v1/`, `v2/`): they
//! share a package name, as two releases of one schema do, so their
//! generated `payments.rs` files must not overwrite each other. Version 1
//! also gets its descriptor set saved, for server reflection.

use std::path::PathBuf;

// ANCHOR: build

fn main() -> anyhow::Result<()> {
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    for version in ["v1", "v2"] {
        let file = format!("proto/{version}/payments.proto");
        println!("cargo:rerun-if-changed={file}");
        // ANCHOR: compile
        let descriptors = protox::compile([&file], [format!("proto/{version}")])?;
        let dir = out.join(version);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("payments_descriptor.bin"),
            prost::Message::encode_to_vec(&descriptors),
        )?;
        tonic_prost_build::configure()
            .out_dir(&dir)
            .compile_fds(descriptors)?;
        // ANCHOR_END: compile
    }
    Ok(())
}
// ANCHOR_END: build
