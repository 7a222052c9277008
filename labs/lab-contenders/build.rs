//! Compiles the lab's Thrift IDL and Twirp's `.proto` into Rust at build time.
//!
//! Runs the `thrift` compiler (Debian's `thrift-compiler` 0.17, which
//! `.ci/run` installs) on `schema/payments.thrift`, so nothing generated is
//! checked in. The generated file opens with inner attributes (`#![allow]`),
//! which an `include!` inside a module refuses, so they are dropped here and
//! `src/thrift_gen.rs` states them on the module instead. Without the
//! compiler the build stops with one line saying what to install.
//!
//! Twirp's service is compiled by protox (a protobuf compiler written in
//! Rust, so no `protoc`), then prost-build writes the messages, with serde
//! derives for Twirp's JSON, and twirp-build writes the service's router
//! and client.

use std::path::PathBuf;
use std::process::Command;

// ANCHOR: build
fn main() {
    thrift();
    twirp();
}

fn thrift() {
    println!("cargo:rerun-if-changed=schema/payments.thrift");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let status = Command::new("thrift")
        .args([
            "-out",
            out.to_str().expect("a UTF-8 OUT_DIR"),
            "--gen",
            "rs",
        ])
        .arg("schema/payments.thrift")
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => fail(&format!("thrift exited with {s}")),
        Err(e) => fail(&e.to_string()),
    }
    let generated = out.join("payments.rs");
    let text = std::fs::read_to_string(&generated).expect("thrift wrote payments.rs");
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("#![")).collect();
    std::fs::write(&generated, kept.join("\n")).expect("OUT_DIR is writable");
}
// ANCHOR_END: build

// ANCHOR: twirp
fn twirp() {
    println!("cargo:rerun-if-changed=proto/payments.proto");
    let descriptors = protox::compile(["proto/payments.proto"], ["proto"])
        .unwrap_or_else(|e| fail_proto(&e.to_string()));
    prost_build::Config::new()
        .type_attribute(".", "#[derive(serde::Serialize, serde::Deserialize)]")
        .service_generator(twirp_build::service_generator())
        .compile_fds(descriptors)
        .unwrap_or_else(|e| fail_proto(&e.to_string()));
}
// ANCHOR_END: twirp

fn fail_proto(why: &str) -> ! {
    eprintln!("error: cannot compile proto/payments.proto ({why})");
    std::process::exit(1);
}

fn fail(why: &str) -> ! {
    eprintln!("error: cannot compile schema/payments.thrift ({why})");
    eprintln!("install the compiler: sudo apt-get install thrift-compiler");
    std::process::exit(1);
}
