//! Compiles the lab's Thrift IDL into Rust at build time.
//!
//! Runs the `thrift` compiler (Debian's `thrift-compiler` 0.17, which
//! `.ci/run` installs) on `schema/payments.thrift`, so nothing generated is
//! checked in. The generated file opens with inner attributes (`#![allow]`),
//! which an `include!` inside a module refuses, so they are dropped here and
//! `src/thrift_gen.rs` states them on the module instead. Without the
//! compiler the build stops with one line saying what to install.

use std::path::PathBuf;
use std::process::Command;

// ANCHOR: build
fn main() {
    println!("cargo:rerun-if-changed=schema/payments.thrift");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let status = Command::new("thrift")
        .args(["-out", out.to_str().expect("a UTF-8 OUT_DIR"), "--gen", "rs"])
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

fn fail(why: &str) -> ! {
    eprintln!("error: cannot compile schema/payments.thrift ({why})");
    eprintln!("install the compiler: sudo apt-get install thrift-compiler");
    std::process::exit(1);
}
