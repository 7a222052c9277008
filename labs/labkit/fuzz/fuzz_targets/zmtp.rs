//! ZMTP 3.x frames (greeting first), then the helpers that read them:
//! multipart messages and a command's properties.
#![no_main]
use labkit::wire::{Decoder, zmtp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = zmtp::Frames.decode(data);
    labkit_fuzz::check(&decoded, data.len());
    let _ = zmtp::messages(&decoded.units);
    for f in &decoded.units {
        let _ = (f.more(), f.long(), f.command_data(), f.properties());
    }
    // The same bytes after a valid greeting, so the fuzzer spends its time
    // on frames rather than on finding the 0xFF … 0x7F signature.
    let mut framed = zmtp::greeting("NULL", false).to_vec();
    framed.extend_from_slice(data);
    let decoded = zmtp::Frames.decode(&framed);
    labkit_fuzz::check(&decoded, framed.len());
    for f in &decoded.units {
        let _ = (f.command_data(), f.properties());
    }
});
